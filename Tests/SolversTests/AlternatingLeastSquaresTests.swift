import Matrices
@testable import Solvers
import Synchronization
import Testing

@Suite("ALS: alternating exact solves")
struct AlternatingLeastSquaresTests {
    @Test("the full objective never increases", arguments: [Objective.Loss.observed, .implicit, .dense])
    func monotone(loss: Objective.Loss) throws {
        let (R, _) = syntheticProblem(users: 120, items: 80, k: 4, density: 0.15, seed: 21)
        var als = AlternatingLeastSquares(objective: Objective(loss: loss, lambda: 0.5, regularization: .count, alpha: 2, offset: loss == .implicit ? .none : .globalMean), k: 6)
        als.epochs = 8
        let result = try als.run(R)
        let (users, items, history) = (result.users, result.items, result.history)
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
        let result = try als.run(R)
        let (users, items) = (result.users, result.items)
        // After the last epoch the items were re-solved, so the users are optimal for the
        // items of the epoch before; the items, though, are optimal for the final users.
        let itemProblem = try RidgeProblem(interactions: R.transposed(), items: users, objective: als.objective)
        let gradient = itemProblem.gradient(items).storage
        #expect(maxAbs(gradient) <= 1e-10 * max(1, maxAbs(itemProblem.gradient(DenseMatrix(rows: 50, columns: 4, repeating: 0)).storage)))
    }
}

@Suite("ALS settings: precision, objective tracking, iALS terms")
struct AlternatingLeastSquaresSettingsTests {
    @Test("single precision tracks double within float tolerance", arguments: [Objective.Loss.observed, .implicit])
    func singlePrecision(loss: Objective.Loss) throws {
        let (R, _) = syntheticProblem(users: 150, items: 90, k: 4, density: 0.2, seed: 8)
        var als = AlternatingLeastSquares(objective: Objective(loss: loss, lambda: 0.5, regularization: .count, alpha: 2), k: 6)
        als.epochs = 4
        let double = try als.run(R)
        als.solver.precision = .single
        let single = try als.run(R)
        // Each solve is well conditioned (λ·|Ω_u| on the diagonal), so single precision's unit
        // roundoff (6e-8) times a small condition number, carried through four epochs.
        #expect(relativeError(single.users, double.users) <= 1e-4 && relativeError(single.items, double.items) <= 1e-4)
        #expect(abs(single.history.last!.objective - double.history.last!.objective) <= 1e-5 * double.history.last!.objective)
        #expect(single.users.storage != double.users.storage)
    }

    @Test("without objective tracking the factors are the same bits and the records carry NaN")
    func untracked() throws {
        let (R, _) = syntheticProblem(users: 80, items: 60, k: 3, density: 0.2, seed: 9)
        var als = AlternatingLeastSquares(objective: Objective(loss: .implicit, lambda: 0.5, alpha: 3), k: 4)
        als.epochs = 3
        let tracked = try als.run(R)
        als.tracksObjective = false
        let untracked = try als.run(R)
        #expect(tracked.users.storage.map(\.bitPattern) == untracked.users.storage.map(\.bitPattern))
        #expect(tracked.items.storage.map(\.bitPattern) == untracked.items.storage.map(\.bitPattern))
        #expect(untracked.history.allSatisfy { $0.objective.isNaN } && tracked.history.allSatisfy { $0.objective.isFinite })
        #expect(tracked.history.allSatisfy { $0.userSeconds > 0 && $0.itemSeconds > 0 })
    }

