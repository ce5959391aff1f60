@testable import Matrices
import Testing

/// Matrices whose rows (or columns) far outnumber their entries, as a file's header may declare
/// them: the conversions take the paths whose work follows the entries, and give what the
/// paths for dense shapes give.
@Suite("Declared rows: conversions that follow the entries")
struct DeclaredRowsTests {
    /// `count` triplets over `rows` × `columns`, with repeated pairs, from a fixed seed.
    static func triplets(_ count: Int, rows: Int, columns: Int, seed: UInt64) -> COOMatrix {
        var state = seed
        func next(_ bound: Int) -> Int32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32((state >> 33) % UInt64(bound))
        }
        var r = [Int32](), c = [Int32](), v = [Double]()
        for t in 0..<count {
            r.append(next(rows)); c.append(next(columns)); v.append(Double(t))
            if t % 7 == 0 { r.append(r[t]); c.append(c[t]); v.append(-Double(t)) }
        }
        return COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
    }

    /// The same triplets with row i moved to row i × `spread` of a matrix `spread` times taller.
    static func spread(_ coo: COOMatrix, by spread: Int) -> COOMatrix {
        COOMatrix(rows: coo.rows * spread, columns: coo.columns, rowIndices: coo.rowIndices.map { $0 * Int32(spread) },
                  columnIndices: coo.columnIndices, values: coo.values)
    }

    @Test("triplets in a few of many rows convert as they do packed into few rows", arguments: [DuplicatePolicy.sum, .last])
    func sparseRowsMatchDense(policy: DuplicatePolicy) throws {
        let dense = Self.triplets(600, rows: 50, columns: 40, seed: 7)
        let tall = Self.spread(dense, by: 10_000)
        #expect(dense.rows <= 2 * dense.count + 1024 && tall.rows > 2 * tall.count + 1024)
        let times = (0..<dense.count).map { Double($0 % 13) }
        var (d1, d2) = (0, 0)
        let a = try dense.toCSR(duplicates: policy, duplicateCount: &d1, carrying: times)
        let b = try tall.toCSR(duplicates: policy, duplicateCount: &d2, carrying: times)
        #expect(d1 == d2 && d1 > 0)
        // Compared by parts: a failure then prints those, not 500,000 row pointers.
        let (x, y) = (a.matrix, b.matrix)
        #expect(x.indices == y.indices && x.values == y.values && a.carried == b.carried)
        let pointers = y.indptr.count, emptyRows = (0..<tall.rows).filter { $0 % 10_000 != 0 && y.degree(ofRow: $0) == 0 }.count
        #expect(pointers == tall.rows + 1 && emptyRows == tall.rows - dense.rows)
        for u in 0..<dense.rows { #expect(y.range(ofRow: u * 10_000) == x.range(ofRow: u)) }
    }

    @Test("a repeat in a tall matrix is reported at its row")
    func sparseRowsRepeat() {
        let coo = COOMatrix(rows: 5_000_000, columns: 3, rowIndices: [4_999_999, 0, 4_999_999], columnIndices: [2, 1, 2], values: [1, 2, 3])
        var duplicates = 0
        #expect(throws: DuplicateEntryError(row: 4_999_999, column: 2, duplicates: 1)) {
            try coo.toCSR(duplicates: .error, duplicateCount: &duplicates)
        }
    }

    @Test("nonempty rows, by scanning or by searching the row pointers, and back to triplets")
    func nonemptyRows() throws {
        for spread in [1, 10_000] {
            let coo = Self.spread(Self.triplets(300, rows: 200, columns: 9, seed: 3), by: spread)
            var duplicates = 0
            let csr = try coo.toCSR(duplicateCount: &duplicates)
            let expected = Set(coo.rowIndices.map(Int.init)).sorted(), found = csr.nonemptyRows()
            #expect(found == expected)
            let rows = csr.toCOO().rowIndices, ascending = csr.hasStrictlyAscendingRows
            #expect(rows == found.flatMap { u in Array(repeating: Int32(u), count: csr.degree(ofRow: u)) } && ascending)
        }
        let empty = CSRMatrix(rows: 100_000, columns: 2)
        let (none, ascending) = (empty.nonemptyRows(), empty.hasStrictlyAscendingRows)
        #expect(none.isEmpty && ascending)
    }

    @Test("the transpose of a matrix with many more columns than entries")
    func wideTranspose() throws {
        let narrow = Self.triplets(400, rows: 30, columns: 60, seed: 11)
        var wide = narrow
        wide.columns = 60 * 10_000
        wide.columnIndices = narrow.columnIndices.map { $0 * 10_000 }
        var duplicates = 0
        let (a, b) = (try narrow.toCSR(duplicateCount: &duplicates), try wide.toCSR(duplicateCount: &duplicates))
        let (at, bt) = (a.transposed(), b.transposed())
        let (rows, columns, back) = (bt.rows, bt.columns, bt.transposed() == b)
        #expect(rows == wide.columns && columns == 30 && bt.indices == at.indices && bt.values == at.values && back)
        for j in 0..<60 { #expect(bt.range(ofRow: j * 10_000) == at.range(ofRow: j)) }
    }

    @Test("row pointers fill the rows between nonempty ones, and those before and after")
    func rowPointers() {
        #expect(CSRMatrix.rowPointers(rows: 6, nonempty: [1, 4], starts: [0, 3], nnz: 5) == [0, 0, 3, 3, 3, 5, 5])
        #expect(CSRMatrix.rowPointers(rows: 3, nonempty: [], starts: [], nnz: 0) == [0, 0, 0, 0])
        let long = CSRMatrix.rowPointers(rows: 1_000_003, nonempty: [0, 999_999], starts: [0, 2], nnz: 7)
        let (count, twos, sevens) = (long.count, long.filter { $0 == 2 }.count, long.filter { $0 == 7 }.count)
        #expect(count == 1_000_004 && long[0] == 0 && twos == 999_999 && sevens == 4 && long[1_000_000] == 7)
    }
}
