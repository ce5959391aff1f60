import Foundation
import Matrices
@testable import Solvers
import Testing

@Suite("Evaluation totals: exact, mergeable, and written as text")
struct EvaluationTotalsTests {
    /// A random model and test matrix: 200 users, 50 items.
    func problem() throws -> (FactorModel, CSRMatrix, CSRMatrix) {
        let (R, V) = syntheticProblem(users: 200, items: 50, k: 4, density: 0.15, seed: 4)
        var rng = SplitMix64(seed: 7)
        let users = DenseMatrix(rows: 200, columns: 4, storage: (0..<800).map { _ in rng.normal() })
        let model = try FactorModel(users: users, items: V, mean: 0.5, itemBias: (0..<50).map { _ in rng.normal() })
        // Every third stored entry is a test entry, the others train.
        let test = filtered(R) { _, p in p % 3 == 0 }, train = filtered(R) { _, p in p % 3 != 0 }
        return (model, test, train)
    }

    /// The entries of `m` that `keep(row, position)` keeps, rows as they were.
    func filtered(_ m: CSRMatrix, _ keep: (Int, Int) -> Bool) -> CSRMatrix {
        var indptr = [0], indices: [Int32] = [], values: [Double] = []
        for u in 0..<m.rows {
            for p in m.range(ofRow: u) where keep(u, p) { indices.append(m.indices[p]); values.append(m.values[p]) }
            indptr.append(indices.count)
        }
        return CSRMatrix(rows: m.rows, columns: m.columns, indptr: indptr, indices: indices, values: values)
    }

    /// Rows `rows` of `m`, the others empty.
    func keeping(_ m: CSRMatrix, _ rows: Set<Int>) -> CSRMatrix { filtered(m) { u, _ in rows.contains(u) } }

    @Test("totals of groups of users, merged in any order, give the metrics of all users bit for bit")
    func mergedGroups() throws {
        let (model, test, train) = try problem()
        var evaluator = RankingEvaluator(cutoffs: [3, 10])
        evaluator.computeAUC = true
        evaluator.threads = 2
        let whole = evaluator.totals(model: model, test: test, train: train)
        let rating = RatingMetrics.totals(model: model, test: test)
        var rng = SplitMix64(seed: 3)
        let group = (0..<200).map { _ in Int(rng.next() % 5) }
        let parts = (0..<5).map { g in keeping(test, Set((0..<200).filter { group[$0] == g })) }
        var merged = RankingTotals(cutoffs: [10, 3], items: 50, auc: true)
        var mergedRating = RatingTotals()
        for part in parts.reversed() {
            merged.merge(evaluator.totals(model: model, test: part, train: train))
            mergedRating.merge(RatingMetrics.totals(model: model, test: part))
        }
        #expect(merged.metrics == whole.metrics && whole.usersEvaluated > 0)
        #expect(merged.recommended == whole.recommended)
        #expect(mergedRating.rmse.bitPattern == rating.rmse.bitPattern && mergedRating.mae.bitPattern == rating.mae.bitPattern)
        evaluator.threads = 1
        #expect(evaluator.totals(model: model, test: test, train: train).metrics == whole.metrics)
    }

    @Test("JSON keeps every partial exactly, and an infinite sum as such")
    func jsonRoundTrip() throws {
        let (model, test, train) = try problem()
        var evaluator = RankingEvaluator(cutoffs: [5])
        evaluator.computeAUC = true
        var rating = RatingMetrics.totals(model: model, test: test)
        rating.absoluteError.add(1e-300)
        rating.absoluteError.add(1e300)
        let totals = EvaluationTotals(rating: rating, ranking: evaluator.totals(model: model, test: test, train: train),
                                      counts: ["test_interactions": test.nnz], shared: ["unknown_train_users": 2])
        let data = try JSONSerialization.data(withJSONObject: totals.json)
        let back = try EvaluationTotals(json: try JSONSerialization.jsonObject(with: data))
        #expect(back.rating!.squaredError.value.bitPattern == rating.squaredError.value.bitPattern)
        #expect(back.rating!.absoluteError.partials == rating.absoluteError.partials && rating.absoluteError.partials.count > 1)
        #expect(back.ranking!.metrics == totals.ranking!.metrics && back.counts == totals.counts && back.shared == totals.shared)
        var infinite = rating
        infinite.squaredError.add(.infinity)
        let text = EvaluationTotals.text(infinite.squaredError)
        #expect(text == ["inf"])
        #expect(try EvaluationTotals.sum(text, "x").value == .infinity)
        var mismatch = totals
        mismatch.shared["unknown_train_users"] = 3
        var copy = totals
        #expect(copy.merge(mismatch) != nil)
    }

    @Test("the union of sorted item lists")
    func union() {
        #expect(RankingTotals.union([1, 3, 5], [0, 3, 4, 9]) == [0, 1, 3, 4, 5, 9])
        #expect(RankingTotals.union([], [2]) == [2] && RankingTotals.union([2], []) == [2])
    }
}
