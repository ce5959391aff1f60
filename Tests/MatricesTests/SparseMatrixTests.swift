@testable import Matrices
import Testing

@Suite("COO to CSR conversion")
struct SparseMatrixTests {
    @Test("sorts rows and columns, and sums or keeps-last duplicates")
    func toCSR() throws {
        let coo = COOMatrix(rows: 3, columns: 4, rowIndices: [2, 0, 2, 0, 2], columnIndices: [1, 3, 0, 3, 1], values: [1, 2, 3, 4, 5])
        var duplicates = 0
        let summed = try coo.toCSR(duplicates: .sum, duplicateCount: &duplicates)
        #expect(summed.indptr == [0, 1, 1, 3] && summed.indices == [3, 0, 1] && summed.values == [6, 3, 6])
        #expect(duplicates == 2)
        let last = try coo.toCSR(duplicates: .last, duplicateCount: &duplicates)
        #expect(last.values == [4, 3, 5])
        #expect(throws: DuplicateEntryError(row: 0, column: 3, duplicates: 2)) { try coo.toCSR(duplicates: .error, duplicateCount: &duplicates) }
    }

    @Test("transpose twice is the identity; validate catches broken arrays")
    func transposeAndValidate() throws {
        let m = CSRMatrix(rows: 2, columns: 3, indptr: [0, 2, 3], indices: [0, 2, 1], values: [1, 2, 3])
        #expect(m.transposed().transposed() == m)
        try m.validate(requireSortedIndices: true)
        var broken = m
        broken.indptr = [0, 3, 2]
        #expect(throws: MatrixStructureError.self) { try broken.validate() }
    }

    @Test("id maps: first-seen order, sorting numeric ids numerically, refusing repeats")
    func idMaps() throws {
        var ids = IDMap()
        #expect(ids.insert("10") == 0 && ids.insert("9") == 1 && ids.insert("10") == 0)
        #expect(ids.sortingPermutation() == [1, 0])
        #expect(try IDMap(["b", "a", "c"]).sortingPermutation() == [1, 0, 2])
        #expect(throws: DuplicateIDError(id: "a", position: 2)) { try IDMap(["a", "b", "a"]) }
        #expect(!(try IDMap(["007", "7"])).allIntegers)
    }
}
