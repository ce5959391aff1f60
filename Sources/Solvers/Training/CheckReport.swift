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
        (relativeFactorError, worstUserError, worstUser) = Self.factorErrors(factors, exact)
        var gradient = [Double](repeating: 0, count: factors.storage.count)
        func norm2(_ x: [Double]) -> Double {
            x.withUnsafeBufferPointer { xp in gradient.withUnsafeMutableBufferPointer { _ = full.evaluate(xp.baseAddress!, gradient: $0.baseAddress!) } }
            return gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        gradientNorm = norm2(factors.storage)
        gradientScale = norm2([Double](repeating: 0, count: factors.storage.count))
    }

    /// ‖U − U*‖_F / ‖U*‖_F and the worst user's ‖u − u*‖ / ‖u*‖ (absolute where u* = 0). Squares
    /// are summed after dividing by ``squaringScale(_:)`` of the entries involved, so factors
    /// near the underflow or overflow threshold give their true ratio, not 0 or NaN.
    static func factorErrors(_ factors: DenseMatrix<Double>, _ exact: DenseMatrix<Double>) -> (all: Double, worst: Double, user: Int) {
        let w = factors.columns
        var largest = 0.0
        for (a, b) in zip(factors.storage, exact.storage) { largest = Swift.max(largest, abs(a - b), abs(b)) }
        let scale = squaringScale(largest)
        var difference = 0.0, norm = 0.0, worst = 0.0, worstUser = 0
        for u in 0..<factors.rows {
            var rowLargest = 0.0
            for c in 0..<w { rowLargest = Swift.max(rowLargest, abs(factors[u, c] - exact[u, c]), abs(exact[u, c])) }
            let rowScale = squaringScale(rowLargest)
            var d = 0.0, n = 0.0, dAll = 0.0, nAll = 0.0
            for c in 0..<w {
                let (e, x) = (factors[u, c] - exact[u, c], exact[u, c])
                d += (e / rowScale) * (e / rowScale)
                n += (x / rowScale) * (x / rowScale)
                dAll += (e / scale) * (e / scale)
                nAll += (x / scale) * (x / scale)
            }
            difference += dAll
            norm += nAll
            let userError = n > 0 ? (d / n).squareRoot() : d.squareRoot() * rowScale
            if userError > worst { (worst, worstUser) = (userError, u) }
        }
        let all = norm > 0 ? (difference / norm).squareRoot() : difference.squareRoot() * scale
        return (all, worst, worstUser)
    }

    /// 1 when entries of magnitude up to `largest` square without underflow or overflow, else the
    /// power of two of `largest`'s exponent: dividing by it is exact and brings the squares back
    /// into range.
    static func squaringScale(_ largest: Double) -> Double {
        guard largest.isFinite, largest > 0, largest < 0x1p-480 || largest > 0x1p480 else { return 1 }
        return Double(sign: .plus, exponent: largest.exponent, significand: 1)
    }
}
