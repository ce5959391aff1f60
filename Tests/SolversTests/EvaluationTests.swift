import Foundation
import Matrices
@testable import Solvers
import Testing

@Suite("Evaluation metrics on hand-computed cases")
struct EvaluationTests {
    /// One factor: item scores 5, 4, 3, 2, 1 for user 0; user 1 has no test items.
    func model() throws -> FactorModel {
        try FactorModel(users: DenseMatrix(rows: 2, columns: 1, storage: [1, 1]),
                        items: DenseMatrix(rows: 5, columns: 1, storage: [5, 4, 3, 2, 1]))
    }
    let test = CSRMatrix(rows: 2, columns: 5, indptr: [0, 2, 2], indices: [1, 3], values: [1, 1])
    let train = CSRMatrix(rows: 2, columns: 5, indptr: [0, 1, 2], indices: [0, 4], values: [1, 1])

    @Test("precision, recall, NDCG, MAP, MRR, hit rate, coverage and AUC at K = 2 and K > catalogue")
    func rankingMetrics() throws {
        var evaluator = RankingEvaluator(cutoffs: [2, 10])
        evaluator.computeAUC = true
        let r = evaluator.evaluate(model: try model(), test: test, train: train)
        #expect(r.usersEvaluated == 1)
        // Candidates after excluding item 0: ranking 1, 2, 3, 4; test items {1, 3}.
        let at2 = r.values[2]!, at10 = r.values[10]!
        let idcg = 1 + 1 / log2(3.0)
        #expect(at2["precision"] == 0.5 && at2["recall"] == 0.5 && at2["hit_rate"] == 1 && at2["mrr"] == 1)
        #expect(abs(at2["ndcg"]! - 1 / idcg) < 1e-15)
        #expect(at2["map"] == 0.5)
        #expect(at2["coverage"] == 0.4)
        #expect(at10["precision"] == 0.2 && at10["recall"] == 1)
        #expect(abs(at10["ndcg"]! - 1.5 / idcg) < 1e-15)
        #expect(abs(at10["map"]! - (1 + 2.0 / 3) / 2) < 1e-15)
        #expect(r.auc == 0.75)
    }

    @Test("training items are excluded; without --train they compete")
    func exclusion() throws {
        let r = RankingEvaluator(cutoffs: [1]).evaluate(model: try model(), test: test, train: nil)
        #expect(r.values[1]!["precision"] == 0)  // item 0 (not a test item) ranks first
        let excluded = RankingEvaluator(cutoffs: [1]).evaluate(model: try model(), test: test, train: train)
        #expect(excluded.values[1]!["precision"] == 1)
    }

    @Test("ties are broken by item order")
    func ties() throws {
        let flat = try FactorModel(users: DenseMatrix(rows: 1, columns: 1, storage: [1]), items: DenseMatrix(rows: 3, columns: 1, storage: [1, 1, 1]))
        let first = CSRMatrix(rows: 1, columns: 3, indptr: [0, 1], indices: [0], values: [1])
        let last = CSRMatrix(rows: 1, columns: 3, indptr: [0, 1], indices: [2], values: [1])
        #expect(RankingEvaluator(cutoffs: [1]).evaluate(model: flat, test: first, train: nil).values[1]!["hit_rate"] == 1)
        #expect(RankingEvaluator(cutoffs: [1]).evaluate(model: flat, test: last, train: nil).values[1]!["hit_rate"] == 0)
    }

    @Test("RMSE and MAE include the offset, item bias and user bias")
    func ratingMetrics() throws {
        let m = try FactorModel(users: DenseMatrix(rows: 1, columns: 2, storage: [2, 0.5]), items: DenseMatrix(rows: 2, columns: 1, storage: [1, -1]),
                                mean: 3, itemBias: [0.25, -0.25], userBias: true)
        // predictions: 3 + 0.25 + 0.5 + 2 = 5.75 and 3 − 0.25 + 0.5 − 2 = 1.25
        let t = CSRMatrix(rows: 1, columns: 2, indptr: [0, 2], indices: [0, 1], values: [5, 2])
        let r = RatingMetrics(model: m, test: t)
        #expect(abs(r.rmse - (0.5625 as Double).squareRoot()) < 1e-15 && r.mae == 0.75)
    }

    @Test("the top-K heap agrees with a full sort on random scores")
    func topKMatchesSort() {
        var rng = SplitMix64(seed: 3)
        let scores = (0..<500).map { _ in (rng.uniform() * 20).rounded() }  // many ties
        var heap = TopK(capacity: 37)
        for (i, s) in scores.enumerated() { heap.offer(i, s) }
        let brute = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(37)
        #expect(heap.sorted() == Array(brute))
    }

