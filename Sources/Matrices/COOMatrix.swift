/// A sparse matrix as coordinate triplets (row, column, value), in any order, duplicates allowed.
public struct COOMatrix: Sendable, Equatable {
    /// The number of rows (users).
    public var rows: Int
    /// The number of columns (items).
    public var columns: Int
    /// Row index of each triplet.
    public var rowIndices: [Int32]
    /// Column index of each triplet.
    public var columnIndices: [Int32]
    /// Value of each triplet.
    public var values: [Double]

    /// Creates a matrix from parallel triplet arrays of equal length.
    public init(rows: Int, columns: Int, rowIndices: [Int32], columnIndices: [Int32], values: [Double]) {
        precondition(rowIndices.count == columnIndices.count && columnIndices.count == values.count)
        self.rows = rows
        self.columns = columns
        self.rowIndices = rowIndices
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The number of triplets.
    public var count: Int { values.count }
}

/// What to do with a (row, column) pair that occurs more than once.
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Add the values, as SciPy's `tocsr()` does.
    case sum
    /// Keep the value that came last in the input.
    case last
    /// Refuse the input.
    case error
}

/// A (row, column) pair that occurs more than once, under ``DuplicatePolicy/error``.
public struct DuplicateEntryError: Error, Equatable {
    /// The row of the first repeated pair.
    public let row: Int
    /// The column of the first repeated pair.
    public let column: Int
    /// How many triplets were repeats of an earlier one.
    public let duplicates: Int
}

extension COOMatrix {
    /// Converts to CSR with rows in order and columns ascending within each row.
    ///
    /// Duplicated pairs are resolved by `policy`; `duplicates` receives how many triplets were
    /// repeats. The sort is stable, so "last" means last in input order.
    public func toCSR(duplicates policy: DuplicatePolicy = .sum, duplicateCount: inout Int) throws(DuplicateEntryError) -> CSRMatrix {
        let n = count
        // Counting sort by column, then by row (stable): rows ascending, columns ascending within.
        var colStart = [Int](repeating: 0, count: columns + 1)
        for j in columnIndices { colStart[Int(j) + 1] += 1 }
        for j in 0..<columns { colStart[j + 1] += colStart[j] }
        var byColumn = [Int32](repeating: 0, count: n)
        for t in 0..<n {
            let j = Int(columnIndices[t])
            byColumn[colStart[j]] = Int32(t)
            colStart[j] += 1
        }
        var rowStart = [Int](repeating: 0, count: rows + 1)
        for i in rowIndices { rowStart[Int(i) + 1] += 1 }
        for i in 0..<rows { rowStart[i + 1] += rowStart[i] }
        var order = [Int32](repeating: 0, count: n)
        var next = rowStart
        for t in byColumn {
            let i = Int(rowIndices[Int(t)])
            order[next[i]] = t
            next[i] += 1
        }
        // Within a row, equal columns are adjacent and in input order.
        var indptr = [Int](repeating: 0, count: rows + 1)
        var outIndices = [Int32]()
        var outValues = [Double]()
        outIndices.reserveCapacity(n)
        outValues.reserveCapacity(n)
        var repeats = 0
        var firstRepeat: (Int, Int)? = nil
        for i in 0..<rows {
            var lastColumn: Int32 = -1
            for p in rowStart[i]..<rowStart[i + 1] {
                let t = Int(order[p])
                let j = columnIndices[t]
                if j == lastColumn {
                    repeats += 1
                    if firstRepeat == nil { firstRepeat = (i, Int(j)) }
                    switch policy {
                    case .sum: outValues[outValues.count - 1] += values[t]
                    case .last: outValues[outValues.count - 1] = values[t]
                    case .error: break
                    }
                } else {
                    outIndices.append(j)
                    outValues.append(values[t])
                    lastColumn = j
                }
            }
            indptr[i + 1] = outIndices.count
        }
        duplicateCount = repeats
        if policy == .error, let (i, j) = firstRepeat {
            throw DuplicateEntryError(row: i, column: j, duplicates: repeats)
        }
        return CSRMatrix(rows: rows, columns: columns, indptr: indptr, indices: outIndices, values: outValues)
    }
}

extension CSRMatrix {
    /// The same entries as coordinate triplets, row by row.
    public func toCOO() -> COOMatrix {
        var r = [Int32](repeating: 0, count: nnz)
        for u in 0..<rows { for p in indptr[u]..<indptr[u + 1] { r[p] = Int32(u) } }
        return COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: indices, values: values)
    }
}
