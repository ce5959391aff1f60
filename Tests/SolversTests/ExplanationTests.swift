import Foundation
import Matrices
@testable import Solvers
import Testing

/// Explanations against an independent computation: A_u and b_u written out from the losses'
/// formulas (not from ObjectiveTerms), solved by Gaussian elimination.
@Suite("Explanations sum to the score and match the normal equations written out")
struct ExplanationTests {
    /// x = A⁻¹ y by Gaussian elimination with partial pivoting.
    func gaussSolve(_ a: [[Double]], _ y: [Double]) -> [Double] {
        var m = a, z = y
        let w = y.count
        for c in 0..<w {
            let p = (c..<w).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p)
            z.swapAt(c, p)
            for r in (c + 1)..<w {
                let f = m[r][c] / m[c][c]
                for q in c..<w { m[r][q] -= f * m[c][q] }
                z[r] -= f * z[c]
            }
        }
        for r in stride(from: w - 1, through: 0, by: -1) {
            for q in (r + 1)..<w { z[r] -= m[r][q] * z[q] }
            z[r] /= m[r][r]
        }
        return z
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let objective: Objective
        let itemBias: Bool
        var testDescription: String { "\(objective.loss)\(objective.userBias ? " + user bias" : "")\(itemBias ? " + item bias" : "")" }
    }

    static let cases: [Case] = {
        var implicit = Objective(loss: .implicit, lambda: 0.5, regularization: .count, alpha: 2, confidence: .onePlus)
        let observed = Objective(loss: .observed, lambda: 0.3, userBias: true, offset: .globalMean)
        var linear = implicit
        linear.confidence = .linear
        linear.userBias = true
        implicit.regularization = .count
        return [Case(objective: implicit, itemBias: false), Case(objective: linear, itemBias: false),
                Case(objective: observed, itemBias: true), Case(objective: Objective(loss: .observed, lambda: 1), itemBias: false)]
    }()

    @Test("terms sum to the score, the score is the solver's prediction, contributions match", arguments: cases)
    func explain(_ c: Case) throws {
        let (x, v) = syntheticProblem(users: 6, items: 40, k: 5, density: 0.3, seed: 21)
        let bias = c.itemBias ? (0..<40).map { Double($0 % 7) / 10 - 0.3 } : nil
        let problem = try RidgeProblem(interactions: x, items: v, objective: c.objective, itemBias: bias)
        let solution = try RidgeSolver(threads: 1).solve(problem)
        let model = try FactorModel(users: solution.factors, items: v, mean: problem.mean, itemBias: bias, userBias: c.objective.userBias)
        let o = c.objective, w = problem.width, k = problem.k
        for u in 0..<x.rows {
            for j in [0, 13, 39] {
                let e = try Explanation(problem: problem, user: u, item: j)
                let sum = e.mean + e.itemBias + e.userBias + e.background + e.contributions.reduce(0) { $0 + $1.value }
                #expect(abs(sum - e.score) <= 1e-10)
                #expect(abs(e.score - model.predict(u, j)) <= 1e-10, "user \(u) item \(j)")
                // A and b written out from the losses' definitions.
                func row(_ i: Int) -> [Double] { (0..<k).map { v[i, $0] } + (o.userBias ? [1] : []) }
                var a = [[Double]](repeating: [Double](repeating: 0, count: w), count: w)
                let range = x.range(ofRow: u)
                let lambda = o.regularization == .count ? o.lambda * Double(range.count) : o.lambda
                if o.loss == .implicit { for i in 0..<40 { let r = row(i); for p in 0..<w { for q in 0..<w { a[p][q] += r[p] * r[q] } } } }
                var weights: [Int: Double] = [:]
                for position in range {
                    let i = Int(x.indices[position]), value = x.values[position], r = row(i)
                    let confidence = o.confidence == .onePlus ? 1 + o.alpha * value : o.alpha * value
                    let gram = o.loss == .implicit ? confidence - 1 : 1
                    weights[i] = o.loss == .implicit ? confidence : value - problem.mean - (bias?[i] ?? 0)
                    for p in 0..<w { for q in 0..<w { a[p][q] += gram * r[p] * r[q] } }
                }
                for p in 0..<k { a[p][p] += lambda }
                let y = gaussSolve(a, (0..<k).map { v[j, $0] } + (o.userBias ? [0] : []))
                #expect(e.contributions.count == range.count)
                for (i, value) in e.contributions {
                    let expected = weights[i]! * zip(y, row(i)).reduce(0) { $0 + $1.0 * $1.1 }
                    #expect(abs(value - expected) <= 1e-10)
                }
            }
        }
    }

    @Test("the dense loss is refused")
    func dense() throws {
        let (x, v) = syntheticProblem(users: 2, items: 10, k: 3, density: 0.5, seed: 2)
        let problem = try RidgeProblem(interactions: x, items: v, objective: Objective(loss: .dense))
        #expect(throws: SolverError.self) { try Explanation(problem: problem, user: 0, item: 0) }
    }
}
