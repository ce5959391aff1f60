import Matrices

extension RankingEvaluator {
    /// How `similar` scores a pair of rows.
    public enum Similarity: String, Sendable, CaseIterable {
        /// x·y / (‖x‖ ‖y‖); 0 when either row is zero.
        case cosine
        /// x·y.
        case inner
    }

    /// The top `k` other rows of `vectors` for each row in `rows`, by `metric`, best first (ties
    /// by row order); a row is never its own neighbour.
    ///
    /// The ranking of ``recommend(model:users:train:k:)`` with the rows (scaled to unit length
    /// for cosine) as both users and items, and each row's own position as its one training
    /// item: blocks of queries against panels of rows, one GEMM each, never all pairs at once.
    public func similar(vectors: DenseMatrix<Double>, rows: [Int], metric: Similarity, k: Int) -> [[(item: Int, score: Double)]] {
        let n = vectors.rows
        let scaled = metric == .cosine ? Self.unitRows(vectors) : vectors
        // Known to be consistent: same columns, no biases.
        let model = try! FactorModel(users: scaled, items: scaled)
        let own = CSRMatrix(rows: n, columns: n, indptr: Array(0...n), indices: (0..<n).map { Int32($0) },
                            values: [Double](repeating: 1, count: n))
        return recommend(model: model, users: rows, train: own, k: k)
    }

    /// Each row divided by its Euclidean norm; zero rows stay zero.
    static func unitRows(_ m: DenseMatrix<Double>) -> DenseMatrix<Double> {
        var out = m
        for i in 0..<m.rows {
            var s = 0.0
            for c in 0..<m.columns { s += m[i, c] * m[i, c] }
            guard s > 0 else { continue }
            let norm = s.squareRoot()
            for c in 0..<m.columns { out[i, c] = m[i, c] / norm }
        }
        return out
    }
}
