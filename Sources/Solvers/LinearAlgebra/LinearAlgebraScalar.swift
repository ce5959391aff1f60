import CLinearAlgebra
import Foundation

// The one layer of Swift that calls CBLAS, LAPACKE and OpenBLAS's thread control
// (Sources/CLinearAlgebra). Matrices are row-major with explicit leading dimensions; a symmetric
// k × k matrix is addressed through its upper triangle in row-major terms (LAPACK's lower
// triangle in column-major terms: the same memory).
//
// `LinearAlgebraScalar` also lists, as requirements, the per-scalar kernels of mftool's own C
// code; those are implemented in NativeKernels+Area.swift, the layer that calls CKernels.

/// A floating-point type with BLAS and LAPACK kernels: `Float` (s) or `Double` (d).
protocol LinearAlgebraScalar: BinaryFloatingPoint, Sendable {
    /// C ← α·AᵀA + β·C, with A rows × k (row-major, leading dimension lda), C k × k upper.
    static func syrkTransposed(rows: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                               beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// C ← α·AAᵀ + β·C, with A rows × k (row-major, leading dimension lda), C rows × rows upper.
    static func syrk(rows: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α·A·x + β·y (A rows × columns, row-major), or α·Aᵀ·x + β·y when `transposed`.
    static func gemv(transposed: Bool, rows: Int, columns: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// x ← U⁻¹x, or U⁻ᵀx when `transposed`, for U n × n upper triangular (row-major).
    static func trsvUpper(transposed: Bool, n: Int, u: UnsafePointer<Self>, x: UnsafeMutablePointer<Self>)
    /// C ← α·A·Bᵀ + β·C, with A m × k, B n × k, C m × n (row-major).
    static func gemmTransposedB(m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                                b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// C ← α·A·B + β·C, with A m × k, B k × n, C m × n (row-major).
    static func gemm(m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Cholesky factorization in place; returns LAPACK's info (0, or the failing minor).
    static func potrf(n: Int, a: UnsafeMutablePointer<Self>) -> Int
    /// B ← B·R⁻¹ for B m × n (row-major, leading dimension ldb) and R n × n upper triangular
    /// (row-major).
    static func trsmRightUpper(m: Int, n: Int, r: UnsafePointer<Self>, b: UnsafeMutablePointer<Self>, ldb: Int)
    /// R ← R⁻¹ in place for R n × n upper triangular (row-major); returns LAPACK's info.
    static func trtriUpper(n: Int, r: UnsafeMutablePointer<Self>) -> Int
    /// Bunch–Kaufman factorization of a symmetric indefinite matrix in place (its upper triangle
    /// in row-major terms, as for `potrf`), with `work` of `lwork` entries; returns LAPACK's info.
    static func sytrf(n: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafeMutablePointer<Int32>, work: UnsafeMutablePointer<Self>, lwork: Int) -> Int
    /// Solves with a factor from `sytrf` for one right-hand side, in place.
    static func sytrs(n: Int, a: UnsafePointer<Self>, pivots: UnsafePointer<Int32>, b: UnsafeMutablePointer<Self>) -> Int
    /// Solves with a Cholesky factor from `potrf` for `nrhs` right-hand sides stored as rows.
    static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Self>, b: UnsafeMutablePointer<Self>) -> Int
    /// Eigenvalues (ascending, into `w`) and eigenvectors (the columns of `a`, column-major) of a
    /// symmetric matrix given by its lower triangle in column-major terms.
    static func syevd(n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int

    // mftool's own kernels (NativeKernels+Ridge.swift, +Products, +Ranking, +Quantized).
    /// Gathers item rows (padded to `kp`), optional scaled copies and the right-hand side.
    static func nativeGather(_ variant: NativeKernelVariant, k: Int, kp: Int, count: Int, v: UnsafePointer<Self>, indices: UnsafePointer<Int32>,
                             gramWeights: UnsafePointer<Double>?, rhsWeights: UnsafePointer<Double>?,
                             x: UnsafeMutablePointer<Self>, y: UnsafeMutablePointer<Self>?, b: UnsafeMutablePointer<Double>)
    /// A = B + YᵀX on the upper triangle (kp × kp; rows of X and Y ldx apart, ldx = kp or
    /// `nativeVectorPadding`'s value); `y` nil means X, `base` nil means B = 0.
    static func nativeGram(_ variant: NativeKernelVariant, kp: Int, ldx: Int, count: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>?,
                           base: UnsafePointer<Self>?, a: UnsafeMutablePointer<Self>)
    /// In-place Cholesky of the k × k upper triangle, with the reciprocal pivots in `inverse`;
    /// 0 or the failing pivot + 1.
    static func nativeCholesky(_ variant: NativeKernelVariant, k: Int, lda: Int, a: UnsafeMutablePointer<Self>, threshold: Self,
                               inverse: UnsafeMutablePointer<Self>) -> Int
    /// Solves with the factor and reciprocals from `nativeCholesky`, in place.
    static func nativeSolve(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Self>, inverse: UnsafePointer<Self>,
                            b: UnsafeMutablePointer<Self>)
    /// B = R·V over CSR rows (indptr not rebased), V and B padded rows.
    static func nativeSpmm(_ variant: NativeKernelVariant, rows: Int, k: Int, ldv: Int, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>,
                           values: UnsafePointer<Double>, v: UnsafePointer<Self>, b: UnsafeMutablePointer<Self>, ldb: Int)
    /// B = D·V for dense rows of D (doubles), V and B padded rows.
    static func nativeDenseMM(_ variant: NativeKernelVariant, rows: Int, n: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                              v: UnsafePointer<Self>, ldv: Int, b: UnsafeMutablePointer<Self>, ldb: Int)
    /// out[i] = V[i][0..<k] zero-padded to kp entries, for `count` rows of V.
    static func packRows(k: Int, kp: Int, count: Int, v: UnsafePointer<Self>, ldv: Int, out: UnsafeMutablePointer<Self>)
    /// `nativeSolve` for `count` rows of B at once; `work` holds 32·k elements.
    static func nativeSolveMany(_ variant: NativeKernelVariant, k: Int, lda: Int, u: UnsafePointer<Self>, inverse: UnsafePointer<Self>,
                                count: Int, b: UnsafeMutablePointer<Self>, ldb: Int, work: UnsafeMutablePointer<Self>)
    /// The first index below n whose entry is at least t (n when none).
    static func firstAtLeast(_ s: UnsafePointer<Self>, count n: Int, _ t: Self) -> Int
    /// The last index below n whose entry is at least t (−1 when none).
    static func lastAtLeast(_ s: UnsafePointer<Self>, count n: Int, _ t: Self) -> Int
    /// The k-th largest of s[0..<n] (repeats counted), or nil where a heap should find it
    /// (no AVX-512, k > 64, n < 16k, NaN, or many entries near the top).
    static func kthLargest(_ s: UnsafePointer<Self>, count n: Int, _ k: Int) -> Self?
    /// Scores a block's new candidates exactly and keeps those at the floor (mf_rescore_block_d/s).
    static func rescoreBlock(_ variant: NativeKernelVariant, users: Int, w: Int, x: UnsafePointer<Self>, v: UnsafePointer<Self>,
                             bias: UnsafePointer<Self>?, n: Int, candidates: UnsafeMutablePointer<Int32>, stride: Int,
                             counts: UnsafePointer<Int32>, cap: Int, done: UnsafeMutablePointer<Int32>, train: UnsafePointer<Int32>?,
                             trainStart: UnsafePointer<Int64>, trainCount: UnsafePointer<Int32>, trainAt: UnsafeMutablePointer<Int32>,
                             floors: UnsafePointer<Self>, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>,
                             kept: UnsafeMutablePointer<Int32>)
    /// The padded row length `nativeGram` needs for k columns.
    static func nativePadding(_ variant: NativeKernelVariant, _ k: Int) -> Int
    /// k rounded up to whole vectors and to a multiple of 8: the row length `nativeSpmm` and
    /// `nativeDenseMM` need, and the shortest `nativeGram` reads.
    static func nativeVectorPadding(_ variant: NativeKernelVariant, _ k: Int) -> Int
}

extension Double: LinearAlgebraScalar {
    @inline(__always)
    static func trsvUpper(transposed: Bool, n: Int, u: UnsafePointer<Double>, x: UnsafeMutablePointer<Double>) {
        cblas_dtrsv(CblasRowMajor, CblasUpper, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit, blasint(n), u, blasint(n), x, 1)
    }
    @inline(__always)
    static func syrk(rows: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, blasint(rows), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemv(transposed: Bool, rows: Int, columns: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                     x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }
    @inline(__always)
    static func syrkTransposed(rows: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                               beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(k), blasint(rows), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemmTransposedB(m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemm(m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                     b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func potrf(n: Int, a: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n)))
    }
    @inline(__always)
    static func trsmRightUpper(m: Int, n: Int, r: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>, ldb: Int) {
        cblas_dtrsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, blasint(m), blasint(n), 1, r, blasint(n), b, blasint(ldb))
    }
    static func trtriUpper(n: Int, r: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dtrtri(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), Int32(n), r, Int32(n)))
    }
    @inline(__always)
    static func sytrf(n: Int, a: UnsafeMutablePointer<Double>, pivots: UnsafeMutablePointer<Int32>, work: UnsafeMutablePointer<Double>, lwork: Int) -> Int {
        Int(LAPACKE_dsytrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n), pivots, work, Int32(lwork)))
    }
    @inline(__always)
    static func sytrs(n: Int, a: UnsafePointer<Double>, pivots: UnsafePointer<Int32>, b: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dsytrs_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), 1, a, Int32(n), pivots, b, Int32(n)))
    }
    @inline(__always)
    static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(n)))
    }
    static func syevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n), w))
    }
}

