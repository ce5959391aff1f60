/// How one solve forms and factorizes the users' normal equations, chosen once per solve by
/// ``RidgeSolver`` from its settings and the objective, before any user is solved. The kernels
/// dispatch on it and never read the settings themselves.
struct RidgeStrategy: Sendable {
    /// Whether one factorization of c0·G + λI serves every user (``ObjectiveTerms/sharesSystemMatrix``),
    /// so that the work is the right-hand sides R·V and the triangular solves; else every user's
    /// own A_u is formed and factorized.
    let sharedSystem: Bool
    /// mftool's native kernels (systems in rows of kp, in-cache Cholesky) or BLAS syrk with LAPACK
    /// potrf/potrs (w × w systems).
    let factorization: RidgeSolver.Kernel
    /// Which users of the per-user systems take the dual form (``RidgeKernel+Dual``): those it is
    /// cheaper for, all it can solve, or none.
    let form: RidgeSolver.Form

    /// The reference for users whose dual system proved singular: each one's primal system by
    /// LAPACK, which fails naming the user or falls back.
    static let reference = RidgeStrategy(sharedSystem: false, factorization: .lapack, form: .primal)
}

extension RidgeSolver {
    /// This solver's strategy for a problem with these terms.
    func strategy(for terms: ObjectiveTerms) -> RidgeStrategy {
        RidgeStrategy(sharedSystem: terms.sharesSystemMatrix, factorization: kernel, form: form)
    }
}
