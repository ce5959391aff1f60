import Matrices

/// Which items a ranking may return, beyond leaving out each user's training items: a candidate
/// list and an exclusion list for everyone, and per-user candidates and exclusions. Item numbers
/// are rows of the model's item matrix; per-user matrices have the model's users as rows.
public struct ItemFilter: Sendable {
    /// Items anyone may be recommended (nil: every item).
    public var candidates: [Int]?
    /// Items no one is recommended.
    public var excluded: [Int]
    /// Per user, the only items it may be recommended (nil: no per-user restriction). A user
    /// without a row, or with an empty one, gets an empty list.
    public var userCandidates: CSRMatrix?
    /// Per user, items it is not recommended.
    public var userExcluded: CSRMatrix?

    public init(candidates: [Int]? = nil, excluded: [Int] = [], userCandidates: CSRMatrix? = nil, userExcluded: CSRMatrix? = nil) {
        self.candidates = candidates
        self.excluded = excluded
        self.userCandidates = userCandidates
        self.userExcluded = userExcluded
    }

    /// Whether an item of `n` passes the lists for everyone (the per-user ones aside).
    func globalMask(items n: Int) -> [Bool] {
        var mask = [Bool](repeating: candidates == nil, count: n)
        for i in candidates ?? [] where i >= 0 && i < n { mask[i] = true }
        for i in excluded where i >= 0 && i < n { mask[i] = false }
        return mask
    }

    /// The items anyone may get, ascending, or nil when that is all `n`.
    func allowedItems(n: Int) -> [Int]? {
        guard candidates != nil || !excluded.isEmpty else { return nil }
        let mask = globalMask(items: n)
        let allowed = (0..<n).filter { mask[$0] }
        return allowed.count == n ? nil : allowed
    }

    /// Each row's items of `a` and of `b` (either may be nil), ascending and without repeats, as
    /// one matrix of `rows` rows and `n` columns; nil when both are nil, and the other one as it
    /// is (its rows ascending, as canonical matrices keep them) when one is nil.
    static func union(_ a: CSRMatrix?, _ b: CSRMatrix?, rows: Int, items n: Int) -> CSRMatrix? {
        guard let a, let b else { return a ?? b }
        var indptr = [0], indices: [Int32] = []
        for u in 0..<rows {
            var row: [Int32] = []
            for m in [a, b] where u < m.rows { row += m.indices[m.range(ofRow: u)] }
            row.sort()
            var last: Int32 = -1
            for i in row where i != last && i >= 0 && Int(i) < n {
                indices.append(i)
                last = i
            }
            indptr.append(indices.count)
        }
        return CSRMatrix(rows: rows, columns: n, indptr: indptr, indices: indices,
                         values: [Double](repeating: 1, count: indices.count))
    }

    /// `m`'s entries renumbered to positions within `allowed` (ascending), those outside it left
    /// out.
    static func restrict(_ m: CSRMatrix, to allowed: [Int], items n: Int) -> CSRMatrix {
        var position = [Int32](repeating: -1, count: n)
        for (j, i) in allowed.enumerated() { position[i] = Int32(j) }
        var indptr = [0], indices: [Int32] = []
        for u in 0..<m.rows {
            for p in m.range(ofRow: u) where position[Int(m.indices[p])] >= 0 { indices.append(position[Int(m.indices[p])]) }
            indptr.append(indices.count)
        }
        return CSRMatrix(rows: m.rows, columns: allowed.count, indptr: indptr, indices: indices,
                         values: [Double](repeating: 1, count: indices.count))
    }
}
