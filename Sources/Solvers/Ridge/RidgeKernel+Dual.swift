import Foundation
import Matrices

/// The dual form of a user's normal equations, for users with fewer stored entries than the
/// system has columns. In the ``DualBasis`` coordinates the item block of A_u is
/// Â = diag(1/s) + Σ_{i∈Ω_u} d_i u_i u_iᵀ with diag(1/s) = TᵀB_uT; for the entries with d_i ≠ 0
/// (those with d_i = 0 add nothing) let Ŷ hold the rows √|d_i|·√s ⊙ u_i and Σ their signs. Then,
/// by the Woodbury identity,
///
///     Â⁻¹ r = √s ⊙ (r̃ − Ŷᵀ M⁻¹ Ŷ r̃),   r̃ = √s ⊙ r,   M = Σ + Ŷ Ŷᵀ  (n_u × n_u),
///
/// which costs n_u²·k + n_u³/3 instead of the primal n_u·k² + k³/3. With every d_i > 0, M ≥ I
/// and its Cholesky factorization always exists. A negative d_i (linear confidence below c0)
/// makes M indefinite: it is factored by Bunch–Kaufman, and A_u is positive definite exactly
/// when M has as many negative eigenvalues as Σ has negative signs (Haynsworth's inertia
/// additivity on [[diag(1/s), Ŷᵀ], [Ŷ, −Σ]]), read from the factor's blocks.
/// Under a user bias, with a the bias column of A_u, α its diagonal entry and b_β the bias entry
/// of b_u, the Schur complement gives β = (b_β − a·p) / (α − a·q) with p = Â⁻¹b, q = Â⁻¹a, and
/// ζ = p − β q. The weights d_i, the right-hand side weights and λ_u are those of
/// ``ObjectiveTerms``, as in the primal form.
extension RidgeKernel {
    /// Which users take the dual form, with its basis.
    struct DualPlan: @unchecked Sendable {
        /// A thread's workspace for this plan.
        func workspace(variant: NativeKernelVariant) -> DualWorkspace<S> {
            DualWorkspace(k: basis.k, rowStride: basis.rowStride, ldx: S.nativePadding(variant, basis.rowStride),
                          maxDegree: maxDegree, maxActive: maxActive)
        }

        let basis: DualBasis<S>
        let isDual: [Bool]
        let users: Int
        /// The most entries of a dual user, and of those with positive weight (the size of M).
        let maxDegree: Int
        let maxActive: Int
    }

    /// The plan for this solve, nil when no user takes the dual form. The choice for each user
    /// depends on that user's entries, k and the objective alone, never on the other users, so
    /// a shard of the users gives each the form it has in the whole run.
    func dualPlan(background: [Double]) -> DualPlan? {
        guard strategy.form != .primal else { return nil }
        let m = problem.userCount
        var candidates = [Bool](repeating: false, count: m)
        var any = false
        for u in 0..<m {
            candidates[u] = prefersDual(u)
            any = any || candidates[u]
        }
        guard any, let basis = DualBasis(self, background: background) else { return nil }
        var users = 0, maxDegree = 0, maxActive = 0
        for u in 0..<m where candidates[u] {
            let range = problem.interactions.range(ofRow: u)
            guard basis.isPositiveDefinite(lambda: terms.lambda(forCount: range.count)) else { candidates[u] = false; continue }
            users += 1
            maxDegree = Swift.max(maxDegree, range.count)
            maxActive = Swift.max(maxActive, activeEntries(range))
        }
        return users == 0 ? nil : DualPlan(basis: basis, isDual: candidates, users: users, maxDegree: maxDegree, maxActive: maxActive)
    }

