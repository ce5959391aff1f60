import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// The provenance attributes of an HDF5 file, with the settings and inputs parsed.
private func provenance(_ path: String) throws -> (command: String?, settings: [String: Any], inputs: [String: Any]) {
    let attributes = try Provenance.read(path)
    #expect(attributes["mftool_version"] == mftoolVersion, "\(path)")
    func object(_ name: String) throws -> [String: Any] {
        let text = try #require(attributes[name], "\(path) has no \(name)")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
    return (attributes["mftool_command"], try object("mftool_settings"), try object("mftool_inputs"))
}

/// The dtype of a dataset, as `inspect` lists it.
private func dtype(_ path: String, _ dataset: String) throws -> String? {
    try HDF5Catalog.describe(path)?.first { $0["path"] as? String == dataset }?["dtype"] as? String
}

@Suite("provenance attributes and id types of outputs")
struct ProvenanceTests {
    @Test("generate, convert and split record the version, their settings and inputs")
    func interactionsOutputs() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v, u) = (folder + "/r.h5", folder + "/v.h5", folder + "/u.h5")
        #expect(runMFTool(["generate", "--preset", "ml100k-shape", "--users", "50", "--nnz", "400", "--seed", "9",
                           "--out", r, "--items-out", v, "--users-out", u, "--quiet"]) == 0)
        for path in [r, v, u] {
            let p = try provenance(path)
            #expect(p.command == "generate")
            #expect(p.settings["preset"] as? String == "ml100k-shape" && p.settings["users"] as? Int == 50 && p.settings["seed"] as? Int == 9)
            #expect(p.settings["items"] as? Int == 1682 && p.settings["k"] as? Int == 32)
        }
        #expect(try FactorFile.read(FileSpec(u)).version == mftoolVersion)

        let csv = Fixtures.path("io/ratings.csv")
        #expect(runMFTool(["convert", csv, folder + "/c.h5", "--min-value", "2", "--sort-ids", "--quiet"]) == 0)
        let c = try provenance(folder + "/c.h5")
        #expect(c.command == "convert" && c.inputs["input"] as? String == csv)
        #expect(c.settings["min_value"] as? Double == 2 && c.settings["sort_ids"] as? Bool == true && c.settings["duplicates"] as? String == "sum")
        #expect(runMFTool(["convert", Fixtures.path("io/items_f64.npy"), folder + "/e.h5", "--quiet"]) == 0)
        #expect(try provenance(folder + "/e.h5").command == "convert")

        #expect(runMFTool(["split", "--interactions", r, "--train", folder + "/tr.h5", "--test", folder + "/te.h5",
                           "--by", "random", "--seed", "4", "--quiet"]) == 0)
        for path in [folder + "/tr.h5", folder + "/te.h5"] {
            let s = try provenance(path)
            #expect(s.command == "split" && s.inputs["interactions"] as? String == r)
            #expect(s.settings["by"] as? String == "random" && s.settings["seed"] as? Int == 4 && s.settings["test_fraction"] as? Double == 0.2)
        }
        // The canonical layout's own attributes are untouched.
        #expect(try InteractionsFile.read(FileSpec(folder + "/tr.h5")).0.userCount == 50)
    }

    @Test("fit --method als records its inputs on both factor files, beside their own attributes")
    func als() throws {
        let folder = Fixtures.scratchFolder()
        let r = Fixtures.path("ridge/problem.h5")
        #expect(runMFTool(["fit", "--method", "als", "--k", "3", "--epochs", "1", "--interactions", r,
                           "--out", folder + "/u.h5", "--items-out", folder + "/v.h5", "--quiet"]) == 0)
        for path in [folder + "/u.h5", folder + "/v.h5"] {
            let p = try provenance(path)
            #expect(p.command == "fit" && p.inputs["interactions"] as? String == r && p.settings["k"] as? Int == 3)
            #expect(try FactorFile.read(FileSpec(path)).run?.method == .als)
        }
    }

    @Test("solve, its merged parts and fit --method adam record their command, settings and inputs")
    func factorOutputs() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = (Fixtures.path("ridge/problem.h5"), Fixtures.path("ridge/items.h5"))
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--lambda", "2", "--reg", "count",
                           "--threads", "1", "--quiet"]) == 0)
        let solved = try provenance(folder + "/u.h5")
        #expect(solved.command == "solve" && solved.inputs["interactions"] as? String == r && solved.inputs["items"] as? String == v)
        #expect(solved.settings["lambda"] as? Double == 2 && solved.settings["reg"] as? String == "count"
                && solved.settings["loss"] as? String == "observed" && solved.settings["threads"] as? Int == 1)
        for i in 0..<2 {
            #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/p-{shard}.h5", "--lambda", "2",
                               "--shard", "\(i)/2", "--quiet"]) == 0)
        }
        #expect(runMFTool(["merge", folder + "/p-1.h5", folder + "/p-0.h5", "--out", folder + "/m.h5", "--quiet"]) == 0)
        let merged = try provenance(folder + "/m.h5")
        #expect(merged.command == "merge" && merged.settings["parts"] as? Int == 2 && merged.settings["part_command"] as? String == "solve")
        #expect((merged.settings["part_settings"] as? [String: Any])?["lambda"] as? Double == 2)
        #expect((merged.inputs["parts"] as? [String])?.count == 2 && (merged.inputs["part_inputs"] as? [String: Any])?["items"] as? String == v)
        #expect(runMFTool(["fit", "--method", "adam", "--epochs", "2", "--lr", "0.01", "--interactions", r, "--items", v,
                           "--out", folder + "/a.h5", "--quiet"]) == 0)
        let adam = try provenance(folder + "/a.h5")
        #expect(adam.command == "fit" && adam.settings["method"] as? String == "adam" && adam.settings["lr"] as? Double == 0.01
                && adam.settings["init"] as? String == "random" && adam.inputs["items"] as? String == v)
    }

    @Test("recommend --out .h5 records provenance and keeps integer ids as int64; string ids stay strings")
    func recommendations() throws {
        let folder = Fixtures.scratchFolder()
        let (r, v) = (folder + "/r.h5", folder + "/v.h5")
        #expect(runMFTool(["generate", "--users", "20", "--items", "15", "--nnz", "100", "--k", "3", "--out", r, "--items-out", v, "--quiet"]) == 0)
        #expect(runMFTool(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--quiet"]) == 0)
        let base = ["recommend", "--users", folder + "/u.h5", "--items", v, "--train", r, "--k", "3", "--quiet"]
        #expect(runMFTool(base + ["--out", folder + "/recs.h5"]) == 0)
        let p = try provenance(folder + "/recs.h5")
        #expect(p.command == "recommend" && p.inputs["train"] as? String == r && p.settings["k"] as? Int == 3)
        #expect(try dtype(folder + "/recs.h5", "/item_ids") == "int64" && dtype(folder + "/recs.h5", "/user_ids") == "int64")

        #expect(runMFTool(base + ["--out", folder + "/recs.jsonl"]) == 0)
        let first = try String(contentsOfFile: folder + "/recs.jsonl", encoding: .utf8).split(separator: "\n")[0]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(object["user"] is Int && (object["items"] as? [Any])?.allSatisfy { $0 is Int } == true)
    }

    @Test("recommendation files with string ids write strings")
    func stringIDs() throws {
        let folder = Fixtures.scratchFolder()
        let recs = RecommendationsFile.Lists(users: ["u1", "u2"], lists: [[("a", 1.5), ("b", 1)], [("c", 2)]],
                                             integerUsers: false, integerItems: false)
        try RecommendationsFile.write(recs, k: 2, to: folder + "/r.h5")
        #expect(try dtype(folder + "/r.h5", "/item_ids") == "string" && dtype(folder + "/r.h5", "/user_ids") == "string")
        try RecommendationsFile.write(recs, k: 2, to: folder + "/r.jsonl")
        let text = try String(contentsOfFile: folder + "/r.jsonl", encoding: .utf8)
        #expect(text == #"{"items":["a","b"],"scores":[1.5,1],"user":"u1"}"# + "\n" + #"{"items":["c"],"scores":[2],"user":"u2"}"# + "\n")
    }
}
