import FixturePaths
import Foundation
@testable import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("mftool export --ann")
struct ExportCommandTests {
    @Test("a maximum-inner-product search over the exported vectors ranks as recommend, and adds up to its scores")
    func reproducesRecommend() throws {
        let folder = Fixtures.scratchFolder()
        let items = Fixtures.path("ridge/items.h5"), users = folder + "/u.h5", ann = folder + "/ann.h5", recs = folder + "/recs.csv"
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", items, "--out", users, "--quiet",
                           "--user-bias", "--offset", "global-mean", "--item-bias", items + ":/item_bias", "--lambda", "0.5"]) == 0)
        #expect(runMFTool(["export", "--ann", "--users", users, "--items", items, "--out", ann, "--quiet"]) == 0)
        let k = 8
        #expect(runMFTool(["recommend", "--include-seen", "--users", users, "--items", items, "--k", "\(k)", "--out", recs, "--quiet"]) == 0)
        let file = try HDF5File.open(ann, limits: ReadLimits())
        func matrix(_ name: String) throws -> DenseMatrix<Double> {
            let (shape, values) = try file.read(name, as: Double.self)
            return DenseMatrix(rows: shape[0], columns: shape[1], storage: values)
        }
        let itemVectors = try matrix("/item_vectors"), queries = try matrix("/query_vectors")
        let offsets = try file.read("/query_offsets", as: Double.self).values
        let itemIDs = try file.readStrings("/item_ids"), userIDs = try file.readStrings("/user_ids")
        let bias = try EmbeddingsFile.readVector(FileSpec(path: items, object: "/item_bias"))
        #expect((0..<itemVectors.rows).allSatisfy { itemVectors[$0, itemVectors.columns - 1] == bias[$0] })
        #expect((0..<queries.rows).allSatisfy { queries[$0, queries.columns - 1] == 1 })
        var expected: [String: [(String, Double)]] = [:]
        for u in 0..<queries.rows {
            let scores = (0..<itemVectors.rows).map { i in (0..<queries.columns).reduce(0.0) { $0 + queries[u, $1] * itemVectors[i, $1] } }
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k)
            expected[userIDs[u]] = ranked.map { (itemIDs[$0], scores[$0] + offsets[u]) }
        }
        var got: [String: [(String, Double)]] = [:]
        for line in try String(contentsOfFile: recs, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            got[f[0], default: []].append((f[2], Double(f[3])!))
        }
        #expect(got.count == queries.rows)
        for (user, list) in got {
            let want = try #require(expected[user])
            #expect(list.map(\.0) == want.map(\.0), "user \(user)")
            for (a, b) in zip(list, want) { #expect(abs(a.1 - b.1) <= 1e-12 * Swift.max(1, abs(b.1))) }
        }
    }

    @Test("export without --ann is a usage error")
    func needsANN() {
        #expect(runMFTool(["export", "--users", "u.h5", "--items", "v.h5", "--out", "x.h5"]) == 64)
    }
}
