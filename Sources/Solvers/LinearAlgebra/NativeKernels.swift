import CKernels

// The one layer that calls mftool's C kernels (Sources/CKernels): per-user gather, weighted
// Gram accumulation, and a small Cholesky factorization and solve, in AVX-512, AVX2+FMA or
// portable variants chosen at run time.

/// The instruction-set variant of mftool's own kernels.
public enum NativeKernelVariant: Int, Sendable, CaseIterable, CustomStringConvertible {
    case portable = 0, avx2 = 1, avx512 = 2

    /// The best variant this CPU supports (what solves use unless told otherwise).
    public static var best: NativeKernelVariant { NativeKernelVariant(rawValue: Int(mf_kernel_best_isa())) ?? .portable }

    /// The variants this CPU can run.
    public static var supported: [NativeKernelVariant] { allCases.filter { $0.rawValue <= best.rawValue } }

    public var description: String {
        switch self {
        case .portable: return "portable"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        }
    }

    var isa: Int32 { Int32(rawValue) }
}

extension Double {
    @inline(__always)
    static func nativeGather(_ variant: NativeKernelVariant, k: Int, kp: Int, count: Int, v: UnsafePointer<Double>, indices: UnsafePointer<Int32>,
                             gramWeights: UnsafePointer<Double>?, rhsWeights: UnsafePointer<Double>?,
                             x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>?, b: UnsafeMutablePointer<Double>) {
        mf_gather_d(variant.isa, Int32(k), Int32(kp), Int32(count), v, indices, gramWeights, rhsWeights, x, y, b)
    }
    @inline(__always)
    static func nativeGram(_ variant: NativeKernelVariant, kp: Int, ldx: Int, count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>?, base: UnsafePointer<Double>?, a: UnsafeMutablePointer<Double>) {
        mf_gram_d(variant.isa, Int32(kp), Int32(ldx), Int32(count), x, y, base, a)
    }
    @inline(__always)
    static func nativeCholesky(_ variant: NativeKernelVariant, k: Int, lda: Int, a: UnsafeMutablePointer<Double>, threshold: Double,
                               inverse: UnsafeMutablePointer<Double>) -> Int {
        Int(mf_cholesky_d(variant.isa, Int32(k), Int32(lda), a, threshold, inverse))
    }
    @inline(__always)
    static func nativeSolve(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Double>, inverse: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>) {
        mf_cholesky_solve_d(variant.isa, Int32(k), Int32(lda), u, inverse, b)
    }
    static func nativePadding(_ variant: NativeKernelVariant, _ k: Int) -> Int { Int(mf_kernel_padding(variant.isa, Int32(k), 0)) }
    static func nativeVectorPadding(_ variant: NativeKernelVariant, _ k: Int) -> Int {
        Int(mf_kernel_vector_padding(variant.isa, Int32(k), 0))
    }
    @inline(__always)
    static func nativeSpmm(_ variant: NativeKernelVariant, rows: Int, k: Int, ldv: Int, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>,
                           values: UnsafePointer<Double>, v: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>, ldb: Int) {
        mf_spmm_d(variant.isa, Int32(rows), Int32(k), Int32(ldv), indptr, indices, values, v, b, Int32(ldb))
    }
    @inline(__always)
    static func firstAtLeast(_ s: UnsafePointer<Double>, count n: Int, _ t: Double) -> Int { Int(mf_first_at_least_d(s, n, t)) }
    @inline(__always)
    static func rescoreBlock(_ variant: NativeKernelVariant, users: Int, w: Int, x: UnsafePointer<Double>, v: UnsafePointer<Double>,
                             bias: UnsafePointer<Double>?, n: Int, candidates: UnsafeMutablePointer<Int32>, stride: Int,
                             counts: UnsafePointer<Int32>, cap: Int, done: UnsafeMutablePointer<Int32>, train: UnsafePointer<Int32>?,
                             trainStart: UnsafePointer<Int64>, trainCount: UnsafePointer<Int32>, trainAt: UnsafeMutablePointer<Int32>,
                             floors: UnsafePointer<Double>, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>,
                             kept: UnsafeMutablePointer<Int32>) {
        mf_rescore_block_d(variant.isa, Int32(users), Int32(w), x, v, bias, Int32(n), candidates, Int32(stride), counts, Int32(cap), done,
                            train, trainStart, trainCount, trainAt, floors, scores, items, kept)
    }
    @inline(__always)
    static func lastAtLeast(_ s: UnsafePointer<Double>, count n: Int, _ t: Double) -> Int { Int(mf_last_at_least_d(s, n, t)) }
    @inline(__always)
    static func kthLargest(_ s: UnsafePointer<Double>, count n: Int, _ k: Int) -> Double? {
        var out: Double = 0
        return mf_kth_largest_d(s, n, Int32(k), &out) != 0 ? out : nil
    }
    /// out[t] = x·v[items[t]] over w values (rows of v at leading dimension ldv), one summation
    /// order for every row.
    @inline(__always)
    static func rowDots(w: Int, x: UnsafePointer<Double>, v: UnsafePointer<Double>, ldv: Int, items: UnsafePointer<Int32>, count: Int,
                        out: UnsafeMutablePointer<Double>) {
        mf_row_dots_d(NativeKernelVariant.best.isa, Int32(w), x, v, Int32(ldv), items, Int32(count), out)
    }
    @inline(__always)
    static func nativeDenseMM(_ variant: NativeKernelVariant, rows: Int, n: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                              v: UnsafePointer<Double>, ldv: Int, b: UnsafeMutablePointer<Double>, ldb: Int) {
        mf_dense_mm_d(variant.isa, Int32(rows), Int32(n), Int32(k), d, Int32(ldd), v, Int32(ldv), b, Int32(ldb))
    }
    @inline(__always)
    static func packRows(k: Int, kp: Int, count: Int, v: UnsafePointer<Double>, ldv: Int, out: UnsafeMutablePointer<Double>) {
        mf_pack_rows_d(Int32(k), Int32(kp), Int32(count), v, Int32(ldv), out)
    }
    @inline(__always)
    static func nativeSolveMany(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Double>, inverse: UnsafePointer<Double>,
                                count: Int, b: UnsafeMutablePointer<Double>, ldb: Int, work: UnsafeMutablePointer<Double>) {
        mf_cholesky_solve_many_d(variant.isa, Int32(k), Int32(lda), u, inverse, Int32(count), b, Int32(ldb), work)
    }
}

