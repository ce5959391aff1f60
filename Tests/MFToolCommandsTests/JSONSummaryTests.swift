import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// Runs a command line with stdout captured; its exit code and the lines it printed.
func runCapturing(_ arguments: [String]) -> (Int32, [String]) {
    let capture = Console.Capture()
    let code = Console.$capture.withValue(capture) { runMFTool(arguments) }
    return (code, capture.lines)
}

/// The one JSON object a `--json` run printed.
func jsonSummary(_ arguments: [String]) throws -> [String: Any] {
    let (code, lines) = runCapturing(arguments)
    #expect(code == 0)
    #expect(lines.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8))
    return try #require(object as? [String: Any])
}

@Suite("--json summaries")
struct JSONSummaryTests {
    static func generated(_ folder: String) throws -> (String, String) {
        let (out, items) = (folder + "/r.h5", folder + "/v.h5")
        #expect(runMFTool(["generate", "--users", "60", "--items", "30", "--nnz", "600", "--k", "4", "--seed", "3",
                           "--out", out, "--items-out", items, "--quiet"]) == 0)
        return (out, items)
    }

    @Test("solve --side items")
    func solveItemSide() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = try Self.generated(folder)
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--quiet"]) == 0)
        let s = try jsonSummary(["solve", "--side", "items", "--users", folder + "/u.h5", "--interactions", r,
                                 "--out", folder + "/v2.h5", "--json", "--quiet"])
        #expect(s["side"] as? String == "items" && s["items"] as? Int == 30 && s["users"] as? Int == 60 && s["k"] as? Int == 4)
        #expect((s["objective"] as? Double).map { $0.isFinite } == true && s["out"] as? String == folder + "/v2.h5")
    }

    @Test("export --ann")
    func export() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = try Self.generated(folder)
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--quiet"]) == 0)
        let s = try jsonSummary(["export", "--ann", "--users", folder + "/u.h5", "--items", v, "--out", folder + "/ann.h5",
                                 "--dtype", "float32", "--json", "--quiet"])
        #expect(s["items"] as? Int == 30 && s["queries"] as? Int == 60 && s["columns"] as? Int == 5)
        #expect(s["dtype"] as? String == "float32" && s["out"] as? String == folder + "/ann.h5")
    }

    @Test("every subcommand takes --json, as the README says of every command with a summary")
    func everyCommand() {
        for command in MFTool.configuration.subcommands {
            #expect(command.helpMessage(columns: 400).contains("--json"), "\(command._commandName)")
        }
    }

    @Test("generate")
    func generate() throws {
        let folder = Fixtures.scratchFolder()
        let s = try jsonSummary(["generate", "--users", "60", "--items", "30", "--nnz", "600", "--k", "4",
                                 "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "--json", "--quiet"])
        let (x, _) = try InteractionsFile.read(FileSpec(folder + "/r.h5"))
        #expect(s["users"] as? Int == 60 && s["items"] as? Int == 30 && s["k"] as? Int == 4)
        #expect(s["nnz"] as? Int == x.matrix.nnz && s["items_out"] as? String == folder + "/v.h5")
        #expect(s["users_out"] is NSNull)
    }

    @Test("convert: interactions with the duplicates and drops, and embeddings")
    func convert() throws {
        let folder = Fixtures.scratchFolder()
        let s = try jsonSummary(["convert", Fixtures.path("io/duplicates.csv"), folder + "/d.h5", "--json", "--quiet"])
        let (x, report) = try InteractionsFile.read(FileSpec(Fixtures.path("io/duplicates.csv")))
        #expect(s["nnz"] as? Int == x.matrix.nnz && s["users"] as? Int == x.userCount && s["items"] as? Int == x.itemCount)
        #expect(s["duplicates"] as? Int == report.duplicates && report.duplicates > 0)
        #expect(s["duplicate_policy"] as? String == "sum" && s["dropped_interactions"] as? Int == 0)
        let e = try jsonSummary(["convert", Fixtures.path("io/items_f64.npy"), folder + "/e.h5", "--json", "--quiet"])
        let items = try EmbeddingsFile.read(FileSpec(folder + "/e.h5")).factors
        #expect(e["kind"] as? String == "embeddings" && e["rows"] as? Int == items.rows && e["columns"] as? Int == items.columns)
    }

    @Test("split: the interactions of each output")
    func split() throws {
        let folder = Fixtures.scratchFolder()
        let (r, _) = try Self.generated(folder)
        let s = try jsonSummary(["split", "--interactions", r, "--train", folder + "/tr.h5", "--test", folder + "/te.h5",
                                 "--seed", "1", "--json", "--quiet"])
        let (train, _) = try InteractionsFile.read(FileSpec(folder + "/tr.h5"))
        let (test, _) = try InteractionsFile.read(FileSpec(folder + "/te.h5"))
        #expect(s["by"] as? String == "random" && s["train"] as? Int == train.matrix.nnz && s["test"] as? Int == test.matrix.nnz)
        #expect(s["interactions"] as? Int == train.matrix.nnz + test.matrix.nnz)
    }

    @Test("fit --method als and fit --method adam; --json with --check-json is refused")
    func fit() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = try Self.generated(folder)
        let als = try jsonSummary(["fit", "--method", "als", "--k", "3", "--epochs", "2", "--interactions", r,
                                   "--out", folder + "/u.h5", "--items-out", folder + "/w.h5", "--json", "--quiet"])
        #expect(als["method"] as? String == "als" && als["epochs"] as? Int == 2 && als["k"] as? Int == 3)
        #expect(als["users"] as? Int == 60 && (als["objective"] as? Double).map { $0.isFinite && $0 > 0 } == true)
        let adam = try jsonSummary(["fit", "--method", "adam", "--epochs", "3", "--interactions", r, "--items", v,
                                    "--out", folder + "/a.h5", "--json", "--quiet"])
        #expect(adam["epochs"] as? Int == 3 && adam["objective"] is Double && adam["loss"] is Double)
        #expect(runMFTool(["fit", "--interactions", r, "--items", v, "--out", folder + "/b.h5", "--json", "--check", "--check-json"]) == 64)
    }

    @Test("recommend: users, K and the number of recommendations")
    func recommend() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = try Self.generated(folder)
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--quiet"]) == 0)
        let s = try jsonSummary(["recommend", "--users", folder + "/u.h5", "--items", v, "--train", r, "--k", "5",
                                 "--out", folder + "/recs.csv", "--json", "--quiet"])
        #expect(s["users"] as? Int == 60 && s["k"] as? Int == 5 && s["recommendations"] as? Int == 300)
    }

    @Test("non-finite numbers become null instead of emptying the object")
    func nonFinite() throws {
        let text = Console.json(["a": Double.nan, "b": [1.5, -Double.infinity], "c": 2] as [String: Any])
        #expect(text == #"{"a":null,"b":[1.5,null],"c":2}"#)
    }
}
