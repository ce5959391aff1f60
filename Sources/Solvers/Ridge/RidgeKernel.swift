import Dispatch
import Matrices

/// The exact solve in one precision: every user's normal equations (``ObjectiveTerms``) built
/// and factorized by mftool's native kernels or by BLAS/LAPACK.
struct RidgeKernel<S: LinearAlgebraScalar> {
    let problem: RidgeProblem
    let terms: ObjectiveTerms
    let solver: RidgeSolver
    /// The item matrix in the kernel's precision.
    let matrix: ItemMatrix<S>
    /// The shared or per-user systems, their factorization and their form, chosen by the solver.
    let strategy: RidgeStrategy
    /// Counts the users solved for the solver's progress handler, when it has one.
    let progress: ProgressCounter?

    var w: Int { matrix.w }
    /// The native kernels' padded row length.
    var kp: Int { matrix.kp }
    var variant: NativeKernelVariant { matrix.variant }
    /// n × w, row-major, in the kernel's precision.
    var items: [S] { matrix.values }
    /// The distance between the rows of a per-user system: kp for the native kernels, w for LAPACK.
    var systemStride: Int {
        switch strategy.factorization {
        case .native: return kp
        case .lapack: return w
        }
    }

    init(problem: RidgeProblem, solver: RidgeSolver, strategy: RidgeStrategy) {
        self.problem = problem
        self.solver = solver
        self.strategy = strategy
        terms = problem.terms
        matrix = ItemMatrix(problem.items, variant: solver.variant.map { Swift.min($0, NativeKernelVariant.best) } ?? .best)
        progress = ProgressCounter(solver.progress, total: problem.userCount)
    }

    func run() throws(SolverError) -> RidgeSolution {
        let m = problem.userCount
        let background = problem.backgroundRightHandSide
        var X = [Double](repeating: 0, count: m * w)
        var flops = terms.hasBackground ? Double(problem.itemCount * w * (w + 1)) : 0
        if strategy.sharedSystem {
            switch strategy.factorization {
            case .native: flops += try solveSharedNative(background: background, X: &X)
            case .lapack: flops += try solveShared(G: matrix.gram(), background: background, X: &X)
            }
            progress?.finish()
            return RidgeSolution(factors: DenseMatrix(rows: m, columns: w, storage: X), emptyUsers: emptyCount(), fallbackUsers: 0, flops: flops)
        }
        let plan = dualPlan(background: background)
        let primalUsers = m - (plan?.users ?? 0)
        let G: [S] = terms.hasBackground && primalUsers > 0 ? scaledByBackground(systemGram()) : []
        var (fallbacks, userFlops, failures) = try solvePerUser(G: G, background: background, plan: plan, X: &X)
        var dualUsers = 0
        if let plan {
            let failed = Set(failures)
            let rotated = (0..<m).filter { plan.isDual[$0] && !failed.contains($0) }
            dualUsers = rotated.count
            userFlops += plan.basis.rotateBack(rotated, X: &X, w: w, variant: variant, threads: solver.threads)
            let (more, moreFlops) = try solveByReference(failures, background: background, X: &X)
            fallbacks += more
            userFlops += moreFlops
        }
        progress?.finish()
        var solution = RidgeSolution(factors: DenseMatrix(rows: m, columns: w, storage: X), emptyUsers: emptyCount(),
                                     fallbackUsers: fallbacks, flops: flops + userFlops)
        solution.dualUsers = dualUsers
        solution.gram = plan?.basis.gram
        return solution
    }

    /// Users whose dual system proved singular to working precision: the primal form by the
    /// reference kernel, which then fails naming the user or falls back, as for any user.
    func solveByReference(_ users: [Int], background: [Double], X: inout [Double]) throws(SolverError) -> (Int, Double) {
        guard !users.isEmpty else { return (0, 0) }
        let kernel = RidgeKernel(problem: problem, solver: solver, strategy: .reference)
        let G = terms.hasBackground ? kernel.scaledByBackground(kernel.matrix.gram()) : []
        let degree = users.map { problem.interactions.degree(ofRow: $0) }.max() ?? 0
        let workspace = RidgeWorkspace<S>(w: w, stride: kernel.systemStride, maxDegree: degree)
        var out = [Double](repeating: 0, count: w)
        var fallbacks = 0, flops = 0.0
        for u in users {
            let (usedFallback, f) = try out.withUnsafeMutableBufferPointer { (o) throws(SolverError) in
                try kernel.solveUser(u, G: G, background: background, rows: nil, workspace: workspace, out: o.baseAddress!)
            }
            for c in 0..<w { X[u * w + c] = out[c] }
            fallbacks += usedFallback ? 1 : 0
            flops += f
        }
        return (fallbacks, flops)
    }

