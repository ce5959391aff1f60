import Dispatch
import Matrices

/// The coordinates in which the dual form solves a user's normal equations (``RidgeKernel+Dual``).
///
/// Split A_u = B_u + Σ_{i∈Ω_u} d_i v_i v_iᵀ on its k item columns, with B_u = c0·G + λ_u I,
/// G = VᵀV and d_i the entries' Gram weights. In the coordinates x = T ζ, with T a k × k matrix
/// for which TᵀB_uT is diagonal, the rows u_i = Tᵀ v_i (of U = V·T, computed once) let the
/// Woodbury identity solve for ζ from an n_u × n_u system, and x = T ζ is one matrix product for
/// all users at the end. Three choices of T:
/// - without a background (c0 = 0, the observed loss) B_u = λ_u I: T = I and U is V itself;
/// - when every user has the same λ, B = RᵀR (Cholesky) and T = R⁻¹: TᵀBT = I, and U = V·R⁻¹
///   costs one triangular solve, n·k² flops;
/// - otherwise (λ_u that depends on the user's count) G = Q Λ Qᵀ and T = Q: TᵀB_uT =
///   c0·Λ + λ_u for every λ_u, and U = V·Q costs 2·n·k² flops and the eigendecomposition.
///
/// Under a user bias the bias column is kept outside the split and eliminated by its Schur
/// complement, so the basis spans the k item columns only; ``biasColumn`` and ``biasWeight``
/// hold the background's part of that column, c0·Tᵀ Vᵀ1 and c0·n.
struct DualBasis<S: LinearAlgebraScalar>: @unchecked Sendable {
    /// Item columns k (the system has k + 1 with a user bias).
    let k: Int
    /// Tᵀ, k × k row-major; nil when the basis is the identity.
    let transposedT: [S]?
    /// TᵀB_uT = diag(shift + λ_u): c0·Λ for the eigenbasis, zeros for the identity. Unused for
    /// the Cholesky basis, where TᵀBT = I for the one λ it factored.
    let shift: [Double]
    /// The λ the Cholesky basis factored; nil for the other two.
    let factoredLambda: Double?
    /// U: n rows of ``rowStride``, the first k entries of each being u_i.
    let rows: [S]
    let rowStride: Int
    /// c0·Tᵀ Vᵀt0 and the bias entry of c0·Vᵀt0: the background's part of b_u.
    let background: [Double]
    let backgroundBias: Double
    /// c0·Tᵀ Vᵀ1 and c0·n: the background's part of the bias column of A_u.
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
            transposedT = nil
            shift = [Double](repeating: 0, count: k)
            factoredLambda = nil
            rows = kernel.items
            rowStride = w
            self.background = Array(background[0..<k])
            biasColumn = [Double](repeating: 0, count: k)
            biasWeight = 0
            return
        }
        let G = ItemMatrix<Double>(problem.items).gram()
        gram = G
        let threads = kernel.solver.threads, n = problem.itemCount
        if let lambda = problem.objective.constantLambda, let r = Self.choleskyFactor(G, problem: problem, c0: c0, lambda: lambda),
           let t = Self.transposedInverse(r, k: k) {
            transposedT = t
            shift = [Double](repeating: 0, count: k)
            factoredLambda = lambda
            rows = Self.transformRows(kernel.items, n: n, stride: w, k: k, threads: threads) { v, u, count in
                for row in 0..<count { (u + row * k).update(from: v + row * w, count: k) }
                r.withUnsafeBufferPointer { S.trsmRightUpper(m: count, n: k, r: $0.baseAddress!, b: u, ldb: k) }
            }
        } else {
            guard let (q, eigenvalues) = Self.eigenbasis(G, w: w, k: k) else { return nil }
            transposedT = q
            shift = eigenvalues.map { c0 * $0 }
            factoredLambda = nil
            rows = Self.transformRows(kernel.items, n: n, stride: w, k: k, threads: threads) { v, u, count in
                q.withUnsafeBufferPointer {
                    S.gemmTransposedB(m: count, n: k, k: k, alpha: 1, a: v, lda: w, b: $0.baseAddress!, ldb: k, beta: 0, c: u, ldc: k)
                }
            }
        }
        rowStride = k
        let t = transposedT!
        self.background = Self.times(t, Array(background[0..<k]), k: k)
        if problem.objective.userBias {
            let ones = (0..<k).map { G[(w - 1) * w + $0] }
            biasColumn = Self.times(t, ones, k: k).map { c0 * $0 }
            biasWeight = c0 * Double(n)
        } else {
            biasColumn = [Double](repeating: 0, count: k)
            biasWeight = 0
        }
    }

    /// Qᵀ (row e the eigenvector e) and the eigenvalues Λ of G's item block; nil when the
    /// decomposition fails.
    private static func eigenbasis(_ G: [Double], w: Int, k: Int) -> ([S], [Double])? {
        var q = [S](repeating: 0, count: k * k)
        for r in 0..<k { for c in 0..<k { q[r * k + c] = S(G[r * w + c]) } }
        var eigenvalues = [S](repeating: 0, count: k)
        // One thread: the decomposition, and so every factor, must not depend on the thread count.
        let info = BLASThreads.singleThreaded {
            q.withUnsafeMutableBufferPointer { qp in eigenvalues.withUnsafeMutableBufferPointer { S.syevd(n: k, a: qp.baseAddress!, w: $0.baseAddress!) } }
        }
        return info == 0 ? (q, eigenvalues.map { Double($0) }) : nil
    }

    /// R, upper triangular with RᵀR = c0·G + λI on the item block (row-major, zeros below the
    /// diagonal); nil when the factorization fails. The sum is formed in Float64, then rounded.
    private static func choleskyFactor(_ G: [Double], problem: RidgeProblem, c0: Double, lambda: Double) -> [S]? {
        let w = problem.width, k = problem.k
        var b = G.map { c0 * $0 }
        problem.addRegularization(lambda, to: &b, stride: w)
        var r = [S](repeating: 0, count: k * k)
        for i in 0..<k { for j in i..<k { r[i * k + j] = S(b[i * w + j]) } }
        let info = BLASThreads.singleThreaded { r.withUnsafeMutableBufferPointer { S.potrf(n: k, a: $0.baseAddress!) } }
        return info == 0 ? r : nil
    }

    /// (R⁻¹)ᵀ, lower triangular (row-major); nil when R is singular to working precision.
    private static func transposedInverse(_ r: [S], k: Int) -> [S]? {
        var inverse = r
        let info = BLASThreads.singleThreaded { inverse.withUnsafeMutableBufferPointer { S.trtriUpper(n: k, r: $0.baseAddress!) } }
        guard info == 0 else { return nil }
        var t = [S](repeating: 0, count: k * k)
        for i in 0..<k { for j in i..<k { t[j * k + i] = inverse[i * k + j] } }
        return t.allSatisfy { $0.isFinite } ? t : nil
    }

    /// The n rows of U (k wide) from the first k columns of the n rows of V (`stride` apart),
    /// by `block` on blocks of 256 rows, each block one single-threaded BLAS call: a row's
    /// arithmetic depends on its place in V alone, never on the thread count.
    private static func transformRows(_ V: [S], n: Int, stride: Int, k: Int, threads: Int,
                                      _ block: @escaping (UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void) -> [S] {
        let size = 256, blocks = (n + size - 1) / size, workers = Swift.max(1, Swift.min(threads, blocks))
        let U = [S](unsafeUninitializedCapacity: n * k) { up, count in
            V.withUnsafeBufferPointer { v in
                let pointers = UnsafeSendable((v.baseAddress!, up.baseAddress!, block))
                BLASThreads.singleThreaded {
                    DispatchQueue.concurrentPerform(iterations: workers) { t in
                        let (v, u, block) = pointers.value
                        for b in Swift.stride(from: t, to: blocks, by: workers) {
                            block(v + b * size * stride, u + b * size * k, Swift.min(size, n - b * size))
                        }
                    }
                }
            }
            count = n * k
        }
        return U
    }

    /// Tᵀ y in Float64.
    private static func times(_ q: [S], _ y: [Double], k: Int) -> [Double] {
        (0..<k).map { e in
            var s = 0.0
            for c in 0..<k { s += Double(q[e * k + c]) * y[c] }
            return s
        }
    }

    /// Whether this basis solves users with λ_u = `lambda`: the Cholesky basis only those with
    /// the λ it factored; the others when B_u is positive definite to working precision, its
    /// smallest diagonal entry in this basis exceeding k·ε times the largest.
    func isPositiveDefinite(lambda: Double) -> Bool {
        if let factored = factoredLambda { return lambda == factored }
        guard let low = shift.min(), let high = shift.max() else { return lambda > 0 }
        return low + lambda > Double(Swift.max(1, k)) * Double(S.ulpOfOne) * (high + lambda)
    }

    /// (TᵀB_uT)^(-1/2), the scaling of the Woodbury identity's rows, into `sigma` (k values).
    func scaling(lambda: Double, into sigma: UnsafeMutablePointer<S>) {
        if factoredLambda != nil {
            sigma.update(repeating: 1, count: k)
        } else {
            for c in 0..<k { sigma[c] = S((1 / (shift[c] + lambda)).squareRoot()) }
        }
    }

    /// Replaces the first k entries of the given rows of X (m × w, Float64), which hold ζ,
    /// by x = T ζ, by the native dense product (each row one chain of multiply-adds in a fixed
    /// order, whatever rows it is computed with, so a shard gets the rows of the whole run), in
    /// chunks of 2,048 users so that the copies stay small. Returns the flops.
    func rotateBack(_ users: [Int], X: inout [Double], w: Int, variant: NativeKernelVariant, threads: Int) -> Double {
        guard let q = transposedT, !users.isEmpty else { return 0 }
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
    /// the threads. P = Tᵀ of the Cholesky basis is lower triangular: column c of out then sums
    /// over the rows of P from c on only, in strips of 64 columns (the terms left out are zero).
    private func multiply(rows: Int, _ Z: [Double], by P: [S], ld: Int, into out: inout [S], variant: NativeKernelVariant, threads: Int) {
        let block = 64, blocks = (rows + block - 1) / block, k = self.k
        let strip = factoredLambda != nil ? 64 : k
        Z.withUnsafeBufferPointer { z in
            P.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    let pointers = UnsafeSendable((z.baseAddress!, p.baseAddress!, o.baseAddress!))
                    DispatchQueue.concurrentPerform(iterations: Swift.min(threads, blocks)) { t in
                        let (z, p, o) = pointers.value
                        for b in Swift.stride(from: t, to: blocks, by: Swift.min(threads, blocks)) {
                            for c in Swift.stride(from: 0, to: k, by: strip) {
                                let first = strip == k ? 0 : c
                                S.nativeDenseMM(variant, rows: Swift.min(block, rows - b * block), n: k - first, k: Swift.min(strip, k - c),
                                                d: z + b * block * k + first, ldd: k, v: p + first * ld + c, ldv: ld,
                                                b: o + b * block * ld + c, ldb: ld)
                            }
                        }
                    }
                }
            }
        }
    }
}
