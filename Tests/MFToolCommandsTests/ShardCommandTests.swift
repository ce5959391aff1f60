import ArgumentParser
import FixturePaths
import Foundation
import IO
import Loading
import Matrices
@testable import MFToolCommands
import Testing

/// Sharded solves and their merge: the merged file is the unsharded one, bit for bit, for any
/// number of shards; parts that do not belong together are refused by name.
@Suite("Sharded solve and merge")
struct ShardCommandTests {
    let folder: String
    var interactions: String { folder + "/r.h5" }
    var items: String { folder + "/v.h5" }

    init() throws {
        folder = Fixtures.scratchFolder("shards")
        let code = runMFTool(["generate", "--preset", "seed", "--out", interactions, "--items-out", items, "-q"])
        guard code == 0 else { throw DataError("generate failed with exit \(code)") }
    }

    /// Runs the N tasks of a sharded solve and merges them; returns the merged file.
    func shardedSolve(_ n: Int, _ extra: [String], name: String, interactions: String? = nil, items: String? = nil) throws -> String {
        for i in 0..<n {
            let code = runMFTool(["solve", "--interactions", interactions ?? self.interactions, "--items", items ?? self.items,
                                  "--shard", "\(i)/\(n)", "--out", "\(folder)/\(name)-{shard}.h5", "-q"] + extra)
            #expect(code == 0, "shard \(i)/\(n) of \(name)")
        }
        let parts = (0..<n).map { "\(folder)/\(name)-\(Shard(index: $0, count: n)!.paddedIndex).h5" }
        #expect(runMFTool(["merge"] + parts + ["--out", "\(folder)/\(name).h5", "-q"]) == 0)
        return "\(folder)/\(name).h5"
    }

    /// The two files hold the same factors bit for bit, the same ids and the same records.
    func expectSame(_ expected: String, _ actual: String, side: FactorFile.Side = .users) throws {
        let a = try FactorFile.read(FileSpec(expected), side: side), b = try FactorFile.read(FileSpec(actual), side: side)
        #expect(a.factors.storage.map(\.bitPattern) == b.factors.storage.map(\.bitPattern), "\(actual)")
        #expect(a.factors.rows == b.factors.rows && a.factors.columns == b.factors.columns)
        #expect(a.ids == b.ids && a.objective == b.objective && a.run == b.run && a.globalMean.bitPattern == b.globalMean.bitPattern)
        #expect(b.part == nil)
    }

    @Test("merged shards equal the unsharded solve, N = 1, 2, 3 and 7, in three objectives")
    func bitwise() throws {
        let objectives = [["--loss", "implicit", "--alpha", "4", "--reg", "count"],
                          ["--user-bias", "--offset", "global-mean", "--lambda", "0.5"], ["--loss", "dense"]]
        for (k, extra) in objectives.enumerated() {
            let whole = "\(folder)/whole-\(k).h5"
            #expect(runMFTool(["solve", "--interactions", interactions, "--items", items, "--out", whole, "-q"] + extra) == 0)
            for n in [1, 2, 3, 7] { try expectSame(whole, try shardedSolve(n, extra, name: "o\(k)-n\(n)")) }
        }
    }

    @Test("more shards than users: the empty shards merge into the unsharded result")
    func moreShardsThanUsers() throws {
        let small = folder + "/small.h5"
        #expect(runMFTool(["convert", Fixtures.path("io/ratings.csv"), small, "-q"]) == 0)
        let itemsFile = Fixtures.path("io/items.h5")
        let whole = folder + "/small-whole.h5"
        #expect(runMFTool(["solve", "--interactions", small, "--items", itemsFile, "--out", whole, "-q"]) == 0)
        try expectSame(whole, try shardedSolve(8, [], name: "small", interactions: small, items: itemsFile))
    }

