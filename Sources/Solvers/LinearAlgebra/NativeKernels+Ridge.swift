import CKernels

// The per-user ridge solve (CKernels/include/mf_ridge.h and the padding of mf_isa.h): gather,
// Gram accumulation, Cholesky factorization and solves.

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
    @inline(__always)
    static func nativeSolveMany(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Double>, inverse: UnsafePointer<Double>,
                                count: Int, b: UnsafeMutablePointer<Double>, ldb: Int, work: UnsafeMutablePointer<Double>) {
        mf_cholesky_solve_many_d(variant.isa, Int32(k), Int32(lda), u, inverse, Int32(count), b, Int32(ldb), work)
    }
    static func nativePadding(_ variant: NativeKernelVariant, _ k: Int) -> Int { Int(mf_kernel_padding(variant.isa, Int32(k), 0)) }
    static func nativeVectorPadding(_ variant: NativeKernelVariant, _ k: Int) -> Int {
        Int(mf_kernel_vector_padding(variant.isa, Int32(k), 0))
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
    @inline(__always)
    static func nativeSolveMany(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Float>, inverse: UnsafePointer<Float>,
                                count: Int, b: UnsafeMutablePointer<Float>, ldb: Int, work: UnsafeMutablePointer<Float>) {
        mf_cholesky_solve_many_s(variant.isa, Int32(k), Int32(lda), u, inverse, Int32(count), b, Int32(ldb), work)
    }
    static func nativePadding(_ variant: NativeKernelVariant, _ k: Int) -> Int { Int(mf_kernel_padding(variant.isa, Int32(k), 1)) }
    static func nativeVectorPadding(_ variant: NativeKernelVariant, _ k: Int) -> Int {
        Int(mf_kernel_vector_padding(variant.isa, Int32(k), 1))
    }
}
