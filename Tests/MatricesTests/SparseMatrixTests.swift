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

    @Test("a large shuffled input (the parallel row sort) matches a dictionary reference, keep-last included")
    func largeShuffled() throws {
        var state: UInt64 = 12345
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let n = 1_100_000
        var r = [Int32](), c = [Int32](), v = [Double]()
        for t in 0..<n { r.append(Int32(next() % 4000)); c.append(Int32(next() % 700)); v.append(Double(t)) }
        var duplicates = 0
        let csr = try COOMatrix(rows: 4000, columns: 700, rowIndices: r, columnIndices: c, values: v).toCSR(duplicates: .last, duplicateCount: &duplicates)
        var last: [Int: Double] = [:]
        for t in 0..<n { last[Int(r[t]) * 700 + Int(c[t])] = v[t] }
        #expect(csr.nnz == last.count && duplicates == n - last.count)
        #expect(csr.hasStrictlyAscendingRows)
        for u in stride(from: 0, to: 4000, by: 97) {
            for p in csr.range(ofRow: u) { #expect(last[u * 700 + Int(csr.indices[p])] == csr.values[p]) }
        }
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

@Suite("Key sort")
struct KeySortTests {
    @Test("sorts distinct keys like the standard library, for every length up to 300")
    func matchesStandardSort() {
        var state: UInt64 = 99
        for length in 0...300 {
            var keys = Set<UInt64>()
            while keys.count < length { state = state &* 6364136223846793005 &+ 1; keys.insert(state >> 40) }
            var a = Array(keys)
            a.withUnsafeMutableBufferPointer { if $0.count > 0 { KeySort.sort($0.baseAddress!, $0.count) } }
            #expect(a == keys.sorted())
        }
    }
}
