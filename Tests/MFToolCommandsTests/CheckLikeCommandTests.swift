import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// The relative gap `check --json` reports, or nil when it failed.
func checkGap(_ arguments: [String]) throws -> Double? {
    let (code, lines) = runCapturing(["check"] + arguments + ["--json"])
    guard code == 0, let line = lines.first else { return nil }
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    return object["relative_gap"] as? Double
}

@Suite("check and eval: the objective and model terms a factor file records, or --like's")
struct CheckLikeCommandTests {
    let interactions = Fixtures.path("ridge/problem.h5")
    let items = Fixtures.path("ridge/items.h5")

    func solve(_ out: String, _ extra: [String]) -> Int32 {
        runMFTool(["solve", "--interactions", interactions, "--items", items, "--out", out, "--quiet"] + extra)
    }

    /// The factors of `path` with their ids and nothing recorded, as an h5py dump writes them.
    func bare(_ path: String, to out: String) throws {
        let read = try FactorFile.read(FileSpec(path))
        try FactorFile(factors: read.factors, ids: read.ids).write(to: out)
    }

    @Test("check uses the recorded λ; a typed λ that contradicts it is an error unless --override")
    func recordedObjective() throws {
        let folder = Fixtures.scratchFolder()
        let trained = folder + "/u.h5"
        #expect(solve(trained, ["--lambda", "1", "--reg", "count"]) == 0)
        let check = ["--users", trained, "--interactions", interactions, "--items", items]
        // The exact optimum of the recorded objective: a gap at rounding level, not the
        // default λ = 0.1's.
        let gap = try #require(try checkGap(check))
        #expect(abs(gap) < 1e-12)
        #expect(try checkGap(check + ["--lambda", "1"]).map { abs($0) < 1e-12 } == true)
        let contradicted = runMFToolReporting(["check"] + check + ["--lambda", "0.1"])
        #expect(contradicted.code == 1 && contradicted.message.contains("--lambda 0.1 (recorded: 1.0)")
                && contradicted.message.contains(trained))
        let overridden = try #require(try checkGap(check + ["--lambda", "0.1", "--override"]))
        #expect(overridden > 1e-6)
    }

    @Test("check --like takes the objective for factors that record none; without it the flags apply")
    func likeForBareFactors() throws {
        let folder = Fixtures.scratchFolder()
        let (trained, dump) = (folder + "/u.h5", folder + "/dump.h5")
        #expect(solve(trained, ["--lambda", "3", "--user-bias", "--offset", "global-mean"]) == 0)
        try bare(trained, to: dump)
        let check = ["--users", dump, "--interactions", interactions, "--items", items]
        #expect(try checkGap(check + ["--like", trained]).map { abs($0) < 1e-12 } == true)
        #expect(try checkGap(check + ["--lambda", "3", "--user-bias", "--offset", "global-mean"]).map { abs($0) < 1e-12 } == true)
        #expect(runMFTool(["check"] + check + ["--lambda", "3"]) == 1)  // k + 1 columns without --user-bias
        #expect(runMFTool(["check"] + check + ["--override"]) == 64)
        let refused = runMFToolReporting(["check"] + check + ["--like", trained, "--lambda", "2"])
        #expect(refused.code == 1 && refused.message.contains("--lambda 2.0 (recorded: 3.0)"))
    }

    @Test("eval --like: μ and the biases of another factor file; a user file recording other terms is refused")
    func evalLike() throws {
        let folder = Fixtures.scratchFolder()
        let (trained, dump, plain) = (folder + "/u.h5", folder + "/dump.h5", folder + "/plain.h5")
        #expect(solve(trained, ["--lambda", "3", "--user-bias", "--offset", "global-mean"]) == 0)
        #expect(solve(plain, ["--lambda", "3", "--user-bias"]) == 0)
        try bare(trained, to: dump)
        let eval = ["eval", "--items", items, "--test", interactions, "--metrics", "rmse", "--json"]
        let recorded = try #require(try jsonSummary(eval + ["--users", trained])["rmse"] as? Double)
        let liked = try #require(try jsonSummary(eval + ["--users", dump, "--like", trained])["rmse"] as? Double)
        #expect(liked == recorded)
        // Without --like the dump has no μ and no user bias column: its k + 1 columns do not fit.
        #expect(runMFTool(eval + ["--users", dump]) == 1)
        let refused = runMFToolReporting(eval + ["--users", plain, "--like", trained])
        #expect(refused.code == 1 && refused.message.contains("offset none (--like: global-mean)"))
        let overridden = try #require(try jsonSummary(eval + ["--users", plain, "--like", trained, "--override"])["rmse"] as? Double)
        #expect(overridden != recorded)
    }

    @Test("solve --like an ALS user file takes the item bias its items file stores, as the explicit flags do")
    func likeALSItemBias() throws {
        let folder = Fixtures.scratchFolder()
        let (users, learned) = (folder + "/als_u.h5", folder + "/als_v.h5")
        #expect(runMFTool(["fit", "--method", "als", "--k", "3", "--epochs", "2", "--lambda", "0.5", "--user-bias", "--offset", "global-mean",
                           "--interactions", interactions, "--out", users, "--items-out", learned, "--quiet"]) == 0)
        let mean = try FactorFile.read(FileSpec(users)).globalMean
        let base = ["solve", "--interactions", interactions, "--items", learned, "--quiet", "--out"]
        #expect(runMFTool(base + [folder + "/like.h5", "--like", users]) == 0)
        #expect(runMFTool(base + [folder + "/flags.h5", "--lambda", "0.5", "--user-bias", "--offset", "global-mean",
                                  "--mean", "\(mean)", "--item-bias", learned + ":/item_bias"]) == 0)
        let (a, b) = (try FactorFile.read(FileSpec(folder + "/like.h5")), try FactorFile.read(FileSpec(folder + "/flags.h5")))
        #expect(a.factors.storage.map(\.bitPattern) == b.factors.storage.map(\.bitPattern))
        #expect(a.itemBias != nil && a.itemBias == b.itemBias)
    }
}