extension Float {
    @inline(__always)
    static func nativeGather(_ variant: NativeKernelVariant, k: Int, kp: Int, count: Int, v: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                             gramWeights: UnsafePointer<Double>?, rhsWeights: UnsafePointer<Double>?,
                             x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>?, b: UnsafeMutablePointer<Double>) {
        mf_gather_s(variant.isa, Int32(k), Int32(kp), Int32(count), v, indices, gramWeights, rhsWeights, x, y, b)
    }
    @inline(__always)
    static func nativeGram(_ variant: NativeKernelVariant, kp: Int, ldx: Int, count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>?, base: UnsafePointer<Float>?, a: UnsafeMutablePointer<Float>) {
        mf_gram_s(variant.isa, Int32(kp), Int32(ldx), Int32(count), x, y, base, a)
    }
    @inline(__always)
    static func nativeCholesky(_ variant: NativeKernelVariant, k: Int, lda: Int, a: UnsafeMutablePointer<Float>, threshold: Float,
                               inverse: UnsafeMutablePointer<Float>) -> Int {
        Int(mf_cholesky_s(variant.isa, Int32(k), Int32(lda), a, threshold, inverse))
    }
    @inline(__always)
    static func nativeSolve(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Float>, inverse: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>) {
        mf_cholesky_solve_s(variant.isa, Int32(k), Int32(lda), u, inverse, b)
    }
    static func nativePadding(_ variant: NativeKernelVariant, _ k: Int) -> Int { Int(mf_kernel_padding(variant.isa, Int32(k), 1)) }
    static func nativeVectorPadding(_ variant: NativeKernelVariant, _ k: Int) -> Int {
        Int(mf_kernel_vector_padding(variant.isa, Int32(k), 1))
    }
    @inline(__always)
    static func nativeSpmm(_ variant: NativeKernelVariant, rows: Int, k: Int, ldv: Int, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>,
                           values: UnsafePointer<Double>, v: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>, ldb: Int) {
        mf_spmm_s(variant.isa, Int32(rows), Int32(k), Int32(ldv), indptr, indices, values, v, b, Int32(ldb))
    }
    @inline(__always)
    static func firstAtLeast(_ s: UnsafePointer<Float>, count n: Int, _ t: Float) -> Int { Int(mf_first_at_least_s(s, n, t)) }
    @inline(__always)
    static func rescoreBlock(_ variant: NativeKernelVariant, users: Int, w: Int, x: UnsafePointer<Float>, v: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>?, n: Int, candidates: UnsafeMutablePointer<Int32>, stride: Int,
                             counts: UnsafePointer<Int32>, cap: Int, done: UnsafeMutablePointer<Int32>, train: UnsafePointer<Int32>?,
                             trainStart: UnsafePointer<Int64>, trainCount: UnsafePointer<Int32>, trainAt: UnsafeMutablePointer<Int32>,
                             floors: UnsafePointer<Float>, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>,
                             kept: UnsafeMutablePointer<Int32>) {
        mf_rescore_block_s(variant.isa, Int32(users), Int32(w), x, v, bias, Int32(n), candidates, Int32(stride), counts, Int32(cap), done,
                            train, trainStart, trainCount, trainAt, floors, scores, items, kept)
    }
    @inline(__always)
    static func lastAtLeast(_ s: UnsafePointer<Float>, count n: Int, _ t: Float) -> Int { Int(mf_last_at_least_s(s, n, t)) }
    @inline(__always)
    static func kthLargest(_ s: UnsafePointer<Float>, count n: Int, _ k: Int) -> Float? {
        var out: Float = 0
        return mf_kth_largest_s(s, n, Int32(k), &out) != 0 ? out : nil
    }
    @inline(__always)
    static func nativeDenseMM(_ variant: NativeKernelVariant, rows: Int, n: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                              v: UnsafePointer<Float>, ldv: Int, b: UnsafeMutablePointer<Float>, ldb: Int) {
        mf_dense_mm_s(variant.isa, Int32(rows), Int32(n), Int32(k), d, Int32(ldd), v, Int32(ldv), b, Int32(ldb))
    }
    @inline(__always)
    static func packRows(k: Int, kp: Int, count: Int, v: UnsafePointer<Float>, ldv: Int, out: UnsafeMutablePointer<Float>) {
        mf_pack_rows_s(Int32(k), Int32(kp), Int32(count), v, Int32(ldv), out)
    }
    @inline(__always)
    static func nativeSolveMany(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Float>, inverse: UnsafePointer<Float>,
                                count: Int, b: UnsafeMutablePointer<Float>, ldb: Int, work: UnsafeMutablePointer<Float>) {
        mf_cholesky_solve_many_s(variant.isa, Int32(k), Int32(lda), u, inverse, Int32(count), b, Int32(ldb), work)
    }
}

