import Matrices

/// The sums behind RMSE and MAE, kept exactly (``ExactSum``): the metrics do not depend on the
/// order of the entries, so the totals of the shards of a job array, merged, give the metrics of
/// the whole.
public struct RatingTotals: Sendable, Equatable {
    public var squaredError = ExactSum()
    public var absoluteError = ExactSum()
    /// Test entries summed.
    public var count = 0

    public init() {}

    public init(squaredError: ExactSum, absoluteError: ExactSum, count: Int) {
        self.squaredError = squaredError
        self.absoluteError = absoluteError
        self.count = count
    }

    /// Adds the totals of other entries.
    public mutating func merge(_ other: RatingTotals) {
        squaredError.add(other.squaredError)
        absoluteError.add(other.absoluteError)
        count += other.count
    }

    /// √(Σe² / count), NaN without entries.
    public var rmse: Double { count > 0 ? (squaredError.value / Double(count)).squareRoot() : .nan }
    /// Σ|e| / count, NaN without entries.
    public var mae: Double { count > 0 ? absoluteError.value / Double(count) : .nan }
}

/// The per-user sums behind the ranking metrics, kept exactly, with the users counted and the
/// items any top-K list held (for the coverage): mergeable like ``RatingTotals``.
public struct RankingTotals: Sendable, Equatable {
    /// The metrics summed per user, in the order of ``sums``' rows.
    public static let names = ["precision", "recall", "ndcg", "map", "mrr", "hit_rate"]

    /// The cut-offs, ascending.
    public var cutoffs: [Int]
    /// The catalogue size (the coverage's denominator).
    public var items: Int
    /// Per cut-off, per metric of ``names``: the sum over the users evaluated.
    public var sums: [[ExactSum]]
    /// The sum of the per-user AUCs, nil when not computed.
    public var auc: ExactSum?
    /// Users with test items that were ranked.
    public var usersEvaluated = 0
    /// Per cut-off: the items in any user's top-K list, ascending.
    public var recommended: [[Int]]

    /// Empty totals for these cut-offs (sorted here) and `items` items.
    public init(cutoffs: [Int], items: Int, auc: Bool) {
        self.cutoffs = cutoffs.sorted()
        self.items = items
        sums = [[ExactSum]](repeating: [ExactSum](repeating: ExactSum(), count: Self.names.count), count: cutoffs.count)
        self.auc = auc ? ExactSum() : nil
        recommended = [[Int]](repeating: [], count: cutoffs.count)
    }

    /// Adds the totals of other users: the same cut-offs and catalogue, or a precondition fails
    /// (callers check what their parts were made with first).
    public mutating func merge(_ other: RankingTotals) {
        precondition(cutoffs == other.cutoffs && items == other.items && (auc == nil) == (other.auc == nil),
                     "RankingTotals.merge: different cut-offs, catalogue or AUC setting")
        for c in sums.indices {
            for m in sums[c].indices { sums[c][m].add(other.sums[c][m]) }
            recommended[c] = Self.union(recommended[c], other.recommended[c])
        }
        if let otherAUC = other.auc { auc?.add(otherAUC) }
        usersEvaluated += other.usersEvaluated
    }

    /// The union of two ascending lists, ascending.
    static func union(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(Swift.max(a.count, b.count))
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) {
                out.append(a[i]); i += 1
            } else {
                if i < a.count && a[i] == b[j] { i += 1 }
                out.append(b[j]); j += 1
            }
        }
        return out
    }

    /// The means over the users evaluated (NaN without users), the coverage, and the mean AUC.
    public var metrics: RankingMetrics {
        let count = Double(usersEvaluated)
        var values: [Int: [String: Double]] = [:]
        for (c, k) in cutoffs.enumerated() {
            var entry: [String: Double] = [:]
            for (m, name) in Self.names.enumerated() {
                entry[name] = usersEvaluated > 0 ? sums[c][m].value / count : .nan
            }
            entry["coverage"] = items > 0 ? Double(recommended[c].count) / Double(items) : 0
            values[k] = entry
        }
        let meanAUC = auc.flatMap { usersEvaluated > 0 ? $0.value / count : nil }
        return RankingMetrics(values: values, auc: meanAUC, usersEvaluated: usersEvaluated)
    }
}
