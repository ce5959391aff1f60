/// A sparse matrix in compressed sparse row form, as SciPy's `csr_matrix` stores it.
///
/// Row `u`'s entries are `indices[indptr[u] ..< indptr[u + 1]]` (column numbers, ascending) with
/// `values` at the same positions. In mftool rows are users and columns are items.
public struct CSRMatrix: Sendable, Equatable {
    /// The number of rows (users).
    public let rows: Int
    /// The number of columns (items).
    public let columns: Int
    /// Row pointers: `rows + 1` offsets into `indices` and `values`, starting at 0.
    public var indptr: [Int]
    /// Column index of each stored entry.
    public var indices: [Int32]
    /// Value of each stored entry.
    public var values: [Double]

    /// Creates a matrix from its three arrays; call ``validate()`` on data from outside.
    public init(rows: Int, columns: Int, indptr: [Int], indices: [Int32], values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }

    /// An empty matrix of the given shape.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, indptr: Array(repeating: 0, count: rows + 1), indices: [], values: [])
    }

    /// The number of stored entries.
    @inlinable public var nnz: Int { indices.count }

    /// The number of stored entries in row `u`.
    @inlinable public func degree(ofRow u: Int) -> Int { indptr[u + 1] - indptr[u] }

    /// The range of positions in `indices` and `values` that row `u` occupies.
    @inlinable public func range(ofRow u: Int) -> Range<Int> { indptr[u]..<indptr[u + 1] }
}

/// A structural problem found in a sparse matrix's arrays.
public struct MatrixStructureError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, in a sentence.
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension CSRMatrix {
    /// Checks the invariants a reader must not trust: `indptr` length, start, monotonicity and end,
    /// column indices in range and ascending within each row, finite values.
    public func validate(requireSortedIndices: Bool = false) throws(MatrixStructureError) {
        guard rows >= 0, columns >= 0 else { throw MatrixStructureError("negative shape (\(rows), \(columns))") }
        guard indptr.count == rows + 1 else {
            throw MatrixStructureError("indptr has \(indptr.count) entries, expected rows + 1 = \(rows + 1)")
        }
        guard indices.count == values.count else {
            throw MatrixStructureError("indices has \(indices.count) entries but data has \(values.count)")
        }
        guard indptr[0] == 0 else { throw MatrixStructureError("indptr[0] is \(indptr[0]), expected 0") }
        guard indptr[rows] == indices.count else {
            throw MatrixStructureError("indptr ends at \(indptr[rows]), expected nnz = \(indices.count)")
        }
        for u in 0..<rows where indptr[u + 1] < indptr[u] {
            throw MatrixStructureError("indptr is not monotone: indptr[\(u + 1)] = \(indptr[u + 1]) < indptr[\(u)] = \(indptr[u])")
        }
        for u in 0..<rows {
            var previous = Int32(-1)
            for p in indptr[u]..<indptr[u + 1] {
                let j = indices[p]
                if j < 0 || Int(j) >= columns {
                    throw MatrixStructureError("column index \(j) at position \(p) is outside 0..<\(columns)")
                }
                if requireSortedIndices && j <= previous {
                    throw MatrixStructureError("column indices of row \(u) are not strictly ascending at position \(p)")
                }
                previous = j
            }
        }
        for (p, v) in values.enumerated() where !v.isFinite {
            throw MatrixStructureError("value at position \(p) is \(v), expected a finite number")
        }
    }

    /// Whether every row's column indices strictly ascend (sorted, no repeated entries).
    public var hasStrictlyAscendingRows: Bool {
        indices.withUnsafeBufferPointer { idx in
            for u in 0..<rows {
                var p = indptr[u] + 1
                while p < indptr[u + 1] {
                    if idx[p] <= idx[p - 1] { return false }
                    p += 1
                }
            }
            return true
        }
    }

    /// The transpose in CSR form (equivalently, this matrix in CSC form), with sorted indices.
    public func transposed() -> CSRMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for j in indices { counts[Int(j) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var next = counts
        var outIndices = [Int32](repeating: 0, count: nnz)
        var outValues = [Double](repeating: 0, count: nnz)
        for u in 0..<rows {
            for p in indptr[u]..<indptr[u + 1] {
                let j = Int(indices[p])
                let q = next[j]
                outIndices[q] = Int32(u)
                outValues[q] = values[p]
                next[j] = q + 1
            }
        }
        return CSRMatrix(rows: columns, columns: rows, indptr: counts, indices: outIndices, values: outValues)
    }
}
