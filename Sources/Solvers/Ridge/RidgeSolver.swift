import Dispatch
import Foundation
import Matrices

/// Exact per-user ridge solves by Cholesky: (A_u) x_u = b_u for every user, in parallel.
public struct RidgeSolver: Sendable {
    /// The floating-point precision of the Gram matrices and factorizations.
    public typealias Precision = SolvePrecision

    /// What to do when a user's system matrix is not positive definite.
    public enum Fallback: String, Sendable, CaseIterable {
        /// Fail, naming the user.
        case none
        /// The minimum-norm least-squares solution (eigen-based pseudo-inverse), counted.
        case lstsq
    }

    /// How each user's system is built and factorized.
    public enum Kernel: String, Sendable, CaseIterable {
        /// mftool's own SIMD kernels (AVX-512, AVX2+FMA or portable, chosen at run time): the
        /// Gram accumulation in registers and an in-cache Cholesky. The default.
        case native
        /// BLAS syrk for the Gram matrix, LAPACK potrf/potrs: the reference.
        case lapack
    }

    /// Which form of each user's normal equations is solved; both give the same minimizer.
    public enum Form: String, Sendable, CaseIterable {
        /// The dual form for the users where the flop count says it is faster (fewer stored
        /// entries than columns, roughly), the primal form for the others. The default.
        case auto
        /// The k × k normal equations for every user.
        case primal
        /// The n_u × n_u dual form for every user it can solve (all but users of the implicit
        /// loss with a confidence below α0, users whose λ_u leaves the system singular, and the
        /// empty users of the observed loss).
        case dual
    }

    /// How much longer a flop of the dual form takes than a flop of the primal form's native
    /// kernels, at k item columns: the dual form's BLAS calls on small, thin matrices cost more
    /// per flop than the register-tiled Gram accumulation at small k, and less than the primal
    /// Cholesky factorization once a k × k system outgrows the caches. Fitted to per-user times
    /// of both forms at k = 32 to 768 and n_u = 2 to 2k on 2-core AMD EPYC (AVX2) machines,
    /// where it puts the crossover near n_u = k/4 at k = 32, k/2 at k = 64, k at k = 128 and past
    /// k above. A constant of the build, not a measurement at run time: the form of each user,
    /// and so its factors to the last bit, must not depend on the machine's load or on which
    /// shard solves it.
    /// Under the dense and implicit losses, `auto` takes the dual form only from this k on: below
    /// it the rotation of the item matrix costs more than the users save (at k = 64, 5,000 users
    /// × 26,744 items, implicit loss: 7 to 17% slower than the primal form for every user).
    static let smallestRotatedK = 128

    static func dualCostFactor(k: Int) -> Double {
        Swift.min(4, Swift.max(0.5, 128 / Double(Swift.max(1, k))))
    }

    /// Worker threads for the per-user solves (results do not depend on it).
    public var threads: Int
    public var precision: Precision
    public var fallback: Fallback
    /// The per-user kernel.
    public var kernel: Kernel = .native
    /// The form of the per-user systems.
    public var form: Form = .auto
    /// The native kernels' instruction set; nil uses the best the CPU supports.
    public var variant: NativeKernelVariant? = nil
    /// User ids for error messages (row numbers when nil).
    public var userIDs: IDMap?
    /// Called with the users solved so far (see ``ProgressHandler``); it does not change the
    /// order or the arithmetic of the solves.
    public var progress: ProgressHandler? = nil
    /// Whether ``solve(_:)`` evaluates the objective at the solution (``RidgeSolution/objective``,
    /// NaN when off): one more pass over the interactions and a Gram product.
    public var reportsObjective = true
    /// The memory the solve's working memory and factors may take; refused by name past it.
    public var memory: MemoryLimit = .system

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, precision: Precision = .double,
                fallback: Fallback = .none, userIDs: IDMap? = nil) {
        self.threads = Swift.max(1, threads)
        self.precision = precision
        self.fallback = fallback
        self.userIDs = userIDs
    }

    /// Solves every user exactly.
    public func solve(_ problem: RidgeProblem) throws(SolverError) -> RidgeSolution {
        try chargeWorkingMemory(problem)
        let start = DispatchTime.now().uptimeNanoseconds
        var solution: RidgeSolution
        let strategy = strategy(for: problem.terms)
        switch precision {
        case .double: solution = try RidgeKernel<Double>(problem: problem, solver: self, strategy: strategy).run()
        case .single: solution = try RidgeKernel<Float>(problem: problem, solver: self, strategy: strategy).run()
        }
        solution.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        solution.objective = reportsObjective ? ObjectiveEvaluator(problem, gram: solution.gram).value(solution.factors.storage) : .nan
        return solution
    }
}

/// The result of a ridge solve.
public struct RidgeSolution: Sendable {
    /// User factors, m × width (the user bias, when used, is the last column).
    public var factors: DenseMatrix<Double>
    /// Users with no interactions.
    public var emptyUsers: Int
    /// Users solved by the least-squares fallback.
    public var fallbackUsers: Int
    /// Users solved in the dual form.
    public var dualUsers: Int = 0
    /// Floating-point operations of the solve (Gram products, factorizations, solves).
    public var flops: Double
    /// Wall-clock seconds of the solve (Gram matrices, factorizations, solves).
    public var seconds: Double = 0
    /// The objective at the solution, summed over users.
    public var objective: Double = 0
    /// VᵀV in Float64 when the solve computed it, so that the objective's evaluation does not.
    var gram: [Double]? = nil

    /// Achieved GFLOP/s.
    public var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}