    @Test("panels offered forwards and backwards keep what item-by-item offers keep, −∞ entries skipped", arguments: [1, 37, 499, 500, 600])
    func topKPanels(capacity: Int) {
        var rng = SplitMix64(seed: 4)
        var scores = (0..<500).map { _ in (rng.uniform() * 20).rounded() }  // many ties
        for i in stride(from: 0, to: 500, by: 7) { scores[i] = -.infinity }
        let kept = scores.indices.filter { scores[$0] > -.infinity }
            .sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(capacity)
        var one = TopK(capacity: capacity)
        for (i, s) in scores.enumerated() where s > -.infinity { one.offer(i, s) }
        #expect(one.sorted() == Array(kept))
        // Panels of 64 from both ends, as the evaluator visits them, in both precisions.
        for single in [false, true] {
            var top = TopK(capacity: capacity)
            for (visit, p) in [0, 7, 1, 6, 2, 5, 3, 4].enumerated() {
                let p0 = p * 64, width = Swift.min(500, p0 + 64) - p0
                if single {
                    let panel = scores[p0..<(p0 + width)].map { Float($0) }
                    panel.withUnsafeBufferPointer { top.offerPanel($0.baseAddress!, count: width, offset: p0, backward: visit % 2 == 1, floor: -.infinity) }
                } else {
                    let panel = Array(scores[p0..<(p0 + width)])
                    panel.withUnsafeBufferPointer { top.offerPanel($0.baseAddress!, count: width, offset: p0, backward: visit % 2 == 1, floor: -.infinity) }
                }
            }
            #expect(top.sorted() == Array(kept), "single: \(single)")
        }
    }
}

@Suite("Recommendations")
struct RecommendationTests {
    @Test("the sampled score floor gives the exact top-K lists, also when it is too high and users are ranked again",
          arguments: [nil, 1] as [Int?])
    func sampledFloor(rank: Int?) throws {
        let (R, V) = syntheticProblem(users: 120, items: 400, k: 5, density: 0.05, seed: 9)
        var rng = SplitMix64(seed: 5)
        let users = DenseMatrix(rows: 120, columns: 5, storage: (0..<600).map { _ in rng.normal() })
        let model = try FactorModel(users: users, items: V, itemBias: (0..<400).map { _ in rng.normal() })
        var evaluator = RankingEvaluator(cutoffs: [20])
        evaluator.threads = 2
        evaluator.blockSize = 32
        evaluator.panelSize = 64
        evaluator.samplingMinItems = 0
        evaluator.sampleSize = 64
        evaluator.sampleRank = rank   // 1: the sample's best score, which fewer than 20 items reach
        evaluator.candidateScan = false   // the panels (QuantizedScanTests covers the scan)
        #expect(!evaluator.sample(items: 400, k: 20).items.isEmpty)
        let chosen = Array(0..<120)
        let lists = evaluator.recommend(model: model, users: chosen, train: R, k: 20)
        for (u, list) in zip(chosen, lists) {
            let known = Set(R.range(ofRow: u).map { Int(R.indices[$0]) })
            let brute = (0..<400).filter { !known.contains($0) }
                .sorted { model.predict(u, $0) > model.predict(u, $1) || (model.predict(u, $0) == model.predict(u, $1) && $0 < $1) }
            #expect(list.map(\.item) == Array(brute.prefix(20)), "user \(u)")
        }
    }

    @Test("top-K lists equal a brute-force ranking of predict() with known items excluded, in one panel or many, double or single",
          arguments: [(2048, false), (16, false), (9, false), (16, true)])
    func bruteForce(panelSize: Int, single: Bool) throws {
        let (R, V) = syntheticProblem(users: 300, items: 70, k: 5, density: 0.1, seed: 8)
        var rng = SplitMix64(seed: 2)
        let users = DenseMatrix(rows: 300, columns: 6, storage: (0..<1800).map { _ in rng.normal() })
        let model = try FactorModel(users: users, items: V, mean: 3.5, itemBias: (0..<70).map { _ in rng.normal() }, userBias: true)
        var evaluator = RankingEvaluator(cutoffs: [12])
        evaluator.threads = 2
        evaluator.blockSize = 64
        evaluator.panelSize = panelSize
        evaluator.precision = single ? .single : .double
        let chosen = [0, 5, 299, 150, 77]
        let lists = evaluator.recommend(model: model, users: chosen, train: R, k: 12)
        for (u, list) in zip(chosen, lists) {
            let known = Set(R.range(ofRow: u).map { Int(R.indices[$0]) })
            let brute = (0..<70).filter { !known.contains($0) }
                .sorted { model.predict(u, $0) > model.predict(u, $1) || (model.predict(u, $0) == model.predict(u, $1) && $0 < $1) }
            // Normal scores: gaps between neighbours far above Float32's rounding for this seed.
            #expect(list.map(\.item) == Array(brute.prefix(12)), "user \(u)")
            for entry in list { #expect(abs(entry.score - model.predict(u, entry.item)) < (single ? 1e-5 : 1e-12)) }
        }
    }
}
