import Matrices

extension FactorModel {
    /// Vectors for inner-product search engines (faiss, ScaNN, hnswlib): items [v_i, b_i] and
    /// per-user queries [x_u, 1], (k + 1) columns each, so that
    /// score(u, i) = ⟨[x_u, 1], [v_i, b_i]⟩ + μ + b_u, the last two the user's offset — equal for
    /// every item, so the inner product alone ranks as `recommend` does. Without an item bias
    /// the extra item component is 0; without a user bias b_u is 0.
    ///
    /// The rows come a range at a time (``annItemRows(_:)``, ``annQueryRows(_:)``), so that a
    /// writer holds one block of them, not a copy of the factors.
    public var annColumns: Int { items.columns + 1 }

    /// Items `range` as [v_i, b_i], row after row.
    public func annItemRows(_ range: Range<Int>) -> [Double] {
        let (k, w) = (items.columns, items.columns + 1)
        var out = [Double](repeating: 0, count: range.count * w)
        out.withUnsafeMutableBufferPointer { p in
            for (r, i) in range.enumerated() {
                items.copyRow(i, count: k, into: p.baseAddress! + r * w)
                p[r * w + k] = itemBias?[i] ?? 0
            }
        }
        return out
    }

    /// Users `range` as queries [x_u, 1], row after row.
    public func annQueryRows(_ range: Range<Int>) -> [Double] {
        let (k, w) = (items.columns, items.columns + 1)
        var out = [Double](repeating: 1, count: range.count * w)
        out.withUnsafeMutableBufferPointer { p in
            for (r, u) in range.enumerated() { users.copyRow(u, count: k, into: p.baseAddress! + r * w) }
        }
        return out
    }

    /// μ + b_u per user.
    public var annOffsets: [Double] { (0..<users.rows).map { mean + (userBias ? users[$0, items.columns] : 0) } }
}
