import Matrices

/// The item matrix V (n × w, row-major) in one precision, with the products of it that both the
/// objective and the exact solver need: the Gram matrix VᵀV, copies padded for the native
/// kernels, and R·V for rows of an interactions matrix.
struct ItemMatrix<S: LinearAlgebraScalar>: @unchecked Sendable {
    /// n × w, row-major, in precision S.
    let values: [S]
    let n: Int
    let w: Int
    /// The native kernels' instruction set.
    let variant: NativeKernelVariant
    /// The padded row length of the native Gram kernel's tiles (and of system matrices).
    let kp: Int

    init(_ items: DenseMatrix<Double>, variant: NativeKernelVariant = .best) {
        // In double the matrix is shared as it is, not copied.
        values = S.self == Double.self ? unsafeBitCast(items.storage, to: [S].self) : items.storage.map { S($0) }
        n = items.rows
        w = items.columns
        self.variant = variant
        kp = S.nativePadding(variant, items.columns)
    }

    /// G = VᵀV (w × w, full symmetric) by BLAS syrk, using OpenBLAS's own threads.
    func gram() -> [S] {
        var g = [S](repeating: 0, count: w * w)
        values.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { gp in
                if n > 0 { S.syrkTransposed(rows: n, k: w, alpha: 1, a: v.baseAddress!, lda: w, beta: 0, c: gp.baseAddress!, ldc: w) }
            }
        }
        symmetrizeFromUpper(&g, w)
        return g
    }

    /// The rows padded to kp (zeros beyond w), for the native kernels.
    func padded() -> [S] {
        var out = [S](repeating: 0, count: n * kp)
        out.withUnsafeMutableBufferPointer { o in
            values.withUnsafeBufferPointer { v in
                if n > 0 { S.packRows(k: w, kp: kp, count: n, v: v.baseAddress!, ldv: w, out: o.baseAddress!) }
            }
        }
        return out
    }

    /// G = VᵀV from rows padded to kp, by the native Gram kernel: kp × kp, upper tiles (the
    /// region every native kernel reads).
    func nativeGram(padded: [S]) -> [S] {
        var g = [S](repeating: 0, count: kp * kp)
        padded.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer {
                S.nativeGram(variant, kp: kp, ldx: kp, count: n, x: v.baseAddress!, y: nil, base: nil, a: $0.baseAddress!)
            }
        }
        return g
    }

    /// B = R·V for the rows `users` (B's row r for user users.lowerBound + r; V's rows ldv apart,
    /// padded to whole vectors; B's rows kp apart), in blocks of 64 rows: blocks whose rows are at
    /// least a quarter full by the dense kernel in register tiles, the others by the sparse
    /// kernel. The choice depends on the block alone, so the arithmetic does not depend on the
    /// caller's threads. `rows` is scratch space for densified rows.
    func multiplyRows(_ users: Range<Int>, _ R: CSRPointers, padded V: UnsafePointer<S>, ldv: Int,
                      into B: UnsafeMutablePointer<S>, rows: inout [Double]) {
        let first = users.lowerBound
        var u0 = first
        while u0 < users.upperBound {
            let u1 = Swift.min(u0 + 64, users.upperBound)
            let out = B + (u0 - first) * kp
            if n > 0 && R.count(u0..<u1) == (u1 - u0) * n {
                // Complete rows: the block in one call, read in place.
                S.nativeDenseMM(variant, rows: u1 - u0, n: n, k: w, d: R.values + R.start(u0), ldd: n, v: V, ldv: ldv, b: out, ldb: kp)
            } else if n > 0 && R.count(u0..<u1) * 4 >= (u1 - u0) * n {
                multiplyDenseRows(u0..<u1, R, padded: V, ldv: ldv, into: B + (u0 - first) * kp, rows: &rows)
            } else {
                S.nativeSpmm(variant, rows: u1 - u0, k: w, ldv: ldv, indptr: R.indptr + u0, indices: R.indices, values: R.values,
                             v: V, b: out, ldb: kp)
            }
            u0 = u1
        }
    }

    /// R·V for mostly full rows: 12 at a time by the dense kernel, densified into `rows` unless
    /// they are complete already.
    private func multiplyDenseRows(_ users: Range<Int>, _ R: CSRPointers, padded V: UnsafePointer<S>, ldv: Int,
                                   into B: UnsafeMutablePointer<S>, rows: inout [Double]) {
        var s = users.lowerBound
        while s < users.upperBound {
            let e = Swift.min(s + 12, users.upperBound)
            let out = B + (s - users.lowerBound) * kp
            if R.count(s..<e) == (e - s) * n {
                S.nativeDenseMM(variant, rows: e - s, n: n, k: w, d: R.values + R.start(s), ldd: n, v: V, ldv: ldv, b: out, ldb: kp)
            } else {
                if rows.count < 12 * n { rows = [Double](repeating: 0, count: 12 * n) }
                rows.withUnsafeMutableBufferPointer { d in
                    for c in 0..<((e - s) * n) { d[c] = 0 }
                    for u in s..<e {
                        for p in R.start(u)..<R.start(u + 1) { d[(u - s) * n + Int(R.indices[p])] = R.values[p] }
                    }
                    S.nativeDenseMM(variant, rows: e - s, n: n, k: w, d: d.baseAddress!, ldd: n, v: V, ldv: ldv, b: out, ldb: kp)
                }
            }
            s = e
        }
    }
}

/// Base pointers of a CSR matrix's arrays, for kernels that run while the arrays are pinned.
struct CSRPointers: @unchecked Sendable {
    let indptr: UnsafePointer<Int64>
    let indices: UnsafePointer<Int32>
    let values: UnsafePointer<Double>

    /// The first stored entry of row u.
    @inline(__always)
    func start(_ u: Int) -> Int { Int(indptr[u]) }

    /// The stored entries of rows `rows`.
    @inline(__always)
    func count(_ rows: Range<Int>) -> Int { Int(indptr[rows.upperBound] - indptr[rows.lowerBound]) }
}

extension CSRMatrix {
    /// Calls `body` with the base pointers of the matrix's arrays.
    func withPointers<T>(_ body: (CSRPointers) throws -> T) rethrows -> T {
        try indptr.withUnsafeBufferPointer { ip in
            try indices.withUnsafeBufferPointer { ix in
                try values.withUnsafeBufferPointer { vs in
                    try ip.baseAddress!.withMemoryRebound(to: Int64.self, capacity: ip.count) { p in
                        try body(CSRPointers(indptr: p, indices: ix.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                             values: vs.baseAddress ?? UnsafePointer(bitPattern: 8)!))
                    }
                }
            }
        }
    }
}

/// Fills the lower triangle (row-major) of a square matrix from its upper triangle.
func symmetrizeFromUpper<S>(_ a: inout [S], _ n: Int) {
    for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
}
