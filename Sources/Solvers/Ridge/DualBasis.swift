import Dispatch
import Matrices

/// The coordinates in which the dual form solves a user's normal equations (``RidgeKernel+Dual``).
///
/// Split A_u = B_u + Σ_{i∈Ω_u} d_i v_i v_iᵀ on its k item columns, with B_u = c0·G + λ_u I,
/// G = VᵀV and d_i the entries' Gram weights. Every B_u is diagonal in the eigenbasis of G,
/// G = Q Λ Qᵀ: B_u = Q diag(c0·Λ + λ_u) Qᵀ. So with u_i = Qᵀ v_i (the rows of U = V·Q, computed
/// once) the Woodbury identity solves for ζ = Qᵀ x from an n_u × n_u system, and x = Q ζ is one
/// matrix product for all users at the end. Without a background (c0 = 0, the observed loss)
/// B_u = λ_u I in any basis: Q = I and U is V itself.
///
/// Under a user bias the bias column is kept outside the split and eliminated by its Schur
/// complement, so the basis spans the k item columns only; ``biasColumn`` and ``biasWeight``
/// hold the background's part of that column, c0·Qᵀ Vᵀ1 and c0·n.
struct DualBasis<S: LinearAlgebraScalar>: @unchecked Sendable {
    /// Item columns k (the system has k + 1 with a user bias).
    let k: Int
    /// Qᵀ, k × k row-major (row e is eigenvector e); nil when the basis is the identity.
    let transposedQ: [S]?
    /// c0·Λ, the background's part of B_u's diagonal in this basis (zeros for the identity).
    let shift: [Double]
    /// U: n rows of ``rowStride``, the first k entries of each being u_i.
    let rows: [S]
    let rowStride: Int
    /// c0·Qᵀ Vᵀt0 and the bias entry of c0·Vᵀt0: the background's part of b_u.
    let background: [Double]
    let backgroundBias: Double
    /// c0·Qᵀ Vᵀ1 and c0·n: the background's part of the bias column of A_u.
    let biasColumn: [Double]
    let biasWeight: Double
    /// VᵀV (w × w, Float64) when the basis needed it, for the objective's evaluation.
    let gram: [Double]?

    /// The basis for `kernel`'s problem; nil when G's eigendecomposition fails.
    init?(_ kernel: RidgeKernel<S>, background: [Double]) {
        let problem = kernel.problem, w = kernel.w
        let k = problem.k
        let c0 = kernel.terms.backgroundWeight
        self.k = k
        backgroundBias = problem.objective.userBias ? background[w - 1] : 0
        guard c0 != 0 else {
            gram = nil
            transposedQ = nil
            shift = [Double](repeating: 0, count: k)
            rows = kernel.items
            rowStride = w
            self.background = Array(background[0..<k])
            biasColumn = [Double](repeating: 0, count: k)
            biasWeight = 0
            return
        }
        let G = ItemMatrix<Double>(problem.items).gram()
        gram = G
        var q = [S](repeating: 0, count: k * k)
        for r in 0..<k { for c in 0..<k { q[r * k + c] = S(G[r * w + c]) } }
        var eigenvalues = [S](repeating: 0, count: k)
        // One thread: the decomposition, and so every factor, must not depend on the thread count.
        let info = BLASThreads.singleThreaded {
            q.withUnsafeMutableBufferPointer { qp in eigenvalues.withUnsafeMutableBufferPointer { S.syevd(n: k, a: qp.baseAddress!, w: $0.baseAddress!) } }
        }
        guard info == 0 else { return nil }
        transposedQ = q
        shift = eigenvalues.map { c0 * Double($0) }
        rows = Self.rotate(kernel.items, n: problem.itemCount, stride: w, k: k, transposedQ: q, threads: kernel.solver.threads)
        rowStride = k
        self.background = Self.times(q, Array(background[0..<k]), k: k)
        if problem.objective.userBias {
            let ones = (0..<k).map { G[(w - 1) * w + $0] }
            biasColumn = Self.times(q, ones, k: k).map { c0 * $0 }
            biasWeight = c0 * Double(problem.itemCount)
        } else {
            biasColumn = [Double](repeating: 0, count: k)
            biasWeight = 0
        }
    }

