import FixturePaths
import Foundation
@testable import IO
import Matrices
@testable import MFToolCommands
import Testing

/// eval, recommend, similar and export on float32 factor files, which they read as Float32
/// where nothing needs more, against the same values stored as float64 (read as Float64, as
/// every file was before): the outputs are the same.
@Suite("Outputs from float32 factor files")
struct Float32OutputsTests {
    /// The ridge fixture solved into float32 user factors, with float32 items, and both again
    /// as float64 files of the same values.
    func files(_ folder: String) throws -> (u32: String, v32: String, u64: String, v64: String) {
        let (u32, v32, u64, v64) = (folder + "/u32.h5", folder + "/v32.h5", folder + "/u64.h5", folder + "/v64.h5")
        let items = try FactorFile.read(FileSpec(Fixtures.path("ridge/items.h5")), side: .items)
        for (path, single) in [(v32, true), (v64, false)] {
            var file = FactorFile(side: .items, factors: DenseMatrix(rows: items.factors.rows, columns: items.factors.columns,
                                                                    storage: items.factors.storage.map { Double(Float($0)) }), ids: items.ids)
            file.single = single
            try file.write(to: path)
        }
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", v32, "--out", u32, "--quiet",
                           "--user-bias", "--lambda", "0.5", "--dtype", "float32"]) == 0)
        var wide = try FactorFile.read(FileSpec(u32))
        #expect(wide.single)
        wide.single = false
        try wide.write(to: u64)
        return (u32, v32, u64, v64)
    }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("eval, recommend and similar print the same from float32 files as from their float64 copies", arguments: ["single", "double"])
    func sameOutputs(precision: String) throws {
        let folder = Fixtures.scratchFolder()
        let f = try files(folder)
        let test = Fixtures.path("ridge/problem.h5")
        var outputs: [[String]] = []
        for (users, items, tag) in [(f.u32, f.v32, "32"), (f.u64, f.v64, "64")] {
            let (eval, recs, sim, simUsers) = (folder + "/eval\(tag).json", folder + "/recs\(tag).csv", folder + "/sim\(tag).csv", folder + "/simu\(tag).csv")
            #expect(runMFTool(["eval", "--users", users, "--items", items, "--test", test, "--k", "3,5", "--metrics", "rmse,mae,recall,ndcg,auc",
                               "--precision", precision, "--out", eval, "--quiet"]) == 0)
            #expect(runMFTool(["recommend", "--include-seen", "--users", users, "--items", items, "--k", "4", "--precision", precision, "--out", recs, "--quiet"]) == 0)
            #expect(runMFTool(["similar", "--items", items, "--all", "--k", "3", "--precision", precision, "--out", sim, "--quiet"]) == 0)
            #expect(runMFTool(["similar", "--users", users, "--all", "--k", "3", "--metric", "inner", "--precision", precision,
                               "--out", simUsers, "--quiet"]) == 0)
            outputs.append(try [eval, recs, sim, simUsers].map(contents))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0][1].split(separator: "\n").count > 4)
    }

    @Test("--precision single reads float64 files as Float32: eval (rmse included), recommend and similar --metric inner print what float32 files of the rounded values give")
    func singleRoundsAtRead() throws {
        let folder = Fixtures.scratchFolder()
        let (wideUsers, wideItems) = (folder + "/uw.h5", folder + "/vw.h5")
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                           "--out", wideUsers, "--quiet", "--user-bias", "--lambda", "0.5"]) == 0)
        let users = try FactorFile.read(FileSpec(wideUsers))
        let items = try FactorFile.read(FileSpec(Fixtures.path("ridge/items.h5")), side: .items)
        try items.write(to: wideItems)
        #expect(users.factors.storage.contains { Double(Float($0)) != $0 } && items.factors.storage.contains { Double(Float($0)) != $0 },
                "the float64 files hold values Float32 rounds")
        let (roundedUsers, roundedItems) = (folder + "/ur.h5", folder + "/vr.h5")
        for (file, path) in [(users, roundedUsers), (items, roundedItems)] {
            var rounded = file
            rounded.single = true
            try rounded.write(to: path)
        }
        let test = Fixtures.path("ridge/problem.h5")
        var outputs: [[String]] = []
        for (u, v, tag) in [(wideUsers, wideItems, "w"), (roundedUsers, roundedItems, "r")] {
            let (eval, recs, sim) = (folder + "/eval\(tag).json", folder + "/recs\(tag).csv", folder + "/sim\(tag).csv")
            #expect(runMFTool(["eval", "--users", u, "--items", v, "--test", test, "--k", "3,5", "--metrics", "rmse,mae,recall,ndcg",
                               "--precision", "single", "--out", eval, "--quiet"]) == 0)
            #expect(runMFTool(["recommend", "--include-seen", "--users", u, "--items", v, "--k", "4", "--precision", "single", "--out", recs, "--quiet"]) == 0)
            #expect(runMFTool(["similar", "--items", v, "--all", "--k", "3", "--metric", "inner", "--precision", "single", "--out", sim, "--quiet"]) == 0)
            outputs.append(try [eval, recs, sim].map(contents))
        }
        #expect(outputs[0] == outputs[1])
        let double = folder + "/eval-double.json"
        #expect(runMFTool(["eval", "--users", wideUsers, "--items", wideItems, "--test", test, "--k", "3,5", "--metrics", "rmse,mae,recall,ndcg",
                           "--out", double, "--quiet"]) == 0)
        let rmse = { (text: String) in (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["rmse"] as? Double }
        let doubleRMSE = rmse(try contents(double))
        #expect(doubleRMSE != nil && doubleRMSE != rmse(outputs[0][0]), "double precision keeps the unrounded factors")
    }

    @Test("export --dtype float32 stores float32 vectors equal to the float64 export's, rounded; inputs of either dtype export alike")
    func exportDtype() throws {
        let folder = Fixtures.scratchFolder()
        let f = try files(folder)
        var vectors: [String: (items: [Double], queries: [Double], offsets: [Double])] = [:]
        for (users, items, dtype, tag) in [(f.u32, f.v32, "float64", "a"), (f.u64, f.v64, "float64", "b"), (f.u32, f.v32, "float32", "c")] {
            let out = folder + "/ann-\(tag).h5"
            #expect(runMFTool(["export", "--ann", "--users", users, "--items", items, "--dtype", dtype, "--out", out, "--quiet"]) == 0)
            let file = try HDF5File.open(out, limits: ReadLimits())
            #expect(try file.info("/item_vectors").kind == .float(bytes: dtype == "float32" ? 4 : 8))
            #expect(try file.info("/query_vectors").kind == .float(bytes: dtype == "float32" ? 4 : 8))
            #expect(try file.info("/query_offsets").kind == .float(bytes: 8))
            vectors[tag] = (try file.read("/item_vectors", as: Double.self).values, try file.read("/query_vectors", as: Double.self).values,
                            try file.read("/query_offsets", as: Double.self).values)
        }
        let (a, b, c) = (try #require(vectors["a"]), try #require(vectors["b"]), try #require(vectors["c"]))
        #expect(a.items == b.items && a.queries == b.queries && a.offsets == b.offsets)
        #expect(c.items == a.items.map { Double(Float($0)) } && c.queries == a.queries.map { Double(Float($0)) } && c.offsets == a.offsets)
        #expect(!a.items.isEmpty && a.offsets.contains { $0 != 0 })
    }
}
