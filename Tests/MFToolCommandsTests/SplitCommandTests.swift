import FixturePaths
import Foundation
import IO
import Matrices
import Testing

@Suite("mftool split and row alignment")
struct SplitCommandTests {
    @Test("deterministic for a seed, disjoint, covering, and every user with two or more keeps a training row")
    func split() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        for run in ["a", "b"] {
            #expect(runMFTool(["split", "--interactions", input, "--train", "\(folder)/train-\(run).h5", "--test", "\(folder)/test-\(run).h5",
                               "--test-fraction", "0.3", "--seed", "5"]) == 0)
        }
        #expect(runMFTool(["split", "--interactions", input, "--train", "\(folder)/train-c.h5", "--test", "\(folder)/test-c.h5",
                           "--test-fraction", "0.3", "--seed", "6"]) == 0)
        let (original, _) = try InteractionsFile.read(FileSpec(input))
        let (train, _) = try InteractionsFile.read(FileSpec(folder + "/train-a.h5"))
        let (test, _) = try InteractionsFile.read(FileSpec(folder + "/test-a.h5"))
        #expect(try InteractionsFile.read(FileSpec(folder + "/test-b.h5")).0 == test)
        #expect(try InteractionsFile.read(FileSpec(folder + "/test-c.h5")).0 != test)
        #expect(train.userIDs == original.userIDs && test.itemIDs == original.itemIDs)
        #expect(triplets(train).isDisjoint(with: triplets(test)))
        #expect(triplets(train).union(triplets(test)) == triplets(original))
        for u in 0..<original.userCount where original.matrix.degree(ofRow: u) >= 2 { #expect(train.matrix.degree(ofRow: u) >= 1) }
        #expect(test.matrix.nnz > 0)
    }

    @Test("rows aligned to another user order: renumbered, unknown users counted, missing users empty")
    func alignment() throws {
        let m = CSRMatrix(rows: 3, columns: 2, indptr: [0, 1, 3, 4], indices: [1, 0, 1, 0], values: [1, 2, 3, 4])
        let x = Interactions(matrix: m, userIDs: try IDMap(["a", "b", "c"]), itemIDs: .positional(2))
        let (aligned, unknown) = x.rows(alignedTo: try IDMap(["c", "z", "a"]))
        #expect(unknown == 1)  // b
        #expect(aligned.indptr == [0, 1, 1, 2] && aligned.indices == [0, 1] && aligned.values == [4, 1])
    }
}

/// (user id, item id, value bits) of every stored entry.
func triplets(_ x: Interactions) -> Set<String> {
    var out = Set<String>()
    for u in 0..<x.userCount {
        for p in x.matrix.range(ofRow: u) {
            out.insert("\(x.userIDs.ids[u])|\(x.itemIDs.ids[Int(x.matrix.indices[p])])|\(x.matrix.values[p].bitPattern)")
        }
    }
    return out
}