    /// U = V·Q for the first k columns of the n rows of V (`stride` apart), by BLAS on blocks of
    /// 256 rows, each block one single-threaded call: a row's arithmetic depends on its place in
    /// V alone, never on the thread count.
    private static func rotate(_ V: [S], n: Int, stride: Int, k: Int, transposedQ q: [S], threads: Int) -> [S] {
        var U = [S](repeating: 0, count: n * k)
        let block = 256, blocks = (n + block - 1) / block
        V.withUnsafeBufferPointer { v in
            q.withUnsafeBufferPointer { qp in
                U.withUnsafeMutableBufferPointer { up in
                    let pointers = UnsafeSendable((v.baseAddress!, qp.baseAddress!, up.baseAddress!))
                    BLASThreads.singleThreaded {
                        DispatchQueue.concurrentPerform(iterations: Swift.min(threads, blocks)) { t in
                            let (v, q, u) = pointers.value
                            for b in Swift.stride(from: t, to: blocks, by: Swift.min(threads, blocks)) {
                                let rows = Swift.min(block, n - b * block)
                                S.gemmTransposedB(m: rows, n: k, k: k, alpha: 1, a: v + b * block * stride, lda: stride, b: q, ldb: k,
                                                  beta: 0, c: u + b * block * k, ldc: k)
                            }
                        }
                    }
                }
            }
        }
        return U
    }

    /// Qᵀ y in Float64.
    private static func times(_ q: [S], _ y: [Double], k: Int) -> [Double] {
        (0..<k).map { e in
            var s = 0.0
            for c in 0..<k { s += Double(q[e * k + c]) * y[c] }
            return s
        }
    }

    /// The smallest and largest diagonal entries of B_u in this basis, for λ_u: B_u is positive
    /// definite to working precision when the smallest exceeds k·ε times the largest.
    func isPositiveDefinite(lambda: Double) -> Bool {
        guard let low = shift.min(), let high = shift.max() else { return lambda > 0 }
        return low + lambda > Double(Swift.max(1, k)) * Double(S.ulpOfOne) * (high + lambda)
    }

    /// Replaces the first k entries of the given rows of X (m × w, Float64), which hold ζ = Qᵀx,
    /// by x = Q ζ, by the native dense product (each row one chain of multiply-adds in a fixed
    /// order, whatever rows it is computed with, so a shard gets the rows of the whole run), in
    /// chunks of 2,048 users so that the copies stay small. Returns the flops.
    func rotateBack(_ users: [Int], X: inout [Double], w: Int, variant: NativeKernelVariant, threads: Int) -> Double {
        guard let q = transposedQ, !users.isEmpty else { return 0 }
        let ld = S.nativeVectorPadding(variant, k), chunk = 2048
        var padded = [S](repeating: 0, count: k * ld)
        for e in 0..<k { for c in 0..<k { padded[e * ld + c] = q[e * k + c] } }
        var Z = [Double](repeating: 0, count: Swift.min(chunk, users.count) * k), out = [S](repeating: 0, count: Swift.min(chunk, users.count) * ld)
        for start in stride(from: 0, to: users.count, by: chunk) {
            let part = users[start..<Swift.min(start + chunk, users.count)]
            for (r, u) in part.enumerated() { for c in 0..<k { Z[r * k + c] = X[u * w + c] } }
            multiply(rows: part.count, Z, by: padded, ld: ld, into: &out, variant: variant, threads: threads)
            for (r, u) in part.enumerated() { for c in 0..<k { X[u * w + c] = Double(out[r * ld + c]) } }
        }
        return 2 * Double(users.count * k * k)
    }

    /// out = Z·P for `rows` rows of Z (k wide) and P (k rows of ld), in blocks of 64 rows over
    /// the threads.
    private func multiply(rows: Int, _ Z: [Double], by P: [S], ld: Int, into out: inout [S], variant: NativeKernelVariant, threads: Int) {
        let block = 64, blocks = (rows + block - 1) / block, k = self.k
        Z.withUnsafeBufferPointer { z in
            P.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    let pointers = UnsafeSendable((z.baseAddress!, p.baseAddress!, o.baseAddress!))
                    DispatchQueue.concurrentPerform(iterations: Swift.min(threads, blocks)) { t in
                        let (z, p, o) = pointers.value
                        for b in Swift.stride(from: t, to: blocks, by: Swift.min(threads, blocks)) {
                            S.nativeDenseMM(variant, rows: Swift.min(block, rows - b * block), n: k, k: k, d: z + b * block * k, ldd: k,
                                            v: p, ldv: ld, b: o + b * block * ld, ldb: ld)
                        }
                    }
                }
            }
        }
    }
}
