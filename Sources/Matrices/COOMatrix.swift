import Dispatch

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
        try toCSR(duplicates: policy, duplicateCount: &duplicateCount, carrying: nil).matrix
    }

    /// Converts to CSR as ``toCSR(duplicates:duplicateCount:)`` does, carrying `extra` (one value
    /// per triplet, such as a timestamp) into the CSR order: a repeated pair keeps the largest
    /// (the latest time) under `.sum`, the last under `.last`.
    public func toCSR(duplicates policy: DuplicatePolicy, duplicateCount: inout Int,
                      carrying extra: [Double]?) throws(DuplicateEntryError) -> (matrix: CSRMatrix, carried: [Double]?) {
        precondition(extra == nil || extra!.count == count)
        let merged = rowIndices.withUnsafeBufferPointer { r in
            columnIndices.withUnsafeBufferPointer { c in
                values.withUnsafeBufferPointer { v in
                    var build = CSRBuild(rows: rows, rowIndices: r, columns: c, values: v)
                    defer { build.deallocate() }
                    build.sortByRow()
                    build.sortRowsByColumn()
                    return build.merge(policy: policy, extra: extra)
                }
            }
        }
        duplicateCount = merged.repeats
        if policy == .error, let (i, j) = merged.firstRepeat {
            throw DuplicateEntryError(row: i, column: j, duplicates: merged.repeats)
        }
        return (CSRMatrix(rows: rows, columns: columns, indptr: merged.indptr, indices: merged.indices, values: merged.values),
                merged.extra)
    }
}

/// A conversion of triplets to CSR: a stable sort by row, then each row's (column, position)
/// pairs sorted unless they already ascend (files are often grouped by user and sorted by item),
/// then repeated pairs merged. Work and memory follow the entries: rows without any (a header
/// may declare millions) cost only their slot of the row pointers, written a block at a time.
private struct CSRBuild: @unchecked Sendable {
    let rows: Int
    let rowIndices: UnsafeBufferPointer<Int32>, columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Double>
    /// The triplets' positions in CSR order.
    let order: UnsafeMutableBufferPointer<Int32>
    /// Where each nonempty row's run of `order` starts, then the triplet count.
    private(set) var runs: [Int] = []

    /// The merged entries, how many triplets repeated an earlier pair, and the first repeat.
    struct Merged {
        var indptr: RowPointers, indices: [Int32], values: [Double], extra: [Double]?
        var repeats: Int, firstRepeat: (Int, Int)?
    }

    init(rows: Int, rowIndices: UnsafeBufferPointer<Int32>, columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Double>) {
        (self.rows, self.rowIndices, self.columns, self.values) = (rows, rowIndices, columns, values)
        order = .allocate(capacity: rowIndices.count)
        order.initialize(repeating: 0)
    }

    func deallocate() { order.deallocate() }

    /// The row of the triplet at `order[q]`.
    @inline(__always) func row(at q: Int) -> Int { Int(rowIndices[Int(order[q])]) }

    /// Orders the triplets by row, in input order within a row (``KeySort/stableOrder``), and
    /// finds each nonempty row's run.
    mutating func sortByRow() {
        let n = rowIndices.count
        KeySort.stableOrder(of: rowIndices, range: rows, into: order)
        runs.reserveCapacity(Swift.min(n, rows) + 1)
        for q in 0..<n where q == 0 || row(at: q) != row(at: q - 1) { runs.append(q) }
        runs.append(n)
    }

    /// Runs out of column order are sorted in parallel (disjoint ranges of `order`), by keys
    /// packing (column, position): stable by construction.
    func sortRowsByColumn() {
        let workers = rowIndices.count > 1 << 20 ? 2 : 1
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let (ord, c, runs) = (order, columns, runs)
            var keys: [UInt64] = []
            for k in stride(from: w, to: runs.count - 1, by: workers) {
                let lo = runs[k], hi = runs[k + 1]
                var p = lo + 1
                while p < hi && c[Int(ord[p])] >= c[Int(ord[p - 1])] { p += 1 }
                guard p < hi else { continue }
                keys.removeAll(keepingCapacity: true)
                for q in lo..<hi { keys.append(UInt64(UInt32(c[Int(ord[q])])) << 32 | UInt64(UInt32(ord[q]))) }
                keys.withUnsafeMutableBufferPointer { KeySort.sort($0.baseAddress!, $0.count) }
                for (q, key) in keys.enumerated() { ord[lo + q] = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF) }
            }
        }
    }

    /// The entries in CSR order with repeated pairs merged by `policy`; `extra` follows its
    /// triplet (a repeat keeps the largest under `.sum`, the last otherwise).
    func merge(policy: DuplicatePolicy, extra: [Double]?) -> Merged {
        let n = rowIndices.count
        var merged = Merged(indptr: [], indices: [Int32](repeating: 0, count: n),
                            values: [Double](repeating: 0, count: n), extra: nil, repeats: 0, firstRepeat: nil)
        var outExtra = [Double](repeating: 0, count: extra == nil ? 0 : n)
        var nonempty: [Int] = [], starts: [Int] = []
        nonempty.reserveCapacity(runs.count - 1)
        starts.reserveCapacity(runs.count - 1)
        var written = 0
        merged.indices.withUnsafeMutableBufferPointer { oi in
            merged.values.withUnsafeMutableBufferPointer { ov in
                for k in 0..<(runs.count - 1) {
                    let i = row(at: runs[k])
                    nonempty.append(i)
                    starts.append(written)
                    var lastColumn: Int32 = -1
                    for q in runs[k]..<runs[k + 1] {
                        let t = Int(order[q])
                        let j = columns[t]
                        if j == lastColumn {
                            merged.repeats += 1
                            if merged.firstRepeat == nil { merged.firstRepeat = (i, Int(j)) }
                            switch policy {
                            case .sum: ov[written - 1] += values[t]
                            case .last: ov[written - 1] = values[t]
                            case .error: break
                            }
                            if let extra { outExtra[written - 1] = policy == .sum ? Swift.max(outExtra[written - 1], extra[t]) : extra[t] }
                        } else {
                            oi[written] = j
                            ov[written] = values[t]
                            if let extra { outExtra[written] = extra[t] }
                            written += 1
                            lastColumn = j
                        }
                    }
                }
            }
        }
        merged.indptr = CSRMatrix.rowPointers(rows: rows, nonempty: nonempty, starts: starts, nnz: written)
        merged.indices.removeLast(n - written)
        merged.values.removeLast(n - written)
        if extra != nil {
            outExtra.removeLast(n - written)
            merged.extra = outExtra
        }
        return merged
    }
}

extension CSRMatrix {
    /// The same entries as coordinate triplets, row by row.
    public func toCOO() -> COOMatrix {
        var r = [Int32](repeating: 0, count: nnz)
        for u in nonemptyRows() { for p in indptr[u]..<indptr[u + 1] { r[p] = Int32(u) } }
        return COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: indices, values: values)
    }
}
