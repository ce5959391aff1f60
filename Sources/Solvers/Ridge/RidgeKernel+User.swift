import Matrices

/// One user's system: A_u = c0·G + Σ gramWeight·v vᵀ + λ_u I and b_u = c0·Vᵀt0 + Σ rhsWeight·v,
/// from the weights ``ObjectiveTerms`` gives each stored entry, then factorized and solved.
extension RidgeKernel {
    /// Builds and solves user u's system into `out` (w values) by the strategy's factorization,
    /// chosen here once for the user; returns whether the least-squares fallback was used, and
    /// the flops.
    @inline(__always)
    func solveUser(_ u: Int, G: [S], background: [Double], rows V: UnsafePointer<S>?, workspace ws: RidgeWorkspace<S>,
                   out: UnsafeMutablePointer<Double>) throws(SolverError) -> (Bool, Double) {
        let range = problem.interactions.range(ofRow: u)
        if range.isEmpty && !terms.hasBackground {
            for c in 0..<w { out[c] = 0 }
            return (false, 0)
        }
        let lambdaU = terms.lambda(forCount: range.count)
        fillWeights(range, ws)
        for c in 0..<w { ws.rhs[c] = background[c] }
        var flops: Double
        let usedFallback: Bool
        switch strategy.factorization {
        case .native:
            flops = assembleNative(range, G: G, rows: V!, ws)
            usedFallback = try factorAndSolve(u, count: range.count, lambda: lambdaU, stride: kp, ws,
                                              factor: { nativeFactor(ws.a, inverse: ws.inverse) },
                                              solve: { S.nativeSolve(variant, k: w, lda: kp, u: ws.a, inverse: ws.inverse, b: ws.b) })
        case .lapack:
            flops = assembleLAPACK(range, G: G, ws)
            usedFallback = try factorAndSolve(u, count: range.count, lambda: lambdaU, stride: w, ws,
                                              factor: { cholesky(w, ws.a) },
                                              solve: { _ = S.potrs(n: w, nrhs: 1, a: ws.a, b: ws.b) })
        }
        flops += Double(w * w * w) / 3 + 2 * Double(w * w)
        if usedFallback { flops += 4 * Double(w * w * w) }
        for c in 0..<w { out[c] = Double(ws.b[c]) }
        return (usedFallback, flops)
    }

    /// The weights of user u's entries in A_u and b_u, into the workspace.
    @inline(__always)
    func fillWeights(_ range: Range<Int>, _ ws: RidgeWorkspace<S>) {
        let R = problem.interactions
        var t = 0
        for p in range {
            let r = R.values[p]
            ws.gramWeights[t] = terms.gramWeight(r)
            ws.rhsWeights[t] = terms.rhsWeight(r, item: Int(R.indices[p]))
            t += 1
        }
    }

    /// A_u (leading dimension kp) and b_u in Float64 by the native kernels: the rows gathered
    /// with b_u's sum, then A = G + Σ w_t v_t v_tᵀ (or Σ v_t v_tᵀ) accumulated in registers.
    @inline(__always)
    func assembleNative(_ range: Range<Int>, G: [S], rows V: UnsafePointer<S>, _ ws: RidgeWorkspace<S>) -> Double {
        let weighted = terms.entryGram == .weighted
        problem.interactions.indices.withUnsafeBufferPointer { indices in
            S.nativeGather(variant, k: w, kp: kp, count: range.count, v: V, indices: indices.baseAddress! + range.lowerBound,
                           gramWeights: weighted ? ws.gramWeights : nil, rhsWeights: ws.rhsWeights,
                           x: ws.rows, y: weighted ? ws.scaled : nil, b: ws.rhs)
        }
        if terms.entryGram == .none {
            ws.a.update(from: G, count: G.count)
            return 0
        }
        G.withUnsafeBufferPointer { g in
            S.nativeGram(variant, kp: kp, ldx: kp, count: range.count, x: ws.rows, y: weighted ? ws.scaled : nil,
                         base: terms.hasBackground ? g.baseAddress : nil, a: ws.a)
        }
        return Double(range.count * w * (w + 1))
    }

    /// A_u (w × w) by BLAS syrk over the rows scaled by √|weight| (positive weights from the top
    /// of the buffer, negative ones from the bottom), and b_u in Float64.
    @inline(__always)
    func assembleLAPACK(_ range: Range<Int>, G: [S], _ ws: RidgeWorkspace<S>) -> Double {
        let R = problem.interactions
        let V = items
        if terms.hasBackground { ws.a.update(from: G, count: w * w) }
        for (t, p) in range.enumerated() {
            let j = Int(R.indices[p])
            for c in 0..<w { ws.rhs[c] += ws.rhsWeights[t] * Double(V[j * w + c]) }
        }
        guard terms.entryGram != .none else { return 0 }
        var top = 0, bottom = range.count
        for (t, p) in range.enumerated() {
            let j = Int(R.indices[p])
            let weight = ws.gramWeights[t]
            let scale = S(abs(weight).squareRoot())
            let slot: Int
            if weight >= 0 { slot = top; top += 1 } else { bottom -= 1; slot = bottom }
            for c in 0..<w { ws.rows[slot * w + c] = scale * V[j * w + c] }
        }
        let beta: S = terms.hasBackground ? 1 : 0
        if top > 0 {
            S.syrkTransposed(rows: top, k: w, alpha: 1, a: ws.rows, lda: w, beta: beta, c: ws.a, ldc: w)
        }
        if bottom < range.count {
            S.syrkTransposed(rows: range.count - bottom, k: w, alpha: -1, a: ws.rows + bottom * w, lda: w, beta: 1, c: ws.a, ldc: w)
        }
        return Double(range.count * w * (w + 1))
    }

    /// Adds λ_u to the assembled A_u (rows `stride` apart), rounds b_u to the kernel's precision,
    /// factorizes A_u by `factor` (0 or a failure code) and solves for b_u in place by `solve`.
    /// When A_u is not positive definite: with `--fallback lstsq` its minimum-norm least-squares
    /// solution (returns true), else an error naming the user.
    @inline(__always)
    func factorAndSolve(_ u: Int, count: Int, lambda lambdaU: Double, stride: Int, _ ws: RidgeWorkspace<S>,
                        factor: () -> Int, solve: () -> Void) throws(SolverError) -> Bool {
        problem.addRegularization(S(lambdaU), to: ws.a, stride: stride)
        for c in 0..<w { ws.b[c] = S(ws.rhs[c]) }
        if solver.fallback == .lstsq {
            for i in 0..<w { for j in i..<w { ws.backup[i * w + j] = ws.a[i * stride + j]; ws.backup[j * w + i] = ws.a[i * stride + j] } }
        }
        let info = factor()
        if info != 0 {
            guard solver.fallback == .lstsq else {
                throw SolverError.notPositiveDefinite(user: solver.userIDs?.ids[u] ?? String(u), row: u,
                                                      interactions: count, lambda: lambdaU, k: problem.k)
            }
            let x = SymmetricEigen.pseudoSolve(n: w, a: Array(UnsafeBufferPointer(start: ws.backup, count: w * w)),
                                               b: Array(UnsafeBufferPointer(start: ws.b, count: w)))
            for c in 0..<w { ws.b[c] = x[c] }
            return true
        }
        solve()
        return false
    }
}
