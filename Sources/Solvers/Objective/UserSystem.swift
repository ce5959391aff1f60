import Matrices

/// One user's normal equations A_u x = b_u, formed by plain loops from the problem's
/// ``ObjectiveTerms`` (the one definition of the model): A_u = c0·VᵀV + Σ_{i∈Ω_u} gramWeight·v_i v_iᵀ
/// + λ_u on the penalized diagonal, b_u = c0·Vᵀt0 + Σ_{i∈Ω_u} rhsWeight·v_i, with V the problem's
/// item rows (the ones column included under a user bias). For explanations of single users;
/// the solvers form the same systems with their kernels.
public struct UserSystem: Sendable {
    /// Rows and columns: the problem's width.
    public let width: Int
    /// A_u, row-major.
    public let a: [Double]
    /// The user's items and each one's weight in b_u.
    public let items: [Int]
    public let rhsWeights: [Double]
    /// c0·Vᵀt0, the part of b_u from the entries outside Ω_u.
    public let background: [Double]

    public init(problem: RidgeProblem, user u: Int) {
        let w = problem.width, terms = problem.terms, x = problem.interactions
        var a = [Double](repeating: 0, count: w * w)
        if terms.hasBackground {
            for i in 0..<problem.itemCount { Self.addOuter(&a, problem.items.row(i), weight: 1, width: w) }
        }
        let range = x.range(ofRow: u)
        items = range.map { Int(x.indices[$0]) }
        rhsWeights = range.map { terms.rhsWeight(x.values[$0], item: Int(x.indices[$0])) }
        for p in range { Self.addOuter(&a, problem.items.row(Int(x.indices[p])), weight: terms.gramWeight(x.values[p]), width: w) }
        problem.addRegularization(terms.lambda(forCount: range.count), to: &a, stride: w)
        self.a = a
        width = w
        background = problem.backgroundRightHandSide
    }

    private static func addOuter(_ a: inout [Double], _ v: ArraySlice<Double>, weight: Double, width w: Int) {
        guard weight != 0 else { return }
        let base = v.startIndex
        for r in 0..<w { for c in 0..<w { a[r * w + c] += weight * v[base + r] * v[base + c] } }
    }

    /// b_u.
    public func rightHandSide(problem: RidgeProblem) -> [Double] {
        var b = background
        for (i, weight) in zip(items, rhsWeights) { for c in 0..<width { b[c] += weight * problem.items[i, c] } }
        return b
    }

    /// A_u⁻¹ y by a Cholesky factorization in plain loops; nil when A_u is not positive definite.
    public func solve(_ y: [Double]) -> [Double]? {
        let w = width
        var l = [Double](repeating: 0, count: w * w)
        for r in 0..<w {
            for c in 0...r {
                var s = a[r * w + c]
                for p in 0..<c { s -= l[r * w + p] * l[c * w + p] }
                if r == c {
                    guard s > 0 else { return nil }
                    l[r * w + r] = s.squareRoot()
                } else {
                    l[r * w + c] = s / l[c * w + c]
                }
            }
        }
        var z = y
        for r in 0..<w {
            for p in 0..<r { z[r] -= l[r * w + p] * z[p] }
            z[r] /= l[r * w + r]
        }
        for r in stride(from: w - 1, through: 0, by: -1) {
            for p in (r + 1)..<w { z[r] -= l[p * w + r] * z[p] }
            z[r] /= l[r * w + r]
        }
        return z
    }
}