extension Float: LinearAlgebraScalar {
    @inline(__always)
    static func trsvUpper(transposed: Bool, n: Int, u: UnsafePointer<Float>, x: UnsafeMutablePointer<Float>) {
        cblas_strsv(CblasRowMajor, CblasUpper, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit, blasint(n), u, blasint(n), x, 1)
    }
    @inline(__always)
    static func syrk(rows: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, blasint(rows), blasint(k), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemv(transposed: Bool, rows: Int, columns: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }
    @inline(__always)
    static func syrkTransposed(rows: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(k), blasint(rows), alpha, a, blasint(lda), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemmTransposedB(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inline(__always)
    static func potrf(n: Int, a: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_spotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n)))
    }
    @inline(__always)
    static func trsmRightUpper(m: Int, n: Int, r: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>, ldb: Int) {
        cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, blasint(m), blasint(n), 1, r, blasint(n), b, blasint(ldb))
    }
    static func trtriUpper(n: Int, r: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_strtri(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), Int32(n), r, Int32(n)))
    }
    @inline(__always)
    static func sytrf(n: Int, a: UnsafeMutablePointer<Float>, pivots: UnsafeMutablePointer<Int32>, work: UnsafeMutablePointer<Float>, lwork: Int) -> Int {
        Int(LAPACKE_ssytrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n), pivots, work, Int32(lwork)))
    }
    @inline(__always)
    static func sytrs(n: Int, a: UnsafePointer<Float>, pivots: UnsafePointer<Int32>, b: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_ssytrs_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), 1, a, Int32(n), pivots, b, Int32(n)))
    }
    @inline(__always)
    static func potrs(n: Int, nrhs: Int, a: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_spotrs_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(n)))
    }
    static func syevd(n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_ssyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), Int32(n), a, Int32(n), w))
    }
}

