import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("messages a new user meets: negative values, usage errors, merge mismatches, ids in JSON, caveats")
struct MessageTests {
    let interactions = Fixtures.path("ridge/problem.h5")
    let items = Fixtures.path("ridge/items.h5")

    @Test("a negative number after an option is its value: --lambda -1 names the real problem, --mean -0.5 is accepted")
    func negativeValues() throws {
        let folder = Fixtures.scratchFolder()
        let solve = ["solve", "--interactions", interactions, "--items", items, "--out", folder + "/u.h5", "--quiet"]
        let negative = runMFToolReporting(solve + ["--lambda", "-1"])
        #expect(negative.code == 64 && negative.message.contains("--lambda must be a finite number ≥ 0"), "\(negative.message)")
        #expect(runMFTool(solve + ["--offset", "global-mean", "--mean", "-0.5"]) == 0)
        #expect(try FactorFile.read(FileSpec(folder + "/u.h5")).globalMean == -0.5)
    }

    @Test("eval's --k 0 and an unknown metric, recommend's --k 0, are refused while parsing, so eval's own usage is shown")
    func usageErrors() {
        let eval = ["eval", "--users", "u.h5", "--items", "v.h5", "--test", "t.h5"]
        for bad in [eval + ["--k", "0"], eval + ["--metrics", "rmse,foo"],
                    ["recommend", "--users", "u.h5", "--items", "v.h5", "--include-seen", "--out", "r.csv", "--k", "0"]] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try MFTool.parseAsRoot(bad) }
            #expect(runMFTool(bad) == 64)
        }
        #expect(runMFToolReporting(eval + ["--metrics", "foo"]).message.contains("choose from auc, coverage"))
        #expect(throws: Never.self) { _ = try MFTool.parseAsRoot(eval + ["--k", "5,10"]) }
    }

    @Test("merge of parts of different runs names the settings that differ, on one line")
    func mergeMismatch() throws {
        let folder = Fixtures.scratchFolder()
        let base = ["solve", "--interactions", interactions, "--items", items, "--quiet"]
        #expect(runMFTool(base + ["--shard", "0/2", "--out", folder + "/p-0.h5"]) == 0)
        #expect(runMFTool(base + ["--shard", "1/2", "--lambda", "2", "--out", folder + "/p-1.h5"]) == 0)
        let merged = runMFToolReporting(["merge", folder + "/p-0.h5", folder + "/p-1.h5", "--out", folder + "/m.h5"])
        #expect(merged.code == 1 && merged.message.contains("its settings differ: lambda 2.0 (first part: 0.1)"), "\(merged.message)")
        #expect(!merged.message.contains("\\n") && !merged.message.contains("\n") && !merged.message.contains("reg="))
    }

    @Test("integer ids are numbers in inspect --json and explain --json, as in .jsonl; string ids stay strings")
    func integerIDs() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = (folder + "/r.h5", folder + "/v.h5")
        #expect(runMFTool(["generate", "--users", "20", "--items", "15", "--nnz", "100", "--k", "3", "--out", r, "--items-out", v, "--quiet"]) == 0)
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--quiet"]) == 0)
        for path in [r, v, folder + "/u.h5"] {
            let s = try jsonSummary(["inspect", path, "--json"])
            let ids = (s["user_ids"] ?? s["item_ids"]) as? [Any]
            #expect(ids?.isEmpty == false && ids?.allSatisfy { $0 is Int } == true, "\(path)")
        }
        let (x, _) = try InteractionsFile.read(FileSpec(r))
        let (user, item) = (x.userIDs.ids[0], x.itemIDs.ids[Int(x.matrix.indices[0])])
        let e = try jsonSummary(["explain", "--users", folder + "/u.h5", "--items", v, "--interactions", r, "--user", user, "--item", item, "--json"])
        #expect(e["user"] as? Int == Int(user) && e["item"] as? Int == Int(item))
        #expect((e["contributions"] as? [[String: Any]])?.allSatisfy { $0["item"] is Int } == true)
        let strings = try jsonSummary(["inspect", Fixtures.path("io/ratings.csv"), "--json"])
        #expect((strings["user_ids"] as? [Any])?.allSatisfy { $0 is String } == true)
    }

    @Test("eval of implicit-loss factors marks RMSE and MAE as beside the point; explicit factors carry no note")
    func implicitCaveat() throws {
        let folder = Fixtures.scratchFolder()
        let solve = ["solve", "--interactions", interactions, "--items", items, "--quiet", "--out"]
        #expect(runMFTool(solve + [folder + "/i.h5", "--loss", "implicit", "--alpha", "2"]) == 0)
        #expect(runMFTool(solve + [folder + "/o.h5"]) == 0)
        let eval = ["eval", "--items", items, "--test", interactions, "--metrics", "rmse,mae", "--json", "--users"]
        let implicit = try jsonSummary(eval + [folder + "/i.h5"])
        #expect((implicit["rating_metrics_note"] as? String)?.contains("implicit") == true && implicit["rmse"] is Double)
        #expect(try jsonSummary(eval + [folder + "/o.h5"])["rating_metrics_note"] == nil)
        let ranking = try jsonSummary(["eval", "--items", items, "--test", interactions, "--metrics", "recall", "--json", "--users", folder + "/i.h5"])
        #expect(ranking["rating_metrics_note"] == nil)
    }
}
