import CKernels

// Top-K selection (CKernels/include/mf_ranking.h): threshold scans, the k-th largest value,
// insertion into a sorted list, and the best (score, item) pairs sorted.

extension Double {
    @inline(__always)
    static func firstAtLeast(_ s: UnsafePointer<Double>, count n: Int, _ t: Double) -> Int { Int(mf_first_at_least_d(s, n, t)) }
    @inline(__always)
    static func lastAtLeast(_ s: UnsafePointer<Double>, count n: Int, _ t: Double) -> Int { Int(mf_last_at_least_d(s, n, t)) }
    @inline(__always)
    static func kthLargest(_ s: UnsafePointer<Double>, count n: Int, _ k: Int) -> Double? {
        var out: Double = 0
        return mf_kth_largest_d(s, n, Int32(k), &out) != 0 ? out : nil
    }
}

extension Float {
    @inline(__always)
    static func firstAtLeast(_ s: UnsafePointer<Float>, count n: Int, _ t: Float) -> Int { Int(mf_first_at_least_s(s, n, t)) }
    @inline(__always)
    static func lastAtLeast(_ s: UnsafePointer<Float>, count n: Int, _ t: Float) -> Int { Int(mf_last_at_least_s(s, n, t)) }
    @inline(__always)
    static func kthLargest(_ s: UnsafePointer<Float>, count n: Int, _ k: Int) -> Float? {
        var out: Float = 0
        return mf_kth_largest_s(s, n, Int32(k), &out) != 0 ? out : nil
    }
}

extension NativeKernels {
    /// Offers (score, item) to the `count` pairs kept sorted best first (score descending, ties
    /// by item ascending), at most `capacity` of them; returns the new count.
    @inline(__always)
    static func topKInsert(_ variant: NativeKernelVariant, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int64>,
                           count: Int, capacity: Int, score: Double, item: Int64) -> Int {
        Int(mf_topk_insert(variant.isa, scores, items, Int32(count), Int32(capacity), score, item))
    }

    /// Reorders the `count` (score, item) pairs so that the best min(k, count) come first, sorted
    /// best first (score descending, ties by item ascending); returns min(k, count).
    static func sortedBest(scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>, count: Int, k: Int) -> Int {
        Int(mf_sorted_best(scores, items, Int32(count), Int32(k)))
    }
}