extension NativeKernelVariant: Comparable {
    public static func < (a: NativeKernelVariant, b: NativeKernelVariant) -> Bool { a.rawValue < b.rawValue }
}

extension NativeKernelVariant {
    /// The variant named `portable`, `avx2` or `avx512`.
    public init?(name: String) {
        guard let v = NativeKernelVariant.allCases.first(where: { $0.description == name }) else { return nil }
        self = v
    }
}

/// mftool's C kernels that are not per-scalar-type.
enum NativeKernels {
    /// PyTorch's Adam step on `count` parameters, with the best variant for this CPU.
    @inline(__always)
    static func adamStep(x: UnsafeMutablePointer<Double>, g: UnsafePointer<Double>, m: UnsafeMutablePointer<Double>,
                         v: UnsafeMutablePointer<Double>, count: Int, decay: Double, beta1: Double, beta2: Double,
                         epsilon: Double, stepSize: Double, root2: Double) {
        mf_adam_step(NativeKernelVariant.best.isa, count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2)
    }

    /// The observed loss of one mini-batch and its gradient (added to `gradient`).
    @inline(__always)
    static func batchGradient(width: Int, regularized: Int, entries: UnsafeBufferPointer<Int>, data: GradientTrainer.MiniBatchData,
                              columns: [Int32], X: UnsafePointer<Double>, V: UnsafePointer<Double>, scale: Double,
                              gradient: UnsafeMutablePointer<Double>) -> Double {
        guard let start = entries.baseAddress else { return 0 }
        return start.withMemoryRebound(to: Int64.self, capacity: entries.count) { order in
            data.rows.withUnsafeBufferPointer { rows in
                columns.withUnsafeBufferPointer { cols in
                    data.targets.withUnsafeBufferPointer { targets in
                        data.shares.withUnsafeBufferPointer { shares in
                            mf_batch_gradient(NativeKernelVariant.best.isa, Int32(width), Int32(regularized), entries.count, order,
                                              rows.baseAddress!, cols.baseAddress!, targets.baseAddress!, shares.baseAddress!,
                                              X, V, scale, gradient)
                        }
                    }
                }
            }
        }
    }
}
