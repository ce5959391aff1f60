import Matrices

extension FactorModel {
    /// Vectors for inner-product search engines (faiss, ScaNN, hnswlib): items [v_i, b_i] and
    /// per-user queries [x_u, 1], (k + 1) columns each, so that
    /// score(u, i) = ⟨[x_u, 1], [v_i, b_i]⟩ + μ + b_u, the last two the user's `offsets` — equal for
    /// every item, so the inner product alone ranks as `recommend` does. Without an item bias
    /// the extra item component is 0; without a user bias b_u is 0.
    public struct ANNVectors: Sendable {
        public var items: DenseMatrix<Double>
        public var queries: DenseMatrix<Double>
        /// μ + b_u per user.
        public var offsets: [Double]
    }

    public var annVectors: ANNVectors {
        let (n, m, k) = (items.rows, users.rows, items.columns)
        var itemRows = DenseMatrix<Double>(rows: n, columns: k + 1, repeating: 0)
        for i in 0..<n {
            for c in 0..<k { itemRows[i, c] = items[i, c] }
            itemRows[i, k] = itemBias?[i] ?? 0
        }
        var queries = DenseMatrix<Double>(rows: m, columns: k + 1, repeating: 1)
        for u in 0..<m { for c in 0..<k { queries[u, c] = users[u, c] } }
        let offsets = (0..<m).map { mean + (userBias ? users[$0, k] : 0) }
        return ANNVectors(items: itemRows, queries: queries, offsets: offsets)
    }
}
