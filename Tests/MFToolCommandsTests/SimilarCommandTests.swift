import FixturePaths
import Foundation
@testable import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("mftool similar")
struct SimilarCommandTests {
    @Test("items by cosine: CSV rows as the embeddings give them, never the item itself; HDF5 and JSONL alike")
    func items() throws {
        let folder = Fixtures.scratchFolder()
        let items = Fixtures.path("io/items.h5")
        let embeddings = try EmbeddingsFile.read(FileSpec(items))
        let ids = try #require(embeddings.itemIDs)
        let v = embeddings.factors
        let csv = folder + "/sim.csv"
        #expect(runMFTool(["similar", "--items", items, "--item", "up", "--k", "3", "--out", csv, "--quiet"]) == 0)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "item,rank,neighbor,score" && lines.count == 4)
        let q = try #require(ids.index(of: "up"))
        func cosine(_ a: Int, _ b: Int) -> Double {
            let dot = (0..<v.columns).reduce(0.0) { $0 + v[a, $1] * v[b, $1] }
            let na = (0..<v.columns).reduce(0.0) { $0 + v[a, $1] * v[a, $1] }, nb = (0..<v.columns).reduce(0.0) { $0 + v[b, $1] * v[b, $1] }
            return dot / (na * nb).squareRoot()
        }
        let expected = (0..<v.rows).filter { $0 != q }.sorted { cosine(q, $0) > cosine(q, $1) }.prefix(3)
        for (line, i) in zip(lines.dropFirst(), expected) {
            let fields = line.split(separator: ",")
            #expect(fields[0] == "up" && fields[2] == Substring(ids.ids[i]))
            #expect(abs(Double(fields[3])! - cosine(q, i)) < 1e-12)
        }
        let h5 = folder + "/sim.h5"
        #expect(runMFTool(["similar", "--items", items, "--all", "--k", "2", "--out", h5, "--quiet"]) == 0)
        let file = try HDF5File.open(h5, limits: ReadLimits())
        #expect(try file.readStrings("/item_ids") == ids.ids)
        #expect(try file.info("/neighbor_ids").shape == [v.rows, 2])
        let jsonl = folder + "/sim.jsonl"
        #expect(runMFTool(["similar", "--items", items, "--item", "up", "--metric", "inner", "--out", jsonl, "--quiet"]) == 0)
        let object = try JSONSerialization.jsonObject(with: Data(try String(contentsOfFile: jsonl, encoding: .utf8).utf8)) as? [String: Any]
        #expect(object?["item"] as? String == "up" && (object?["neighbors"] as? [String])?.count == v.rows - 1)
    }

    @Test("users without the bias column; an unknown id and a missing side are errors")
    func users() throws {
        let files = try MisalignmentFiles()
        let out = files.folder + "/sim.csv"
        #expect(runMFTool(["similar", "--users", files.users, "--user", "alice", "--k", "2", "--out", out, "--quiet"]) == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("user,rank,neighbor,score\nalice,1,"))
        #expect(runMFToolReporting(["similar", "--users", files.users, "--user", "nobody", "--out", out]).code == 1)
        #expect(runMFTool(["similar", "--users", files.users, "--out", out]) == 64)
        #expect(runMFTool(["similar", "--items", files.items, "--users", files.users, "--all", "--out", out]) == 64)
    }

    @Test("cosine of subnormal rows: (3, 4)·2⁻¹⁰⁶⁰ against (4, 3)·2⁻¹⁰⁶⁰ is 24/25 and against (6, 8)·2⁻¹⁰⁶⁰ is 1, in both precisions")
    func subnormalRows() throws {
        let folder = Fixtures.scratchFolder()
        let tiny = 0x1p-1060
        #expect(!(3 * tiny).isNormal, "the entries are subnormal")
        let rows: [[Double]] = [[3, 4], [4, 3], [6, 8]]
        try NumPyFile.write(rows: 3, columns: 2, to: folder + "/v.npy") { i, j in rows[i][j] * tiny }
        for precision in ["double", "single"] {
            let out = folder + "/sim-\(precision).csv"
            #expect(runMFTool(["similar", "--items", folder + "/v.npy", "--item", "0", "--k", "2", "--precision", precision, "--out", out, "-q"]) == 0)
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            #expect(lines.map { $0[2] } == ["2", "1"], "\(lines)")
            let tolerance = precision == "double" ? 1e-15 : 1e-6
            #expect(abs(Double(lines[0][3])! - 1) <= tolerance && abs(Double(lines[1][3])! - 0.96) <= tolerance, "\(lines)")
        }
    }
}