    @Test("a task re-run alone merges into the same result")
    func rerun() throws {
        let merged = try shardedSolve(3, [], name: "rerun")
        let first = try Data(contentsOf: URL(fileURLWithPath: merged))
        try FileManager.default.removeItem(atPath: "\(folder)/rerun-1.h5")
        #expect(runMFTool(["solve", "--interactions", interactions, "--items", items, "--shard", "1/3", "--out", "\(folder)/rerun-{shard}.h5", "-q"]) == 0)
        let parts = (0..<3).map { "\(folder)/rerun-\($0).h5" }
        #expect(runMFTool(["merge"] + parts + ["--out", "\(folder)/rerun2.h5", "-q"]) == 0)
        try expectSame(merged, "\(folder)/rerun2.h5")
        #expect(!first.isEmpty)
    }

    @Test("merge names a missing part, a repeated one, and parts of other settings or inputs")
    func refusals() throws {
        _ = try shardedSolve(3, [], name: "a")
        let parts = (0..<3).map { "\(folder)/a-\($0).h5" }
        var r = runMFToolReporting(["merge", parts[0], parts[2], "--out", folder + "/m.h5"])
        #expect(r.code == 1 && r.message.contains("1/3") && r.message.contains("missing"), "\(r.message)")
        r = runMFToolReporting(["merge", parts[0], parts[1], parts[1], parts[2], "--out", folder + "/m.h5"])
        #expect(r.code == 1 && r.message.contains("repeats shard 1/3"), "\(r.message)")
        _ = try shardedSolve(3, ["--lambda", "0.7"], name: "b")
        r = runMFToolReporting(["merge", parts[0], "\(folder)/b-1.h5", parts[2], "--out", folder + "/m.h5"])
        #expect(r.code == 1 && r.message.contains("b-1.h5") && r.message.contains("settings"), "\(r.message)")
        let otherItems = folder + "/v2.h5"
        #expect(runMFTool(["generate", "--preset", "seed", "--seed", "9", "--out", folder + "/r2.h5", "--items-out", otherItems, "-q"]) == 0)
        _ = try shardedSolve(3, [], name: "c", items: otherItems)
        r = runMFToolReporting(["merge", parts[0], "\(folder)/c-1.h5", parts[2], "--out", folder + "/m.h5"])
        #expect(r.code == 1 && r.message.contains("fingerprint"), "\(r.message)")
        r = runMFToolReporting(["merge", interactions, "--out", folder + "/m.h5"])
        #expect(r.code == 1 && r.message.contains("not a part"), "\(r.message)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/m.h5"))
    }

    @Test("a text input is refused with the convert command; a failed task leaves no part")
    func inputsAndFailures() throws {
        var r = runMFToolReporting(["solve", "--interactions", Fixtures.path("io/ratings.csv"), "--items", Fixtures.path("io/items.h5"),
                                    "--shard", "0/2", "--out", folder + "/t-{shard}.h5"])
        #expect(r.code == 1 && r.message.contains("mftool convert"), "\(r.message)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/t-0.h5"))
        r = runMFToolReporting(["solve", "--interactions", interactions, "--items", folder + "/missing.h5",
                                "--shard", "0/2", "--out", folder + "/t-{shard}.h5"])
        #expect(r.code == 1 && !FileManager.default.fileExists(atPath: folder + "/t-0.h5"))
    }

    @Test("usage errors exit 64: a bad I/N, {shard} without --shard")
    func usage() throws {
        for shard in ["2/2", "x", "1/0"] {
            let r = runMFToolReporting(["solve", "--interactions", interactions, "--items", items, "--shard", shard, "--out", folder + "/u.h5"])
            #expect(r.code == 64, "\(shard): \(r.message)")
        }
        let r = runMFToolReporting(["solve", "--interactions", interactions, "--items", items, "--out", folder + "/u-{shard}.h5"])
        #expect(r.code == 64 && r.message.contains("{shard}"), "\(r.message)")
    }