    /// Whether user u is for the dual form: not an empty user of the observed loss (the zero
    /// vector), and, under `--form auto`, fewer estimated flops.
    func prefersDual(_ u: Int) -> Bool {
        let range = problem.interactions.range(ofRow: u)
        if range.isEmpty && !terms.hasBackground { return false }
        if strategy.form == .dual { return true }
        // Under a background the basis costs 2 to 3·n·k² once (VᵀV, then V·R⁻¹ or V·Q);
        // below k = 128 the per-user savings do not repay it on logs of typical size. A bound on
        // k alone, so the choice still depends on nothing but the user and the problem's shape.
        if terms.hasBackground && problem.k < RidgeSolver.smallestRotatedK { return false }
        let k = Double(problem.k), w = Double(w), n = Double(range.count), a = Double(activeEntries(range))
        let rotation = terms.hasBackground ? 2 * k * k : 0
        let dual = a * a * k + a * a * a / 3 + 6 * n * k + rotation
        let primal = n * w * w + w * w * w / 3 + 2 * w * w
        return dual * RidgeSolver.dualCostFactor(k: problem.k) < primal
    }

    /// The entries of `range` with a nonzero Gram weight.
    func activeEntries(_ range: Range<Int>) -> Int {
        switch terms.entryGram {
        case .unit: return range.count
        case .none: return 0
        case .weighted: return range.reduce(0) { $0 + (terms.gramWeight(problem.interactions.values[$1]) != 0 ? 1 : 0) }
        }
    }

    /// Solves user u in the dual form into `out` (w values, the item part in the basis's
    /// coordinates). Returns the flops, or nil when the system proves not positive definite to
    /// working precision (the caller then takes the primal form).
    func solveDual(_ u: Int, plan: DualPlan, workspace ws: DualWorkspace<S>, out: UnsafeMutablePointer<Double>) -> Double? {
        let basis = plan.basis, k = basis.k
        let range = problem.interactions.range(ofRow: u)
        let lambdaU = terms.lambda(forCount: range.count)
        basis.scaling(lambda: lambdaU, into: ws.sigma)
        let bias = gatherDual(range, basis: basis, ws)
        let active = ws.active
        if active > 0 {
            S.syrk(rows: active, k: k, alpha: 1, a: ws.rows, lda: k, beta: 0, c: ws.m, ldc: active)
            for i in 0..<active { ws.m[i * active + i] += ws.signs[i] }
            guard ws.negatives == 0 ? cholesky(active, ws.m) == 0 : Self.factorIndefinite(ws) else { return nil }
        }
        applyInverse(ws.rhs, into: ws.p, k: k, ws)
        var flops = Double(active * active * k) + Double(active * active * active) / 3 + Double(6 * range.count * k)
        guard problem.objective.userBias else {
            for c in 0..<k { out[c] = Double(ws.p[c]) }
            return flops
        }
        applyInverse(ws.biasColumn, into: ws.q, k: k, ws)
        var ap = 0.0, aq = 0.0
        for c in 0..<k {
            ap += ws.biasColumn[c] * Double(ws.p[c])
            aq += ws.biasColumn[c] * Double(ws.q[c])
        }
        let schur = bias.alpha - aq
        guard schur > Double(w) * Double(S.ulpOfOne) * bias.alpha else { return nil }
        let beta = (bias.rhs - ap) / schur
        for c in 0..<k { out[c] = Double(ws.p[c]) - beta * Double(ws.q[c]) }
        out[k] = beta
        flops += Double(4 * active * k)
        return flops
    }

