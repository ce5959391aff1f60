import Matrices

/// Classical ALS: alternates the exact user solve (items fixed) and the exact item solve (users
/// fixed, the transposed problem) from seeded random item factors. This is how an item matrix is
/// obtained when none exists yet. Each half-step minimizes the full objective
/// data + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖v_i‖² exactly in one block, so the objective never increases.
public struct AlternatingLeastSquares: Sendable {
    public var objective: Objective
    public var k: Int
    public var epochs = 10
    public var seed: UInt64 = 0
    public var solver = RidgeSolver()

    public init(objective: Objective, k: Int) {
        self.objective = objective
        self.k = k
    }

    /// One epoch's record: the full objective after the epoch.
    public struct Epoch: Sendable {
        public var epoch: Int
        public var objective: Double
        public var seconds: Double
    }

    /// Runs ALS on interactions R (users × items); returns user factors, item factors, history.
    public func run(_ R: CSRMatrix, progress: (Epoch) -> Void = { _ in }) throws(SolverError)
        -> (users: DenseMatrix<Double>, items: DenseMatrix<Double>, history: [Epoch]) {
        guard !objective.userBias else { throw .invalidObjective("ALS here takes no user bias; use --offset global-mean") }
        var itemObjective = objective
        itemObjective.offset = .none  // the mean is subtracted once, from the user side's values
        var shifted = R
        if objective.offset == .globalMean && R.nnz > 0 {
            let mean = R.values.reduce(0, +) / Double(R.nnz)
            shifted.values = R.values.map { $0 - mean }
        }
        var userObjective = objective
        userObjective.offset = .none
        let Rt = shifted.transposed()
        var items = GradientTrainer.randomFactors(rows: R.columns, columns: k, seed: seed, scale: 1 / Double(k).squareRoot())
        var users = DenseMatrix<Double>(rows: R.rows, columns: k, repeating: 0)
        var history: [Epoch] = []
        for epoch in 1...Swift.max(1, epochs) {
            let start = DispatchTime.now().uptimeNanoseconds
            users = try solver.solve(RidgeProblem(interactions: shifted, items: items, objective: userObjective)).factors
            items = try solver.solve(RidgeProblem(interactions: Rt, items: users, objective: itemObjective)).factors
            let value = try AlternatingLeastSquares.fullObjective(shifted, users: users, items: items, objective: userObjective)
            let record = Epoch(epoch: epoch, objective: value, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            history.append(record)
            progress(record)
        }
        return (users, items, history)
    }

    /// data + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖v_i‖² (the user-side objective plus the item penalty).
    public static func fullObjective(_ R: CSRMatrix, users: DenseMatrix<Double>, items: DenseMatrix<Double>,
                                     objective: Objective) throws(SolverError) -> Double {
        let userSide = try RidgeProblem(interactions: R, items: items, objective: objective).objectiveValue(users)
        var itemCounts = [Int](repeating: 0, count: R.columns)
        for j in R.indices { itemCounts[Int(j)] += 1 }
        var penalty = 0.0
        for i in 0..<items.rows {
            var norm = 0.0
            for c in 0..<items.columns { norm += items[i, c] * items[i, c] }
            penalty += objective.lambda(forCount: itemCounts[i]) * norm
        }
        return userSide + penalty
    }
}

import Dispatch
