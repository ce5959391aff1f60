import Matrices

/// How far a set of user factors is from the exact optimum of an objective.
public struct CheckReport: Sendable, Equatable {
    /// The summed objective at the factors checked.
    public var objective: Double
    /// The summed objective at the exact ridge solution.
    public var optimum: Double
    /// (objective − optimum) / |optimum|.
    public var relativeGap: Double
    /// ‖U − U*‖_F / ‖U*‖_F.
    public var relativeFactorError: Double
    /// The largest per-user ‖u − u*‖ / ‖u*‖ (absolute error where u* = 0), and its row.
    public var worstUserError: Double
    public var worstUser: Int
    /// ‖∇f(U)‖_F of the summed objective.
    public var gradientNorm: Double
    /// ‖∇f(0)‖_F, the gradient's scale, for reading `gradientNorm`.
    public var gradientScale: Double

    /// Compares `factors` with the exact solution `exact` of `problem`.
    public init(factors: DenseMatrix<Double>, exact: DenseMatrix<Double>, problem: RidgeProblem) {
        precondition(factors.rows == exact.rows && factors.columns == exact.columns)
        let full = ObjectiveEvaluator(problem)
        objective = full.value(factors.storage)
        optimum = full.value(exact.storage)
        relativeGap = (objective - optimum) / Swift.max(abs(optimum), .leastNormalMagnitude)
        var difference = 0.0, norm = 0.0
        worstUserError = 0
        worstUser = 0
        for u in 0..<factors.rows {
            var d = 0.0, n = 0.0
            for c in 0..<factors.columns {
                let e = factors[u, c] - exact[u, c]
                d += e * e
                n += exact[u, c] * exact[u, c]
            }
            difference += d
            norm += n
            let userError = n > 0 ? (d / n).squareRoot() : d.squareRoot()
            if userError > worstUserError { worstUserError = userError; worstUser = u }
        }
        relativeFactorError = norm > 0 ? (difference / norm).squareRoot() : difference.squareRoot()
        var gradient = [Double](repeating: 0, count: factors.storage.count)
        func norm2(_ x: [Double]) -> Double {
            x.withUnsafeBufferPointer { xp in gradient.withUnsafeMutableBufferPointer { _ = full.evaluate(xp.baseAddress!, gradient: $0.baseAddress!) } }
            return gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        gradientNorm = norm2(factors.storage)
        gradientScale = norm2([Double](repeating: 0, count: factors.storage.count))
    }
}