/// OpenBLAS's own thread pool, set to one thread while mftool runs its own per-user threads.
///
/// The count is process-wide, so overlapping single-threaded sections (solves running at the
/// same time in one process: a service, the tests) are counted: the first sets one thread, the
/// last restores the count the first found, and ``set(_:)`` waits for none to be open. No
/// section ever sees OpenBLAS go multi-threaded under it, which would change the arithmetic of
/// the BLAS calls inside.
enum BLASThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var open = 0
    nonisolated(unsafe) private static var restore = 1
    /// The count set outside any section.
    static var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return open > 0 ? restore : Int(openblas_get_num_threads())
    }

    /// Sets the count, or the one restored when the open sections close.
    static func set(_ n: Int) {
        lock.lock()
        defer { lock.unlock() }
        if open > 0 { restore = n } else { openblas_set_num_threads(Int32(n)) }
    }

    /// Runs `body` with OpenBLAS single-threaded, restoring the previous count after.
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        if open == 0 {
            restore = Int(openblas_get_num_threads())
            openblas_set_num_threads(1)
        }
        open += 1
        lock.unlock()
        defer {
            lock.lock()
            open -= 1
            if open == 0 { openblas_set_num_threads(Int32(restore)) }
            lock.unlock()
        }
        return try body()
    }
}

/// OpenBLAS's thread count, for callers outside this module (the CLI's `--threads`).
public enum BLASThreadCount {
    /// Sets the threads OpenBLAS uses for its own products.
    public static func set(_ n: Int) { BLASThreads.set(Swift.max(1, n)) }
}
