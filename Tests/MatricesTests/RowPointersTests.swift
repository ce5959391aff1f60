@testable import Matrices
import Testing

/// Row pointers kept for the nonempty rows only give every offset the whole array gives.
@Suite("Row pointers: sparse and whole alike")
struct RowPointersTests {
    /// 5,000 rows, entries in rows 3 (two), 10 (five) and 4,999 (two).
    static let (rows, nonempty, starts, nnz) = (5_000, [3, 10, 4_999], [0, 2, 7], 9)

    static var sparse: RowPointers { RowPointers(rows: rows, nonempty: nonempty, starts: starts, nnz: nnz) }
    static var whole: [Int] { RowPointers.whole(rows: rows, nonempty: nonempty, starts: starts, nnz: nnz) }

    @Test("every offset, by subscript, iteration and the whole array")
    func sameOffsets() {
        let (p, w) = (Self.sparse, Self.whole)
        #expect(p.isSparse && p.storedCount == 6 && p.count == Self.rows + 1 && w.count == Self.rows + 1)
        #expect(w[0...4] == [0, 0, 0, 0, 2] && w[10] == 2 && w[11] == 7 && w[4_999] == 7 && w[5_000] == 9)
        #expect((0...Self.rows).allSatisfy { p[$0] == w[$0] })
        #expect(Array(p) == w && p.dense() == w && p == RowPointers(w) && p == w)
        #expect(p.withUnsafeBufferPointer { Array($0) } == w && p.map { Int32($0) } == w.map { Int32($0) })
        #expect(p.nonemptyRows() == Self.nonempty && RowPointers(w).nonemptyRows() == Self.nonempty)
    }

    @Test("changing an offset stores the offsets whole first")
    func setter() {
        var p = Self.sparse
        p[4] = 1
        var w = Self.whole
        w[4] = 1
        #expect(!p.isSparse && p == w)
    }

    @Test("kept whole while the rows are at most about twice the nonempty ones")
    func threshold() {
        #expect(!RowPointers(rows: 1_030, nonempty: [0, 1, 2], starts: [0, 1, 2], nnz: 3).isSparse)
        #expect(RowPointers(rows: 1_031, nonempty: [0, 1, 2], starts: [0, 1, 2], nnz: 3).isSparse)
        let empty = CSRMatrix(rows: 100_000_000, columns: 2)
        let (sparse, stored, last) = (empty.indptr.isSparse, empty.indptr.storedCount, empty.indptr[100_000_000])
        #expect(sparse && stored == 0 && last == 0 && empty.nonemptyRows().isEmpty)
    }

    @Test("a matrix of few entries in 100,000,000 rows: transposed, renumbered, back to triplets and split by rows")
    func tallMatrix() throws {
        let coo = COOMatrix(rows: 100_000_000, columns: 3, rowIndices: [99_999_999, 0, 7], columnIndices: [2, 1, 1], values: [1, 2, 3])
        var duplicates = 0
        let csr = try coo.toCSR(duplicateCount: &duplicates)
        #expect(csr.indptr.isSparse && csr.indptr.storedCount == 6 && csr.nonemptyRows() == [0, 7, 99_999_999])
        let t = csr.transposed()
        #expect(t.rows == 3 && t.columns == 100_000_000 && t.indptr == [0, 0, 2, 3] && t.indices == [0, 7, 99_999_999])
        #expect(t.transposed() == csr && csr.toCOO().rowIndices == [0, 7, 99_999_999])
        let (renumbered, _) = csr.renumberingColumns([2, 0, 1], columns: 3)
        #expect(renumbered.indptr.isSparse && renumbered.indices == [0, 0, 1] && renumbered.values == [2, 3, 1])
        let x = Interactions(matrix: csr, userIDs: .positional(100_000_000), itemIDs: .positional(3))
        let parts = x.parts([0, 1, 0], count: 2)
        #expect(parts[0].matrix.nonemptyRows() == [0, 99_999_999] && parts[1].matrix.nonemptyRows() == [7])
        #expect(parts[0].matrix.indptr.isSparse && parts[0].matrix.values == [2, 1] && parts[1].matrix.values == [3])
    }
}