    /// The user's rows in the basis: b_u's item part into `ws.rhs`, the bias column into
    /// `ws.biasColumn`, and Ŷ (the entries of nonzero weight, scaled) into `ws.rows`, their
    /// signs into `ws.signs` and their counts into `ws.active` and `ws.negatives`. Returns the
    /// bias entries α and b_β. The rows are read at random by the native gather (prefetching,
    /// b_u accumulated in Float64), the rest from its copy.
    func gatherDual(_ range: Range<Int>, basis: DualBasis<S>, _ ws: DualWorkspace<S>) -> (alpha: Double, rhs: Double) {
        let k = basis.k, R = problem.interactions, userBias = problem.objective.userBias
        let b = ws.rhs, a = ws.biasColumn, sigma = ws.sigma, Y = ws.rows, X = ws.gathered, ldx = ws.ldx
        let gw = ws.gramWeights, rw = ws.rhsWeights
        for c in 0..<k { b[c] = basis.background[c]; a[c] = basis.biasColumn[c] }
        for c in k..<basis.rowStride { b[c] = 0 }
        for (t, p) in range.enumerated() {
            gw[t] = terms.gramWeight(R.values[p])
            rw[t] = terms.rhsWeight(R.values[p], item: Int(R.indices[p]))
        }
        basis.rows.withUnsafeBufferPointer { U in
            R.indices.withUnsafeBufferPointer { indices in
                S.nativeGather(variant, k: basis.rowStride, kp: ldx, count: range.count, v: U.baseAddress!,
                               indices: indices.baseAddress! + range.lowerBound, gramWeights: nil, rhsWeights: rw, x: X, y: nil, b: b)
            }
        }
        var alpha = basis.biasWeight, rhs = basis.backgroundBias
        var active = 0, negatives = 0
        for t in 0..<range.count {
            let d = gw[t], row = X + t * ldx
            if userBias {
                for c in 0..<k { a[c] += d * Double(row[c]) }
                alpha += d
                rhs += rw[t]
            }
            guard d != 0 else { continue }
            let e = S(abs(d).squareRoot()), dst = Y + active * k
            for c in 0..<k { dst[c] = e * sigma[c] * row[c] }
            ws.signs[active] = d > 0 ? 1 : -1
            negatives += d > 0 ? 0 : 1
            active += 1
        }
        ws.active = active
        ws.negatives = negatives
        return (alpha, rhs)
    }

    /// Factors the indefinite M in `ws.m` by Bunch–Kaufman; false when A_u is not positive
    /// definite (M's negative eigenvalues, counted on the factor's 1 × 1 and 2 × 2 blocks, are
    /// not exactly the ``DualWorkspace/negatives`` signs) or when a block is singular to working
    /// precision (below n·ε·max |M_ii|): the primal form then decides.
    static func factorIndefinite(_ ws: DualWorkspace<S>) -> Bool {
        let n = ws.active, a = ws.m
        var largest: S = 0
        for i in 0..<n { largest = Swift.max(largest, abs(a[i * n + i])) }
        guard S.sytrf(n: n, a: a, pivots: ws.pivots, work: ws.work, lwork: ws.workCount) == 0 else { return false }
        let threshold = S(n) * S.ulpOfOne * largest
        var negative = 0, i = 0
        while i < n {
            // LAPACK's lower factor in column-major terms: D(i+1, i) is a[i·n + i + 1] here.
            if ws.pivots[i] > 0 || i + 1 == n {
                let d = a[i * n + i]
                guard abs(d) > threshold else { return false }
                negative += d < 0 ? 1 : 0
                i += 1
            } else {
                let d11 = a[i * n + i], d21 = a[i * n + i + 1], d22 = a[(i + 1) * n + i + 1]
                let det = d11 * d22 - d21 * d21
                guard abs(det) > threshold * Swift.max(abs(d11), abs(d22), abs(d21)) else { return false }
                negative += det < 0 ? 1 : (d11 + d22 < 0 ? 2 : 0)
                i += 2
            }
        }
        return negative == ws.negatives
    }

    /// x = Â⁻¹ r by the Woodbury identity, with M's factor in `ws.m`.
    func applyInverse(_ r: UnsafePointer<Double>, into x: UnsafeMutablePointer<S>, k: Int, _ ws: DualWorkspace<S>) {
        let sigma = ws.sigma, active = ws.active
        for c in 0..<k { x[c] = sigma[c] * S(r[c]) }
        if active > 0 {
            S.gemv(transposed: false, rows: active, columns: k, alpha: 1, a: ws.rows, lda: k, x: x, beta: 0, y: ws.h)
            if ws.negatives > 0 {
                _ = S.sytrs(n: active, a: ws.m, pivots: ws.pivots, b: ws.h)
            } else {
                // M = UᵀU with U the upper triangle of `ws.m` (row-major): two triangular sweeps.
                S.trsvUpper(transposed: true, n: active, u: ws.m, x: ws.h)
                S.trsvUpper(transposed: false, n: active, u: ws.m, x: ws.h)
            }
            S.gemv(transposed: true, rows: active, columns: k, alpha: -1, a: ws.rows, lda: k, x: ws.h, beta: 1, y: x)
        }
        for c in 0..<k { x[c] *= sigma[c] }
    }
}
