/// A sparse matrix in compressed sparse row form, as SciPy's `csr_matrix` stores it.
///
/// Row `u`'s entries are `indices[indptr[u] ..< indptr[u + 1]]` (column numbers, ascending) with
/// `values` at the same positions. In mftool rows are users and columns are items.
public struct CSRMatrix: Sendable, Equatable {
    /// The number of rows (users).
    public let rows: Int
    /// The number of columns (items).
    public let columns: Int
    /// Row pointers: `rows + 1` offsets into `indices` and `values`, starting at 0; only the
    /// nonempty rows' are stored when rows far outnumber entries (``RowPointers``).
    public var indptr: RowPointers
    /// Column index of each stored entry.
    public var indices: [Int32]
    /// Value of each stored entry.
    public var values: [Double]

    /// Creates a matrix from its three arrays; call ``validate()`` on data from outside.
    public init(rows: Int, columns: Int, indptr: RowPointers, indices: [Int32], values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }

    /// Creates a matrix from its three arrays, the row pointers stored whole.
    public init(rows: Int, columns: Int, indptr: [Int], indices: [Int32], values: [Double]) {
        self.init(rows: rows, columns: columns, indptr: RowPointers(indptr), indices: indices, values: values)
    }

    /// An empty matrix of the given shape (its row pointers stored sparse past 1,024 rows).
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, indptr: RowPointers(rows: rows, nonempty: [], starts: [], nnz: 0), indices: [], values: [])
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
        if !indptr.isSparse {
            for u in 0..<rows where indptr[u + 1] < indptr[u] {
                throw MatrixStructureError("indptr is not monotone: indptr[\(u + 1)] = \(indptr[u + 1]) < indptr[\(u)] = \(indptr[u])")
            }
        }
        for u in nonemptyRows() {
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
            for u in nonemptyRows() {
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
        guard columns <= 2 * nnz + 1024 else { return transposedByKeys() }
        var counts = [Int](repeating: 0, count: columns + 1)
        for j in indices { counts[Int(j) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var next = counts
        var outIndices = [Int32](repeating: 0, count: nnz)
        var outValues = [Double](repeating: 0, count: nnz)
        for u in nonemptyRows() {
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

extension CSRMatrix {
    /// The rows holding entries, ascending: those sparse row pointers store; else, with no more
    /// rows than about twice the entries, the row pointers are scanned; otherwise each nonempty
    /// row is found by a binary search of them from the entry after the previous row's, so
    /// that empty rows cost nothing.
    public func nonemptyRows() -> [Int] {
        if let stored = indptr.storedNonemptyRows { return stored }
        guard rows > 2 * nnz + 1024 else { return indptr.nonemptyRows() }
        var found: [Int] = []
        var (p, first) = (0, 0)
        while p < nnz {
            // The first row from `first` that ends after entry p holds it.
            var (lo, hi) = (first, rows - 1)
            while lo < hi {
                let mid = (lo + hi) / 2
                if indptr[mid + 1] > p { hi = mid } else { lo = mid + 1 }
            }
            found.append(lo)
            (p, first) = (indptr[lo + 1], lo + 1)
        }
        return found
    }

    /// Row pointers for `rows` rows of which only `nonempty` (ascending) hold entries, row
    /// `nonempty[k]` from entry `starts[k]`, `nnz` in all (``RowPointers``: sparse when rows far
    /// outnumber the nonempty ones).
    public static func rowPointers(rows: Int, nonempty: [Int], starts: [Int], nnz: Int) -> RowPointers {
        RowPointers(rows: rows, nonempty: nonempty, starts: starts, nnz: nnz)
    }

    /// The transpose of a matrix with far more columns than entries: the entries ordered by
    /// column (``KeySort/stableOrder``), so that columns without entries cost only their row
    /// pointer.
    private func transposedByKeys() -> CSRMatrix {
        let rowOf = toCOO().rowIndices
        var order = [Int32](repeating: 0, count: nnz)
        indices.withUnsafeBufferPointer { keys in
            order.withUnsafeMutableBufferPointer { KeySort.stableOrder(of: keys, range: columns, into: $0) }
        }
        var nonempty: [Int] = [], starts: [Int] = []
        for q in 0..<nnz where q == 0 || indices[Int(order[q])] != indices[Int(order[q - 1])] {
            nonempty.append(Int(indices[Int(order[q])]))
            starts.append(q)
        }
        return CSRMatrix(rows: columns, columns: rows, indptr: Self.rowPointers(rows: columns, nonempty: nonempty, starts: starts, nnz: nnz),
                         indices: order.map { rowOf[Int($0)] }, values: order.map { values[Int($0)] })
    }
}
