import Matrices

/// An objective bound to data: interactions R (m × n), a fixed item matrix V (n × k), and the
/// offsets derived from them. Everything a solver or trainer needs, computed once.
public struct RidgeProblem: Sendable {
    /// The interactions, users as rows.
    public let interactions: CSRMatrix
    /// The item matrix, augmented with a trailing column of ones when the objective has a user
    /// bias: n × `width`.
    public let items: DenseMatrix<Double>
    /// The objective.
    public let objective: Objective
    /// The global mean μ subtracted from targets (0 without an offset).
    public let mean: Double
    /// The fixed item bias subtracted from targets, when given.
    public let itemBias: [Double]?
    /// The number of item factors k, without the bias component.
    public let k: Int

    /// The item matrix as given (without the bias column).
    public var baseItems: DenseMatrix<Double> {
        guard width != k else { return items }
        var out = [Double](repeating: 0, count: itemCount * k)
        for i in 0..<itemCount { for c in 0..<k { out[i * k + c] = items[i, c] } }
        return DenseMatrix(rows: itemCount, columns: k, storage: out)
    }

    /// Factor components per user: k, plus 1 with a user bias.
    public var width: Int { items.columns }
    /// The number of users.
    public var userCount: Int { interactions.rows }
    /// The number of items.
    public var itemCount: Int { interactions.columns }

    /// Binds the objective to data; the item matrix must have one row per interaction column.
    public init(interactions: CSRMatrix, items: DenseMatrix<Double>, objective: Objective, itemBias: [Double]? = nil) throws(SolverError) {
        guard items.rows == interactions.columns else {
            throw .shapeMismatch("the item matrix has \(items.rows) rows but the interactions have \(interactions.columns) items")
        }
        if let itemBias, itemBias.count != items.rows {
            throw .shapeMismatch("the item bias has \(itemBias.count) entries but there are \(items.rows) items")
        }
        if objective.loss == .implicit && (objective.offset != .none || itemBias != nil) {
            throw .invalidObjective("offsets and item biases do not apply to the implicit loss")
        }
        // Each setting's range and when it applies: the rows of Objective.settings.
        if let problem = objective.problems.first { throw .invalidObjective(problem) }
        if objective.loss == .implicit, objective.confidence == .linear, let bad = interactions.values.first(where: { $0 <= 0 }) {
            throw .invalidObjective("linear confidence needs positive values; found \(bad), which gives a confidence ≤ 0")
        }
        try Self.checkFrequencyWeights(objective, interactions: interactions)
        self.interactions = interactions
        self.objective = objective
        self.itemBias = itemBias
        k = items.columns
        if objective.userBias {
            var augmented = [Double](repeating: 1, count: items.rows * (items.columns + 1))
            for i in 0..<items.rows {
                for j in 0..<items.columns { augmented[i * (items.columns + 1) + j] = items[i, j] }
            }
            self.items = DenseMatrix(rows: items.rows, columns: items.columns + 1, storage: augmented)
        } else {
            self.items = items
        }
        if objective.offset == .globalMean, let fixed = objective.fixedMean {
            mean = fixed
        } else if objective.offset == .globalMean && interactions.nnz > 0 {
            mean = Objective.globalMean(of: interactions.values)
        } else {
            mean = 0
        }
    }

    /// Refuses an exponent ν of `--reg frequency` that makes some user's λ_u = λ·(n_u + c0·n)^ν
    /// infinite, or zero while λ > 0: the solve would fail on that user with a message about λ,
    /// far from the cause. λ_u is monotone in n_u, so the fewest and the most entries decide.
    static func checkFrequencyWeights(_ objective: Objective, interactions: CSRMatrix) throws(SolverError) {
        guard objective.regularization == .frequency, objective.lambda > 0, interactions.rows > 0 else { return }
        var (fewest, most) = (Int.max, 0)
        for u in 0..<interactions.rows {
            let d = interactions.degree(ofRow: u)
            (fewest, most) = (Swift.min(fewest, d), Swift.max(most, d))
        }
        let nu = objective.regularizationExponent
        for count in [fewest, most] {
            let base = Double(count) + objective.backgroundWeight * Double(interactions.columns)
            // A user without any weight (no entries, no background) is not solved: its factor is 0.
            guard base > 0 else { continue }
            let lambda = objective.lambda(forCount: count, items: interactions.columns)
            if !lambda.isFinite || lambda == 0 {
                throw .invalidObjective("--reg-exponent \(nu) makes λ_u = λ·(\(count) + \(objective.backgroundWeight)·\(interactions.columns))^\(nu) \(lambda == 0 ? "underflow to 0" : "overflow to infinity") for a user with \(count) interactions: give an exponent of moderate size (iALS uses 0 to 1)")
            }
        }
    }

    /// The objective's terms for this problem's offsets: targets, weights and λ_u.
    public var terms: ObjectiveTerms { ObjectiveTerms(objective: objective, mean: mean, itemBias: itemBias, itemCount: itemCount) }

    /// Whether factor component `c` is penalized: all but a trailing user bias.
    @inlinable
    public func isRegularized(_ c: Int) -> Bool { !(objective.userBias && c == width - 1) }

    /// Adds the penalty's part of A_u, λ on the diagonal of the penalized components
    /// (``isRegularized(_:)``), to the w × w system in `a`, row r starting at r·`stride`: the one
    /// place the normal equations receive λ_u. `lambda` is λ_u (``ObjectiveTerms/lambda(forCount:)``)
    /// or the shared λ (``ObjectiveTerms/sharedLambda``) already in the system's precision.
    @inline(__always)
    func addRegularization<T: FloatingPoint>(_ lambda: T, to a: UnsafeMutablePointer<T>, stride: Int) {
        for c in 0..<width where isRegularized(c) { a[c * stride + c] += lambda }
    }

    /// c0·Vᵀt0, the part of every b_u from the entries outside Ω_u (zero unless the dense loss has
    /// an offset or an item bias).
    var backgroundRightHandSide: [Double] {
        var out = [Double](repeating: 0, count: width)
        let terms = self.terms
        guard terms.hasBackgroundTarget else { return out }
        let t0 = (0..<itemCount).map { terms.backgroundTarget(item: $0) }
        for i in 0..<itemCount { for c in 0..<width { out[c] += items[i, c] * t0[i] } }
        return out
    }
}
