import Matrices
@testable import Solvers
import Testing

@Suite("ALS: alternating exact solves")
struct AlternatingLeastSquaresTests {
    @Test("the full objective never increases", arguments: [Objective.Loss.observed, .implicit, .dense])
    func monotone(loss: Objective.Loss) throws {
        let (R, _) = syntheticProblem(users: 120, items: 80, k: 4, density: 0.15, seed: 21)
        var als = AlternatingLeastSquares(objective: Objective(loss: loss, lambda: 0.5, regularization: .count, alpha: 2, offset: loss == .implicit ? .none : .globalMean), k: 6)
        als.epochs = 8
        let (users, items, history) = try als.run(R)
        for (a, b) in zip(history, history.dropFirst()) {
            // Each half-step is an exact block minimization; allow rounding only.
            #expect(b.objective <= a.objective * (1 + 1e-12), "\(loss): epoch \(b.epoch) rose from \(a.objective) to \(b.objective)")
        }
        #expect(history.last!.objective < history.first!.objective)
        #expect(users.rows == 120 && items.rows == 80 && items.columns == 6)
    }

    @Test("each half-step is the exact solve: users are optimal for the final items")
    func usersOptimalForItems() throws {
        let (R, _) = syntheticProblem(users: 60, items: 50, k: 3, density: 0.2, seed: 4)
        var als = AlternatingLeastSquares(objective: Objective(loss: .observed, lambda: 0.3), k: 4)
        als.epochs = 3
        let (users, items, _) = try als.run(R)
        // After the last epoch the items were re-solved, so the users are optimal for the
        // items of the epoch before; the items, though, are optimal for the final users.
        let itemProblem = try RidgeProblem(interactions: R.transposed(), items: users, objective: als.objective)
        let gradient = itemProblem.gradient(items).storage
        #expect(maxAbs(gradient) <= 1e-10 * max(1, maxAbs(itemProblem.gradient(DenseMatrix(rows: 50, columns: 4, repeating: 0)).storage)))
    }
}
