import Dispatch

extension CSRMatrix {
    /// The same entries with column j renumbered `target[j]` (distinct, in 0..<columns), each
    /// row re-sorted by its new columns; `extra` (one value per entry, such as a timestamp)
    /// follows its entry. Rows are sorted in parallel; no entry changes row, so this is much
    /// cheaper than a round trip through coordinate triplets.
    public func renumberingColumns(_ target: [Int32], columns newColumns: Int, carrying extra: [Double]? = nil)
        -> (matrix: CSRMatrix, carried: [Double]?) {
        precondition(target.count == columns && (extra == nil || extra!.count == nnz))
        // Every entry is written below, by the workers: no zero-filling first (its page faults
        // would all fall on this thread).
        var outIndices = [Int32](unsafeUninitializedCapacity: nnz) { _, n in n = nnz }
        var outValues = [Double](unsafeUninitializedCapacity: nnz) { _, n in n = nnz }
        var outExtra = [Double](unsafeUninitializedCapacity: extra == nil ? 0 : nnz) { _, n in n = extra == nil ? 0 : nnz }
        // Row k to renumber spans bounds[k] ..< bounds[k + 1]: the row pointers themselves, or
        // for sparse ones the nonempty rows' starts and the end, so empty rows cost nothing.
        let bounds = indptr.isSparse ? indptr.offsets + [nnz] : indptr.dense()
        let rows = bounds.count - 1
        // Significant bits of the new columns, for the radix sort.
        let bits = Swift.max(1, Int.bitWidth - Swift.max(0, newColumns - 1).leadingZeroBitCount)
        target.withUnsafeBufferPointer { t in
            bounds.withUnsafeBufferPointer { ip in
                indices.withUnsafeBufferPointer { ix in
                    values.withUnsafeBufferPointer { v in
                        outIndices.withUnsafeMutableBufferPointer { oi in
                            outValues.withUnsafeMutableBufferPointer { ov in
                                outExtra.withUnsafeMutableBufferPointer { oe in
                                    let renumbering = ColumnRenumbering(target: t.baseAddress!, indptr: ip.baseAddress!, indices: ix.baseAddress,
                                                                        values: v.baseAddress, extra: extra, outIndices: oi.baseAddress,
                                                                        outValues: ov.baseAddress, outExtra: oe.baseAddress, bits: bits)
                                    let workers = nnz > 1 << 20 ? 2 : 1
                                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                                        renumbering.renumber(rows: stride(from: w, to: rows, by: workers))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (CSRMatrix(rows: self.rows, columns: newColumns, indptr: indptr, indices: outIndices, values: outValues),
                extra == nil ? nil : outExtra)
    }
}

/// Base pointers of a column renumbering (`CSRMatrix.renumberingColumns`): the new number of each
/// column, the bounds of the rows to renumber (row u spans `indptr[u] ..< indptr[u + 1]`), and
/// the outputs; rows are renumbered by disjoint workers.
private struct ColumnRenumbering: @unchecked Sendable {
    let target: UnsafePointer<Int32>, indptr: UnsafePointer<Int>
    let indices: UnsafePointer<Int32>?, values: UnsafePointer<Double>?, extra: [Double]?
    let outIndices: UnsafeMutablePointer<Int32>?, outValues: UnsafeMutablePointer<Double>?, outExtra: UnsafeMutablePointer<Double>?
    /// Significant bits of the new columns, for the radix sort.
    let bits: Int

    /// Writes `rows` with their new columns, each row sorted by them.
    func renumber(rows: StrideTo<Int>) {
        var keys: [UInt64] = []
        var scratch: [UInt64] = []
        for u in rows {
            let lo = indptr[u], hi = indptr[u + 1]
            guard hi > lo else { continue }
            keys.removeAll(keepingCapacity: true)
            var sorted = true
            var last: Int32 = -1
            for p in lo..<hi {
                let j = target[Int(indices![p])]
                if j < last { sorted = false }
                last = j
                keys.append(UInt64(UInt32(j)) << 32 | UInt64(UInt32(p - lo)))
            }
            if !sorted { sort(&keys, scratch: &scratch) }
            for (q, key) in keys.enumerated() {
                let p = lo + Int(key & 0xFFFF_FFFF)
                outIndices![lo + q] = Int32(truncatingIfNeeded: key >> 32)
                outValues![lo + q] = values![p]
                if let extra { outExtra![lo + q] = extra[p] }
            }
        }
    }

    /// Long rows by radix (no mispredicted compares), short ones by quicksort.
    private func sort(_ keys: inout [UInt64], scratch: inout [UInt64]) {
        if keys.count >= KeySort.radixMinimum {
            if scratch.count < keys.count { scratch = [UInt64](repeating: 0, count: keys.count) }
            keys.withUnsafeMutableBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { KeySort.radixSortHigh(k.baseAddress!, k.count, bits: bits, scratch: $0.baseAddress!) }
            }
        } else {
            keys.withUnsafeMutableBufferPointer { KeySort.sort($0.baseAddress!, $0.count) }
        }
    }
}