    @Test("early stopping keeps the best epoch's factors and stops after `patience` epochs without a better score")
    func earlyStopping() throws {
        let (R, _) = syntheticProblem(users: 80, items: 60, k: 3, density: 0.2, seed: 11)
        var als = AlternatingLeastSquares(objective: Objective(loss: .implicit, lambda: 0.5, alpha: 3), k: 4)
        als.epochs = 10
        // Scores by epoch: the best is epoch 2; epochs 3 and 4 do not beat it, so patience 2 stops after epoch 4.
        let scores = Mutex([0.1, 0.3, 0.2, 0.25, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
        als.validation = { _ in scores.withLock { $0.removeFirst() } }
        als.patience = 2
        let stopped = try als.run(R)
        #expect(stopped.bestEpoch == 2 && stopped.history.count == 4)
        #expect(stopped.history.map(\.validation) == [0.1, 0.3, 0.2, 0.25])
        var two = AlternatingLeastSquares(objective: als.objective, k: 4)
        two.epochs = 2
        let reference = try two.run(R)
        #expect(stopped.users.storage.map(\.bitPattern) == reference.users.storage.map(\.bitPattern))
        #expect(stopped.items.storage.map(\.bitPattern) == reference.items.storage.map(\.bitPattern))
    }

    @Test("with α0 and frequency regularization the objective still never increases, and the items are optimal for the users",
          arguments: [(0.25, 0.5), (0.0, 1.0), (2.0, 1.0)])
    func iALS(unobservedWeight: Double, exponent: Double) throws {
        let (R, _) = syntheticProblem(users: 100, items: 70, k: 4, density: 0.15, seed: 10)
        var objective = Objective(loss: .implicit, lambda: 0.1, regularization: .frequency, alpha: 4)
        objective.unobservedWeight = unobservedWeight
        objective.regularizationExponent = exponent
        var als = AlternatingLeastSquares(objective: objective, k: 5)
        als.epochs = 6
        let result = try als.run(R)
        for (a, b) in zip(result.history, result.history.dropFirst()) {
            #expect(b.objective <= a.objective * (1 + 1e-12), "epoch \(b.epoch) rose from \(a.objective) to \(b.objective)")
        }
        let itemProblem = try RidgeProblem(interactions: R.transposed(), items: result.users, objective: objective)
        let scale = maxAbs(itemProblem.gradient(DenseMatrix(rows: 70, columns: 5, repeating: 0)).storage)
        #expect(maxAbs(itemProblem.gradient(result.items).storage) <= 1e-9 * max(1, scale))
    }
}

@Suite("ALS with biases")
struct BiasedAlternatingLeastSquaresTests {
    @Test("a fixed global mean replaces the data's: it is the μ reported and the one subtracted")
    func fixedMean() throws {
        let (R, _) = syntheticProblem(users: 60, items: 50, k: 3, density: 0.25, seed: 4)
        var objective = Objective(loss: .observed, lambda: 0.4, userBias: true, offset: .globalMean)
        objective.fixedMean = 2.0
        var als = AlternatingLeastSquares(objective: objective, k: 3)
        als.epochs = 3
        let fixed = try als.run(R)
        #expect(fixed.mean == 2.0)
        // The same run on values shifted by 2 without an offset gives the same factors.
        var shifted = R
        shifted.values = R.values.map { $0 - 2.0 }
        var plain = als
        plain.objective.offset = .none
        plain.objective.fixedMean = nil
        let byHand = try plain.run(shifted)
        #expect(relativeError(fixed.users, byHand.users) <= 1e-12 && relativeError(fixed.items, byHand.items) <= 1e-12)
    }

    @Test("the objective never increases, and at the end both sides are stationary: zero gradient in factors and intercepts")
    func biased() throws {
        let (R, _) = syntheticProblem(users: 90, items: 70, k: 3, density: 0.2, seed: 8)
        var als = AlternatingLeastSquares(objective: Objective(loss: .observed, lambda: 0.4, regularization: .count, userBias: true, offset: .globalMean), k: 4)
        als.epochs = 10
        let result = try als.run(R)
        for (a, b) in zip(result.history, result.history.dropFirst()) {
            #expect(b.objective <= a.objective * (1 + 1e-12))
        }
        #expect(result.users.columns == 5 && result.items.columns == 4 && result.itemBias?.count == 70)
        #expect(abs(result.mean - R.values.reduce(0, +) / Double(R.nnz)) < 1e-12)
        // The items and their intercepts were solved last: the item-side gradient (factors and
        // intercepts, users' intercepts as the fixed offset) vanishes.
        var shifted = R
        shifted.values = R.values.map { $0 - result.mean }
        let (x, b) = AlternatingLeastSquares.splitBias(result.users, k: 4)
        var itemSide = als.objective
        itemSide.offset = .none
        let problem = try RidgeProblem(interactions: shifted.transposed(), items: x, objective: itemSide, itemBias: b)
        var solved = [Double]()
        for i in 0..<70 { solved += (0..<4).map { result.items[i, $0] } + [result.itemBias![i]] }
        let gradient = problem.gradient(DenseMatrix(rows: 70, columns: 5, storage: solved)).storage
        let scale = maxAbs(problem.gradient(DenseMatrix(rows: 70, columns: 5, repeating: 0)).storage)
        #expect(maxAbs(gradient) <= 1e-10 * max(1, scale))
        // Predictions μ + b_u + c_i + x·v reproduce the reported objective's data term.
        var data = 0.0
        for u in 0..<R.rows {
            for p in R.range(ofRow: u) {
                let i = Int(R.indices[p])
                var prediction = result.mean + b[u] + result.itemBias![i]
                for c in 0..<4 { prediction += x[u, c] * result.items[i, c] }
                data += (R.values[p] - prediction) * (R.values[p] - prediction)
            }
        }
        var penalty = 0.0
        var itemCounts = [Int](repeating: 0, count: 70)
        for j in R.indices { itemCounts[Int(j)] += 1 }
        for u in 0..<R.rows { penalty += 0.4 * Double(R.degree(ofRow: u)) * (0..<4).reduce(0) { $0 + x[u, $1] * x[u, $1] } }
        for i in 0..<70 { penalty += 0.4 * Double(itemCounts[i]) * (0..<4).reduce(0) { $0 + result.items[i, $1] * result.items[i, $1] } }
        #expect(abs(data + penalty - result.history.last!.objective) <= 1e-9 * (data + penalty))
    }
}
