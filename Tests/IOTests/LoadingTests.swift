import FixturePaths
import Foundation
@testable import IO
import Loading
import Matrices
import Solvers
import Testing

/// Loading in the library: a problem's files and a model's files read, aligned by id and
/// sharded without the command line.
@Suite("Loading: problems and models from files")
struct LoadingTests {
    let folder = Fixtures.scratchFolder("LoadingTests")

    /// Writes `lines` as a CSV with a `user,item,value` header and returns its path.
    func csv(_ name: String, _ lines: [String]) throws -> String {
        let path = folder + "/" + name
        try (["user,item,value"] + lines).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Items c, a, b (in that row order) with rows 3, 1, 2 times (1, 0).
    func items() throws -> String {
        let path = folder + "/items.h5"
        let factors = DenseMatrix<Double>(rows: 3, columns: 2, storage: [3, 0, 1, 0, 2, 0])
        try EmbeddingsFile.write(factors, ids: try IDMap(["c", "a", "b"]), to: path)
        return path
    }

    /// A float64 C-order `.npy` of a `rows` × `columns` matrix (format version 1.0).
    func npyMatrix(_ values: [Double], rows: Int, columns: Int) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The dense rows of a CSR matrix.
    func rows(_ m: CSRMatrix) -> [[Double]] {
        (0..<m.rows).map { u in
            var row = [Double](repeating: 0, count: m.columns)
            for p in m.range(ofRow: u) { row[Int(m.indices[p])] = m.values[p] }
            return row
        }
    }

    @Test("a problem's items are aligned to the embeddings' rows by id, and its solve is the ridge solution")
    func problemByID() throws {
        let x = try csv("x.csv", ["u1,a,1", "u1,b,2", "u2,c,5"])
        var notices = AlignmentNotices()
        let loaded = try ProblemInput(interactions: FileSpec(x), items: FileSpec(try items()))
            .load(objective: Objective(loss: .observed, lambda: 0.5), notices: &notices)
        #expect(loaded.interactions.itemIDs.ids == ["c", "a", "b"])
        #expect(rows(loaded.problem.interactions) == [[0, 1, 2], [5, 0, 0]])
        // u1 sees a (v = 1) with 1 and b (v = 2) with 2: x = (1·1 + 2·2) / (1 + 4 + 0.5).
        let x1 = try RidgeSolver(threads: 1).solve(loaded.problem).factors[0, 0]
        #expect(abs(x1 - 5 / 5.5) < 1e-14)
        #expect(notices.lines.isEmpty)
    }

    @Test("an item the embeddings lack is an error naming it; embeddings without ids align by position with a notice")
    func problemRefusals() throws {
        let x = try csv("unknown.csv", ["u1,a,1", "u1,zz,2"])
        var notices = AlignmentNotices()
        #expect { try ProblemInput(interactions: FileSpec(x), items: FileSpec(try items())).load(objective: Objective(loss: .observed), notices: &notices) }
            throws: { "\($0)".contains("zz") }
        let npy = folder + "/items.npy"
        try npyMatrix([3, 0, 1, 0, 2, 0], rows: 3, columns: 2).write(to: URL(fileURLWithPath: npy))
        let positional = try csv("positional.csv", ["u1,0,1", "u2,1,1", "u2,2,1"])
        let loaded = try ProblemInput(interactions: FileSpec(positional), items: FileSpec(npy)).load(objective: Objective(loss: .observed), notices: &notices)
        #expect(loaded.problem.interactions.columns == 3 && !notices.lines.isEmpty)
    }

    /// Users u2, u1, u3 with factors (2, 0), (1, 0), (3, 0) against ``items()``.
    func model() throws -> LoadedModel {
        let users = folder + "/users.h5"
        try FactorFile(factors: DenseMatrix(rows: 3, columns: 2, storage: [2, 0, 1, 0, 3, 0]), ids: try IDMap(["u2", "u1", "u3"])).write(to: users)
        return try LoadedModel(users: FileSpec(users), items: FileSpec(try items()))
    }

    @Test("a test file is aligned to the model's users and items by id; users without factors are counted")
    func modelAlignment() throws {
        let loaded = try model()
        let test = try csv("test.csv", ["u1,b,1", "u9,a,1", "u2,c,4"])
        var notices = AlignmentNotices()
        let aligned = try loaded.aligned(FileSpec(test), role: "test", notices: &notices)
        #expect(aligned.unknownUsers == 1)
        #expect(rows(aligned.matrix) == [[4, 0, 0], [0, 0, 1], [0, 0, 0]])
        #expect(loaded.model.users.doubles[0, 0] == 2)
        let list = folder + "/candidates.txt"
        try "b\nq\n".write(toFile: list, atomically: true, encoding: .utf8)
        let candidates = try loaded.itemList(FileSpec(list), role: "candidates", notices: &notices)
        #expect(candidates.items == [2] && candidates.unknownItems == 1)
    }

    @Test("swapped user and item columns are refused unless allowRoleSwap")
    func swappedRoles() throws {
        // A catalogue whose item ids include the user ids: a file with the columns swapped reads
        // without an unknown item, and only the role check can tell.
        let users = folder + "/swap_users.h5", items = folder + "/swap_items.h5"
        try FactorFile(factors: DenseMatrix(rows: 3, columns: 1, storage: [1, 2, 3]), ids: try IDMap(["u1", "u2", "u3"])).write(to: users)
        try EmbeddingsFile.write(DenseMatrix(rows: 6, columns: 1, storage: [1, 2, 3, 4, 5, 6]),
                                 ids: try IDMap(["a", "b", "c", "u1", "u2", "u3"]), to: items)
        let loaded = try LoadedModel(users: FileSpec(users), items: FileSpec(items))
        let swapped = try csv("swapped.csv", ["a,u1,1", "b,u2,1", "c,u3,1"])
        var notices = AlignmentNotices()
        #expect { try loaded.aligned(FileSpec(swapped), role: "test", notices: &notices) } throws: { "\($0)".contains("swapped") }
        var allowing = loaded
        allowing.alignment.matching.allowRoleSwap = true
        allowing.alignment.matching.allowEmpty = true
        #expect(try allowing.aligned(FileSpec(swapped), role: "test", notices: &notices).unknownUsers == 3)
    }

    @Test("the shards of a canonical HDF5 file, each aligned to the model, add up to the whole file aligned")
    func shards() throws {
        let loaded = try model()
        let test = try csv("whole.csv", ["u1,b,1", "u2,c,4", "u3,a,2", "u3,b,7", "u9,a,1"])
        let h5 = folder + "/whole.h5"
        try InteractionsFile.write(try InteractionsFile.read(FileSpec(test)).0, to: h5)
        var notices = AlignmentNotices()
        let whole = try loaded.aligned(FileSpec(h5), role: "test", notices: &notices)
        for count in [1, 2, 3, 7] {
            var sum = [[Double]](repeating: [0, 0, 0], count: 3)
            var unknown = 0
            for index in 0..<count {
                let (part, read) = try loaded.alignedShard(FileSpec(h5), role: "test", shard: Shard(index: index, count: count)!, notices: &notices)
                #expect(read.totalRows == 4)
                unknown += part.unknownUsers
                for (u, row) in rows(part.matrix).enumerated() { for j in 0..<3 { sum[u][j] += row[j] } }
            }
            #expect(sum == rows(whole.matrix) && unknown == whole.unknownUsers, "\(count) shards")
        }
    }
}
