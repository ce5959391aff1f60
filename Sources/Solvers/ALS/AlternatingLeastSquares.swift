import Matrices

/// Classical ALS: alternates the exact user solve (items fixed) and the exact item solve (users
/// fixed, the transposed problem) from seeded random item factors. This is how an item matrix is
/// obtained when none exists yet. Each half-step minimizes the full objective
/// data + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖v_i‖² exactly in one block, so the objective never increases.
public struct AlternatingLeastSquares: Sendable {
    public var objective: Objective
    public var k: Int
    /// Epochs to run; 0 returns the starting point.
    public var epochs = 10
    public var seed: UInt64 = 0
    public var solver = RidgeSolver()
    /// Called during each half-step with the step's name ("epoch 3 users", "epoch 3 items")
    /// and the rows solved so far (see ``ProgressHandler``).
    public var progress: (@Sendable (_ step: String, _ done: Int, _ total: Int) -> Void)? = nil
    /// Evaluate the full objective after every epoch (for logs and progress); off, the records
    /// carry NaN and an epoch costs its two solves.
    public var tracksObjective = true
    /// Early stopping: scores the factors after every epoch (higher is better, e.g. NDCG on
    /// held-out interactions); the run returns the best epoch's factors and stops once
    /// ``patience`` epochs in a row have not beaten it.
    public var validation: (@Sendable (_ factors: Factors) -> Double)? = nil
    public var patience = 3

    public init(objective: Objective, k: Int) {
        self.objective = objective
        self.k = k
    }

    /// One epoch's record: the full objective after the epoch, and where its time went.
    public struct Epoch: Sendable {
        public var epoch: Int
        public var objective: Double
        public var seconds: Double
        /// The user half-step, the item half-step and the objective.
        public var userSeconds = 0.0, itemSeconds = 0.0, objectiveSeconds = 0.0
        /// The ``validation`` score after the epoch, when there is one.
        public var validation: Double? = nil
    }

    /// One epoch's factors, as ``validation`` sees them and ``Result`` returns them.
    public struct Factors: Sendable {
        /// m × k, or m × (k + 1) with the user bias last.
        public var users: DenseMatrix<Double>
        /// n × k.
        public var items: DenseMatrix<Double>
        /// The learned item intercepts, when biases are learned.
        public var itemBias: [Double]?
        /// The global mean subtracted first (0 without an offset).
        public var mean: Double
    }

    /// What ALS learned: user factors (with the user bias as a last column when
    /// ``Objective/userBias`` is set), item factors, the item bias, and the history.
    public struct Result: Sendable {
        /// m × k, or m × (k + 1) with the user bias last.
        public var users: DenseMatrix<Double>
        /// n × k.
        public var items: DenseMatrix<Double>
        /// The learned item intercepts, when biases were learned.
        public var itemBias: [Double]?
        /// The global mean subtracted first (0 without an offset).
        public var mean: Double
        /// The objective after each epoch.
        public var history: [Epoch]
        /// With ``validation``: the epoch whose factors these are (the best score).
        public var bestEpoch: Int? = nil

        /// The record of the epoch whose factors these are: the best one under early stopping,
        /// else the last one run (nil when none ran).
        public var keptEpoch: Epoch? {
            bestEpoch.map { best in history.first { $0.epoch == best }! } ?? history.last
        }
    }

