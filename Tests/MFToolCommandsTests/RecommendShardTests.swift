import FixturePaths
import Foundation
@testable import IO
@testable import MFToolCommands
import Testing

/// Runs `mftool merge` of recommendation parts: its exit code and the error's one line.
func runMergeRecommendations(_ parts: [String], out: String) -> (code: Int32, message: String) {
    do {
        var command = try MFTool.parseAsRoot(["merge"] + parts + ["--out", out, "-q"])
        try command.run()
        return (0, "")
    } catch {
        return (MFTool.exitCode(for: error).rawValue, MFTool.message(for: error))
    }
}

@Suite("recommend --shard and merge of recommendation parts")
struct RecommendShardTests {
    /// The datasets of a recommendations file: ids as text, scores as bit patterns (NaN padding
    /// compares equal).
    static func datasets(_ path: String) throws -> [String: [String]] {
        let file = try HDF5File.open(path, limits: ReadLimits())
        var out: [String: [String]] = [:]
        for name in ["/user_ids", "/item_ids"] {
            let info = try file.info(name)
            if case .integer = info.kind {
                out[name] = try file.read(name, as: Int64.self).values.map(String.init) + ["\(info.shape)", "int"]
            } else {
                out[name] = try file.withDataset(name) { d throws(IOError) in
                    try file.validUTF8(d.readVariableStrings(count: info.shape.reduce(1, *), fileType: d.datasetType()!)!, object: name) } + ["\(info.shape)"]
            }
        }
        let scores = try file.read("/scores", as: Double.self)
        out["/scores"] = scores.values.map { String($0.bitPattern) } + ["\(scores.shape)"]
        #expect(Set(try file.datasets()) == ["/user_ids", "/item_ids", "/scores"])
        return out
    }

    @Test("merged CSV and JSONL equal unsharded recommend byte for byte, HDF5 dataset for dataset, for 1, 2, 3 and 7 shards",
          arguments: [["--k", "7"], ["--k", "50", "--precision", "single"]])
    func mergedEqualsUnsharded(settings: [String]) throws {
        let files = try ShardedEvalFiles(users: 1300, items: 40, nnz: 13000)
        let base = ["recommend", "--users", files.users, "--items", files.items, "--train", files.train, "--quiet"] + settings
        for ext in ["csv", "jsonl", "h5"] {
            #expect(runMFTool(base + ["--out", "\(files.folder)/all.\(ext)"]) == 0)
        }
        for n in [1, 2, 3, 7] {
            for i in 0..<n {
                #expect(runMFTool(base + ["--shard", "\(i)/\(n)", "--out", "\(files.folder)/recs\(n)-{shard}.h5"]) == 0)
            }
            let parts = (0..<n).map { "\(files.folder)/recs\(n)-\($0).h5" }.reversed()
            for ext in ["csv", "jsonl"] {
                let out = "\(files.folder)/merged\(n).\(ext)"
                #expect(runMergeRecommendations(Array(parts), out: out).code == 0)
                #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: "\(files.folder)/all.\(ext)")),
                        "\(n) shards, \(ext)")
            }
            let out = "\(files.folder)/merged\(n).h5"
            #expect(runMergeRecommendations(Array(parts), out: out).code == 0)
            #expect(try Self.datasets(out) == Self.datasets("\(files.folder)/all.h5"), "\(n) shards, h5")
        }
    }

    @Test("string ids and a --user list: merged output equals the unsharded one")
    func stringIDsAndUserList() throws {
        let files = try MisalignmentFiles()
        let base = ["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--k", "3", "--user", "carol", "--user", "alice", "--quiet"]
        #expect(runMFTool(base + ["--out", files.folder + "/all.jsonl"]) == 0)
        for i in 0..<2 { #expect(runMFTool(base + ["--shard", "\(i)/2", "--out", files.folder + "/r-{shard}.h5"]) == 0) }
        #expect(runMergeRecommendations([files.folder + "/r-0.h5", files.folder + "/r-1.h5"], out: files.folder + "/m.jsonl").code == 0)
        #expect(try String(contentsOfFile: files.folder + "/m.jsonl", encoding: .utf8)
                == String(contentsOfFile: files.folder + "/all.jsonl", encoding: .utf8))
    }

    @Test("refusals: a missing or repeated part, other settings, eval parts; a non-.h5 part is a usage error")
    func refusals() throws {
        let files = try ShardedEvalFiles()
        let base = ["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--quiet"]
        for i in 0..<3 { #expect(runMFTool(base + ["--shard", "\(i)/3", "--out", files.folder + "/r-{shard}.h5"]) == 0) }
        for i in 0..<3 { #expect(runMFTool(base + ["--k", "4", "--shard", "\(i)/3", "--out", files.folder + "/k-{shard}.h5"]) == 0) }
        let parts = (0..<3).map { files.folder + "/r-\($0).h5" }
        let out = files.folder + "/m.csv"
        let missing = runMergeRecommendations([parts[0], parts[2]], out: out)
        #expect(missing.code == 1 && missing.message.contains("1/3") && missing.message.contains(files.folder))
        try FileManager.default.copyItem(atPath: parts[0], toPath: files.folder + "/copy.h5")
        let repeated = runMergeRecommendations(parts + [files.folder + "/copy.h5"], out: out)
        #expect(repeated.code == 1 && repeated.message.contains("repeats shard 0/3"))
        let settings = runMergeRecommendations([parts[0], files.folder + "/k-1.h5", parts[2]], out: out)
        #expect(settings.code == 1 && settings.message.contains("k-1.h5") && settings.message.contains("settings"))
        let eval = files.evalParts(3, prefix: "e")
        let kinds = runMergeRecommendations([parts[0], eval[1], parts[2]], out: out)
        #expect(kinds.code == 1 && kinds.message.contains(eval[1]))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(runMFTool(base + ["--shard", "0/3", "--out", files.folder + "/r-{shard}.csv"]) == 64)
        #expect(runMFTool(base + ["--out", files.folder + "/r-{shard}.h5"]) == 64)
    }
}