    @Test("--shard auto reads Slurm, Kubernetes and AWS Batch arrays, and fails outside one")
    func environment() throws {
        let auto = try ShardOptions.parse(["--shard", "auto"])
        #expect(try auto.resolved(environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 2, count: 4))
        #expect(try auto.resolved(environment: ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "8"])
                == Shard(index: 2, count: 4))
        #expect(try auto.resolved(environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "0", "AWS_BATCH_JOB_ARRAY_SIZE": "3"]) == Shard(index: 0, count: 3))
        let k8s = try ShardOptions.parse(["--shard", "auto", "--shards", "5"])
        #expect(try k8s.resolved(environment: ["JOB_COMPLETION_INDEX": "4"]) == Shard(index: 4, count: 5))
        #expect(throws: ValidationError.self) { try auto.resolved(environment: ["JOB_COMPLETION_INDEX": "4"]) }
        #expect(throws: ValidationError.self) { try auto.resolved(environment: [:]) }
        #expect(throws: ValidationError.self) { try auto.resolved(environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"]) }
        #expect(throws: ValidationError.self) { try k8s.resolved(environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"]) }
        #expect(throws: ValidationError.self) { try auto.output("u.h5", shard: Shard(index: 0, count: 2)) }
        #expect(try auto.output("u-{shard}.h5", shard: Shard(index: 1, count: 2)) == "u-1.h5")
    }

    @Test("ALS across tasks: two epochs of sharded user and item solves equal fit --method als")
    func alternating() throws {
        let objective = ["--loss", "implicit", "--alpha", "3", "--lambda", "0.5", "--reg", "count"]
        let fit = ["fit", "--method", "als", "--k", "6", "--seed", "2", "--interactions", interactions, "-q"] + objective
        #expect(runMFTool(fit + ["--epochs", "2", "--out", folder + "/fit-u.h5", "--items-out", folder + "/fit-v.h5"]) == 0)
        #expect(runMFTool(fit + ["--epochs", "0", "--out", folder + "/u0.h5", "--items-out", folder + "/v0.h5"]) == 0)
        let byItems = folder + "/r-items.h5"
        #expect(runMFTool(["convert", interactions, byItems, "--layout", "csc", "-q"]) == 0)
        for epoch in 1...2 {
            _ = try shardedSolve(3, objective, name: "u\(epoch)", items: "\(folder)/v\(epoch - 1).h5")
            for i in 0..<2 {
                #expect(runMFTool(["solve", "--side", "items", "--interactions", byItems, "--users", "\(folder)/u\(epoch).h5",
                                   "--shard", "\(i)/2", "--out", "\(folder)/v\(epoch)-{shard}.h5", "-q"] + objective) == 0)
            }
            #expect(runMFTool(["merge", "\(folder)/v\(epoch)-0.h5", "\(folder)/v\(epoch)-1.h5", "--out", "\(folder)/v\(epoch).h5", "-q"]) == 0)
        }
        let (u, fu) = (try FactorFile.read(FileSpec(folder + "/u2.h5")), try FactorFile.read(FileSpec(folder + "/fit-u.h5")))
        let (v, fv) = (try FactorFile.read(FileSpec(folder + "/v2.h5"), side: .items), try FactorFile.read(FileSpec(folder + "/fit-v.h5"), side: .items))
        #expect(u.factors.storage.map(\.bitPattern) == fu.factors.storage.map(\.bitPattern))
        #expect(v.factors.storage.map(\.bitPattern) == fv.factors.storage.map(\.bitPattern))
        #expect(u.ids == fu.ids && v.ids == fv.ids)
    }

    @Test("the item side shards only an item-major copy")
    func itemSideNeedsCSC() throws {
        let r = runMFToolReporting(["solve", "--side", "items", "--interactions", interactions, "--users", folder + "/nope.h5",
                                    "--shard", "0/2", "--out", folder + "/v-{shard}.h5"])
        #expect(r.code == 1)
    }
}
