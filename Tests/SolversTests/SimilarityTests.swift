import Foundation
import Matrices
@testable import Solvers
import Testing

/// `similar` against a naive computation: every pair's cosine or inner product by plain loops.
@Suite("Similar rows against all pairs computed naively")
struct SimilarityTests {
    func vectors(rows n: Int, columns k: Int, seed: UInt64) -> DenseMatrix<Double> {
        var rng = SplitMix64(seed: seed)
        var m = DenseMatrix(rows: n, columns: k, storage: (0..<(n * k)).map { _ in Double(rng.next() % 2_000_001) / 1_000_000 - 1 })
        for c in 0..<k { m[3, c] = 0 }   // a zero row: cosine 0 with everything
        return m
    }

    func naive(_ v: DenseMatrix<Double>, row q: Int, metric: RankingEvaluator.Similarity, k: Int) -> [(item: Int, score: Double)] {
        func dot(_ a: Int, _ b: Int) -> Double { (0..<v.columns).reduce(0) { $0 + v[a, $1] * v[b, $1] } }
        let scored = (0..<v.rows).filter { $0 != q }.map { i -> (item: Int, score: Double) in
            let d = dot(q, i)
            guard metric == .cosine else { return (i, d) }
            let norms = (dot(q, q) * dot(i, i)).squareRoot()
            return (i, norms > 0 ? d / norms : 0)
        }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) }.prefix(k))
    }

    @Test("top K of every row and of a few rows, cosine and inner product", arguments: RankingEvaluator.Similarity.allCases)
    func topK(metric: RankingEvaluator.Similarity) {
        let v = vectors(rows: 300, columns: 8, seed: 5)
        var evaluator = RankingEvaluator(cutoffs: [7])
        evaluator.threads = 2
        evaluator.blockSize = 32
        evaluator.panelSize = 50
        for rows in [Array(0..<300), [3, 17, 299]] {
            let lists = evaluator.similar(vectors: v, rows: rows, metric: metric, k: 7)
            for (q, list) in zip(rows, lists) {
                let expected = naive(v, row: q, metric: metric, k: 7)
                #expect(list.count == 7 && !list.contains { $0.item == q })
                if q == 3 && metric == .cosine {
                    #expect(list.allSatisfy { $0.score == 0 })
                    continue
                }
                #expect(list.map(\.item) == expected.map(\.item), "row \(q)")
                for (got, want) in zip(list, expected) { #expect(abs(got.score - want.score) <= 1e-13) }
            }
        }
    }
}
