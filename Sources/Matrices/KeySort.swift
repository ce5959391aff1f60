/// In-place sort of distinct 64-bit keys: quicksort (median of three) with insertion sort for
/// short ranges. Faster than the standard library's stable sort for the short rows of an
/// interaction matrix; stability is not needed because keys are distinct.
enum KeySort {
    /// Rows at least this long are sorted by `radixSortHigh` where the caller can.
    static let radixMinimum = 64

    static func sort(_ a: UnsafeMutablePointer<UInt64>, _ count: Int) {
        quicksort(a, 0, count - 1)
    }

    /// Stable LSD radix sort of `count` keys by their high 32 bits, which are below
    /// `1 << bits`: 8 bits per pass, no comparisons. Keys whose low halves ascend (positions)
    /// end in the order `sort` gives. `scratch` holds `count` keys.
    static func radixSortHigh(_ a: UnsafeMutablePointer<UInt64>, _ count: Int, bits: Int, scratch: UnsafeMutablePointer<UInt64>) {
        let passes = Swift.max(1, (bits + 7) / 8)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            var from = a, to = scratch
            for pass in 0..<passes {
                let shift = UInt64(32 + 8 * pass)
                for b in 0..<256 { counts[b] = 0 }
                for i in 0..<count { counts[Int((from[i] >> shift) & 0xFF)] += 1 }
                var total = 0
                for b in 0..<256 { let c = counts[b]; counts[b] = total; total += c }
                for i in 0..<count {
                    let key = from[i]
                    let b = Int((key >> shift) & 0xFF)
                    to[counts[b]] = key
                    counts[b] += 1
                }
                swap(&from, &to)
            }
            if from != a { a.update(from: from, count: count) }
        }
    }

    private static func insertion(_ a: UnsafeMutablePointer<UInt64>, _ lo: Int, _ hi: Int) {
        guard lo < hi else { return }
        for i in (lo + 1)...hi {
            let key = a[i]
            var j = i - 1
            while j >= lo && a[j] > key { a[j + 1] = a[j]; j -= 1 }
            a[j + 1] = key
        }
    }

    private static func quicksort(_ a: UnsafeMutablePointer<UInt64>, _ lo0: Int, _ hi0: Int) {
        var lo = lo0, hi = hi0
        while hi - lo > 24 {
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { swap(&a[mid], &a[lo]) }
            if a[hi] < a[lo] { swap(&a[hi], &a[lo]) }
            if a[hi] < a[mid] { swap(&a[hi], &a[mid]) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { swap(&a[i], &a[j]); i += 1; j -= 1 }
            }
            // Recurse into the smaller side, loop on the larger: O(log n) stack.
            if j - lo < hi - i {
                quicksort(a, lo, j)
                lo = i
            } else {
                quicksort(a, i, hi)
                hi = j
            }
        }
        insertion(a, lo, hi)
    }
}

extension KeySort {
    /// Writes into `order` the positions `0..<keys.count` ordered by key (each in `0..<range`),
    /// ties in position order: by counting when `range` is at most about twice the keys, else
    /// by a radix sort of (key, position) pairs, so that a range far wider than the keys (the
    /// rows a file's header declares) costs nothing.
    static func stableOrder(of keys: UnsafeBufferPointer<Int32>, range: Int, into order: UnsafeMutableBufferPointer<Int32>) {
        let n = keys.count
        precondition(order.count >= n && n <= Int(Int32.max))
        guard range > 2 * n + 1024 else {
            var next = [Int](repeating: 0, count: range + 1)
            for t in 0..<n { next[Int(keys[t]) + 1] += 1 }
            for i in 0..<range { next[i + 1] += next[i] }
            for t in 0..<n {
                let i = Int(keys[t])
                order[next[i]] = Int32(t)
                next[i] += 1
            }
            return
        }
        let pairs = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * n)
        defer { pairs.deallocate() }
        for t in 0..<n { pairs[t] = UInt64(UInt32(keys[t])) << 32 | UInt64(t) }
        radixSortHigh(pairs, n, bits: Int.bitWidth - (range - 1).leadingZeroBitCount, scratch: pairs + n)
        for q in 0..<n { order[q] = Int32(truncatingIfNeeded: pairs[q] & 0xFFFF_FFFF) }
    }
}
