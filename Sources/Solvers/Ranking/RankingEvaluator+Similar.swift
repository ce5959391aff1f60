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
    /// for cosine, in place: no second copy when the caller hands `vectors` over) as both users
    /// and items, and each row's own position as its one training item: blocks of queries against
    /// panels of rows, one GEMM each, never all pairs at once.
    public func similar(vectors: consuming FactorMatrix, rows: [Int], metric: Similarity, k: Int) -> [[(item: Int, score: Double)]] {
        let n = vectors.rows
        var scaled = vectors
        if metric == .cosine {
            // Scaled rows are rounded once, to the precision of the scores.
            if precision == .double && scaled.isSingle { scaled = .double(scaled.doubles) }
            scaled.scaleRowsToUnitLength()
        }
        // Known to be consistent: same columns, no biases.
        let model = try! FactorModel(users: scaled, items: scaled)
        let own = CSRMatrix(rows: n, columns: n, indptr: Array(0...n), indices: (0..<n).map { Int32($0) },
                            values: [Double](repeating: 1, count: n))
        return recommend(model: model, users: rows, train: own, k: k)
    }

    /// Throws, naming the ranking, when ``similar(vectors:rows:metric:k:)`` of `rows.count`
    /// queries would exceed ``MemoryLimit``: the ranking's memory, each row as its own training
    /// item, and for cosine a scaled copy of the rows in Float64.
    public func chargeSimilar(vectors: FactorMatrix, queries: Int, metric: Similarity, k: Int, entity: String) throws(SolverError) {
        let model = try FactorModel(users: vectors, items: vectors)
        let n = vectors.rows
        let scaled = metric == .cosine ? WorkingMemory.cells(n, vectors.columns) : 0
        try chargeWorkingMemory(model: model, users: queries, k: k, lists: true, entity: entity, extra: [(n, 20), (scaled, 8)])
    }

    public func similar(vectors: DenseMatrix<Double>, rows: [Int], metric: Similarity, k: Int) -> [[(item: Int, score: Double)]] {
        similar(vectors: FactorMatrix.double(vectors), rows: rows, metric: metric, k: k)
    }

    /// Each row of `m` divided by its Euclidean norm, computed in Float64 (rows of tiny entries
    /// scaled by their largest first) and rounded once to T; zero rows stay zero.
    static func unitRows<T: BinaryFloatingPoint>(_ m: inout DenseMatrix<T>) {
        let (rows, c) = (m.rows, m.columns)
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows {
                let row = p.baseAddress! + i * c
                var s = 0.0
                for j in 0..<c { s += Double(row[j]) * Double(row[j]) }
                // Squares of tiny entries (below ~1e-154; subnormal ones) underflow to zero or
                // lose their digits: such rows are divided by their largest entry first.
                var scale = 1.0
                if !(s >= 0x1p-960) {
                    scale = 0
                    for j in 0..<c { scale = Swift.max(scale, abs(Double(row[j]))) }
                    guard scale > 0 else { continue }
                    s = 0
                    for j in 0..<c { s += (Double(row[j]) / scale) * (Double(row[j]) / scale) }
                }
                let norm = s.squareRoot()
                for j in 0..<c { row[j] = T(Double(row[j]) / scale / norm) }
            }
        }
    }
}

extension FactorMatrix {
    /// Each row scaled to unit length (``RankingEvaluator/unitRows(_:)``), in place: the
    /// storage is copied only when it is shared.
    mutating func scaleRowsToUnitLength() {
        let empty = FactorMatrix.double(DenseMatrix(rows: 0, columns: 0, storage: []))
        switch self {
        case var .double(m):
            self = empty
            RankingEvaluator.unitRows(&m)
            self = .double(m)
        case var .single(m):
            self = empty
            RankingEvaluator.unitRows(&m)
            self = .single(m)
        }
    }
}