    /// Runs ALS on interactions R (users × items). With ``Objective/userBias`` set it learns
    /// biased MF, r ≈ μ + b_u + c_i + x_u·v_i: each half-step solves one side's factors and
    /// intercept exactly with the other side's intercept as a fixed offset (intercepts are not
    /// regularized, as in the exact solver).
    public func run(_ R: CSRMatrix, progress epochEnded: (Epoch) -> Void = { _ in }) throws(SolverError) -> Result {
        if objective.userBias && objective.loss != .observed {
            throw .invalidObjective("ALS learns biases only under the observed loss")
        }
        var shifted = R
        var mean = 0.0
        if objective.offset == .globalMean && (R.nnz > 0 || objective.fixedMean != nil) {
            mean = objective.fixedMean ?? Objective.globalMean(of: R.values)
            shifted.values = R.values.map { $0 - mean }
        }
        // The mean is subtracted once, above; both sides solve on the shifted values.
        var sideObjective = objective
        sideObjective.offset = .none
        let biases = objective.userBias
        // Both factor matrices, the best epoch's copy of each with a validation score, and the
        // k × k Gram matrix, before any of them is allocated.
        try solver.memory.charge(rows: R.rows + R.columns, columns: k == Int.max ? k : k + 1, copies: validation == nil ? 1 : 2, gram: true,
                                 what: "the ALS factors of \(R.rows) users and \(R.columns) items at k = \(k)")
        let Rt = shifted.transposed()
        var items = GradientTrainer.randomFactors(rows: R.columns, columns: k, seed: seed, scale: 1 / Double(k).squareRoot())
        var itemBias: [Double]? = biases ? [Double](repeating: 0, count: R.columns) : nil
        var users = DenseMatrix<Double>(rows: R.rows, columns: k + (biases ? 1 : 0), repeating: 0)
        var history: [Epoch] = []
        var best: (epoch: Int, score: Double, factors: Factors)? = nil
        // No epochs: the starting point, seeded items and zero users (a sharded run's start).
        guard epochs >= 1 else { return Result(users: users, items: items, itemBias: itemBias, mean: mean, history: []) }
        for epoch in 1...epochs {
            var clock = PhaseClock()
            let (userSolver, itemSolver) = (halfStepSolver("epoch \(epoch) users"), halfStepSolver("epoch \(epoch) items"))
            users = try userSolver.solve(RidgeProblem(interactions: shifted, items: items, objective: sideObjective, itemBias: itemBias)).factors
            let userSeconds = clock.lap()
            if biases {
                let (x, b) = AlternatingLeastSquares.splitBias(users, k: k)
                let solved = try itemSolver.solve(RidgeProblem(interactions: Rt, items: x, objective: sideObjective, itemBias: b)).factors
                (items, itemBias) = AlternatingLeastSquares.splitBias(solved, k: k)
            } else {
                items = try itemSolver.solve(RidgeProblem(interactions: Rt, items: users, objective: sideObjective)).factors
            }
            let itemSeconds = clock.lap()
            let value = tracksObjective
                ? try AlternatingLeastSquares.fullObjective(shifted, users: users, items: items, itemBias: itemBias, objective: sideObjective)
                : .nan
            var record = Epoch(epoch: epoch, objective: value, seconds: clock.total, userSeconds: userSeconds, itemSeconds: itemSeconds,
                               objectiveSeconds: clock.lap())
            let factors = Factors(users: users, items: items, itemBias: itemBias, mean: mean)
            if let validation {
                let score = validation(factors)
                record.validation = score
                if best.map({ score > $0.score }) ?? true { best = (epoch, score, factors) }
            }
            history.append(record)
            epochEnded(record)
            if let best, epoch - best.epoch >= patience { break }
        }
        guard let best else { return Result(users: users, items: items, itemBias: itemBias, mean: mean, history: history) }
        return Result(users: best.factors.users, items: best.factors.items, itemBias: best.factors.itemBias, mean: mean,
                      history: history, bestEpoch: best.epoch)
    }

    /// The solver of one half-step, reporting its progress under `step`; the epoch's objective,
    /// when tracked, replaces the solver's own.
    func halfStepSolver(_ step: String) -> RidgeSolver {
        var s = solver
        s.reportsObjective = false
        if let progress { s.progress = { done, total in progress(step, done, total) } }
        return s
    }

    /// Factors with a trailing bias column split into the k factors and the bias.
    static func splitBias(_ m: DenseMatrix<Double>, k: Int) -> (DenseMatrix<Double>, [Double]) {
        var factors = [Double](repeating: 0, count: m.rows * k)
        var bias = [Double](repeating: 0, count: m.rows)
        for i in 0..<m.rows {
            for c in 0..<k { factors[i * k + c] = m[i, c] }
            bias[i] = m[i, k]
        }
        return (DenseMatrix(rows: m.rows, columns: k, storage: factors), bias)
    }

    /// data + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖v_i‖² (the user-side objective plus the item penalty).
    public static func fullObjective(_ R: CSRMatrix, users: DenseMatrix<Double>, items: DenseMatrix<Double>,
                                     itemBias: [Double]? = nil, objective: Objective) throws(SolverError) -> Double {
        let userSide = try RidgeProblem(interactions: R, items: items, objective: objective, itemBias: itemBias).objectiveValue(users)
        var itemCounts = [Int](repeating: 0, count: R.columns)
        for j in R.indices { itemCounts[Int(j)] += 1 }
        var penalty = 0.0
        for i in 0..<items.rows {
            var norm = 0.0
            for c in 0..<items.columns { norm += items[i, c] * items[i, c] }
            penalty += objective.lambda(forCount: itemCounts[i], items: R.rows) * norm
        }
        return userSide + penalty
    }
}

import Dispatch

/// Wall-clock laps of an epoch's phases.
struct PhaseClock {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last: UInt64

    init() { last = start }

    /// Seconds since the last lap (or the start).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }

    /// Seconds since the start.
    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