    /// Every user's own system, in interleaved blocks of 64 users over the threads: balanced
    /// under power-law activity, and each user's arithmetic is the same whatever thread runs
    /// it. Returns the fallback count and the flops; a failure names the first failing row.
    /// Users of the dual ``plan`` are solved in its form; those it cannot solve are returned.
    func solvePerUser(G: [S], background: [Double], plan: DualPlan?, X: inout [Double]) throws(SolverError) -> (Int, Double, [Int]) {
        let m = problem.userCount
        let threads = Swift.min(solver.threads, Swift.max(1, m / 64))
        let block = 64
        var maxDegree = 0
        for u in 0..<m { maxDegree = Swift.max(maxDegree, problem.interactions.degree(ofRow: u)) }
        var results = [ThreadResult](repeating: ThreadResult(), count: threads)
        // The native gather reads item rows at random: from a huge-page copy.
        let rows = strategy.factorization == .native && (plan?.users ?? 0) < m ? HugePageBuffer(copying: items) : nil
        let shared = UnsafeSendable((self, G, background, maxDegree, rows, plan))
        X.withUnsafeMutableBufferPointer { xp in
            results.withUnsafeMutableBufferPointer { rp in
                let out = UnsafeSendable((xp.baseAddress!, rp.baseAddress!))
                BLASThreads.singleThreaded {
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        let (kernel, G, background, maxDegree, rows, plan) = shared.value
                        let (X, results) = out.value
                        let workspace = RidgeWorkspace<S>(w: kernel.w, stride: kernel.systemStride, maxDegree: maxDegree)
                        let dualWorkspace = plan?.workspace(variant: kernel.variant)
                        var blockStart = t * block
                        while blockStart < m {
                            for u in blockStart..<Swift.min(blockStart + block, m) {
                                if let plan, plan.isDual[u] {
                                    if let f = kernel.solveDual(u, plan: plan, workspace: dualWorkspace!, out: X + u * kernel.w) {
                                        results[t].flops += f
                                    } else {
                                        results[t].dualFailures.append(u)
                                    }
                                    continue
                                }
                                do {
                                    let (usedFallback, f) = try kernel.solveUser(u, G: G, background: background, rows: rows?.base,
                                                                                 workspace: workspace, out: X + u * kernel.w)
                                    if usedFallback { results[t].fallbacks += 1 }
                                    results[t].flops += f
                                } catch {
                                    results[t].failure = error as? SolverError
                                    return
                                }
                            }
                            kernel.progress?.add(Swift.min(block, m - blockStart), thread: t)
                            blockStart += threads * block
                        }
                    }
                }
            }
        }
        if let failure = results.compactMap({ $0.failure }).min(by: { $0.row < $1.row }) { throw failure }
        return (results.reduce(0) { $0 + $1.fallbacks }, results.reduce(0) { $0 + $1.flops }, results.flatMap { $0.dualFailures }.sorted())
    }

    /// What one thread of ``solvePerUser(G:background:plan:X:)`` counted.
    struct ThreadResult {
        var fallbacks = 0
        var flops = 0.0
        var failure: SolverError?
        /// Dual users whose system proved singular, for the primal form.
        var dualFailures: [Int] = []
    }

    /// G = VᵀV in the per-user systems' layout: rows of kp for the native kernels, of w for LAPACK.
    func systemGram() -> [S] {
        switch strategy.factorization {
        case .native: return matrix.nativeGram(padded: matrix.padded())
        case .lapack: return matrix.gram()
        }
    }

    /// c0·G, the part of every A_u from the entries outside Ω_u (G itself when c0 = 1).
    func scaledByBackground(_ G: [S]) -> [S] {
        let c0 = S(terms.backgroundWeight)
        return c0 == 1 ? G : G.map { c0 * $0 }
    }

    func emptyCount() -> Int {
        (0..<problem.userCount).filter { problem.interactions.degree(ofRow: $0) == 0 }.count
    }

    /// The native Cholesky of the w × w system in `a` (leading dimension kp), refusing it, as
    /// `cholesky` does, when a pivot falls below w·ε·max A_cc (singular to working precision);
    /// `inverse` receives the reciprocals of the factor's diagonal. Returns 0 or the failure code.
    func nativeFactor(_ a: UnsafeMutablePointer<S>, inverse: UnsafeMutablePointer<S>) -> Int {
        var largest: S = 0
        for c in 0..<w { largest = Swift.max(largest, a[c * kp + c]) }
        return S.nativeCholesky(variant, k: w, lda: kp, a: a, threshold: S(w) * S.ulpOfOne * largest, inverse: inverse)
    }
}

/// Cholesky factorization that also refuses numerically singular matrices: LAPACK's potrf can
/// succeed on an exactly rank-deficient Gram matrix thanks to rounding, leaving pivots of the
/// order of ε·‖A‖ that would give huge, meaningless factors. Returns 0 or a positive failure code.
@inline(__always)
func cholesky<S: LinearAlgebraScalar>(_ n: Int, _ a: UnsafeMutablePointer<S>) -> Int {
    var largest: S = 0
    for c in 0..<n { largest = Swift.max(largest, a[c * n + c]) }
    let info = S.potrf(n: n, a: a)
    if info != 0 { return info }
    // A pivot L_cc² below n·ε·max A_cc means A is singular to working precision.
    let threshold = S(n) * S.ulpOfOne * largest
    for c in 0..<n where a[c * n + c] * a[c * n + c] <= threshold { return c + 1 }
    return 0
}

extension SolverError {
    var row: Int {
        if case let .notPositiveDefinite(_, row, _, _, _) = self { return row }
        return -1
    }
}

/// Wraps a value for a `@Sendable` closure whose concurrent accesses are disjoint by construction.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
