import Foundation
import Matrices

/// What `eval` adds up over its users: the rating and ranking totals and the counts of what the
/// inputs held. A part of a sharded run holds the totals of its users; merged, the parts give
/// the totals, hence the metrics, of the whole run bit for bit.
public struct EvaluationTotals: Sendable, Equatable {
    public var rating: RatingTotals?
    public var ranking: RankingTotals?
    /// Counts that add up over the parts (test interactions, unknown test users, …).
    public var counts: [String: Int]
    /// Counts of inputs every part reads whole (the training file's unknown users, …): the
    /// same in every part.
    public var shared: [String: Int]

    public init(rating: RatingTotals?, ranking: RankingTotals?, counts: [String: Int], shared: [String: Int]) {
        self.rating = rating
        self.ranking = ranking
        self.counts = counts
        self.shared = shared
    }

    /// Adds the totals of another part; nil when the parts were made with different settings
    /// (metrics, cut-offs, catalogue) or disagree on a shared count, with what differs.
    public mutating func merge(_ other: EvaluationTotals) -> String? {
        if other.shared != shared { return "its counts of the whole inputs \(other.shared) differ from \(shared)" }
        if (rating == nil) != (other.rating == nil) { return "it has rating totals where the other part has none, or none where it has" }
        if let otherRating = other.rating { rating!.merge(otherRating) }
        switch (ranking, other.ranking) {
        case (nil, nil): break
        case (let mine?, let theirs?):
            guard mine.cutoffs == theirs.cutoffs, mine.items == theirs.items, (mine.auc == nil) == (theirs.auc == nil) else {
                return "its ranking totals are for other cut-offs, catalogue size or AUC setting"
            }
            ranking!.merge(theirs)
        default: return "it has ranking totals where the other part has none, or none where it has"
        }
        counts.merge(other.counts) { $0 + $1 }
        return nil
    }
}

extension EvaluationTotals {
    /// As a JSON object. Sums are lists of partials (``ExactSum``), each the shortest text that
    /// reads back as the same double (JSON readers may round numbers; text they keep).
    public var json: [String: Any] {
        var out: [String: Any] = ["counts": counts, "shared_counts": shared]
        if let rating {
            out["rating"] = ["count": rating.count, "squared_error": Self.text(rating.squaredError),
                             "absolute_error": Self.text(rating.absoluteError)] as [String: Any]
        }
        if let ranking {
            var sums: [String: Any] = [:], recommended: [String: Any] = [:]
            for (c, k) in ranking.cutoffs.enumerated() {
                sums[String(k)] = Dictionary(uniqueKeysWithValues: zip(RankingTotals.names, ranking.sums[c].map(Self.text)))
                recommended[String(k)] = ranking.recommended[c]
            }
            var object: [String: Any] = ["k": ranking.cutoffs, "items": ranking.items, "users_evaluated": ranking.usersEvaluated,
                                         "sums": sums, "recommended": recommended]
            if let auc = ranking.auc { object["auc"] = Self.text(auc) }
            out["ranking"] = object
        }
        return out
    }

    /// From ``json``; nil with what is wrong when the object is not one.
    public init(json: Any?) throws(TotalsFormatError) {
        guard let object = json as? [String: Any], let counts = object["counts"] as? [String: Int],
              let shared = object["shared_counts"] as? [String: Int] else { throw TotalsFormatError("counts or shared_counts") }
        var rating: RatingTotals?
        if let r = object["rating"] {
            guard let r = r as? [String: Any], let count = r["count"] as? Int, count >= 0 else { throw TotalsFormatError("rating") }
            rating = RatingTotals(squaredError: try Self.sum(r["squared_error"], "rating.squared_error"),
                                  absoluteError: try Self.sum(r["absolute_error"], "rating.absolute_error"), count: count)
        }
        var ranking: RankingTotals?
        if let r = object["ranking"] { ranking = try Self.ranking(r) }
        self.init(rating: rating, ranking: ranking, counts: counts, shared: shared)
    }

    private static func ranking(_ json: Any) throws(TotalsFormatError) -> RankingTotals {
        guard let r = json as? [String: Any], let cutoffs = r["k"] as? [Int], let items = r["items"] as? Int, items >= 0,
              let users = r["users_evaluated"] as? Int, users >= 0, let sums = r["sums"] as? [String: Any],
              let recommended = r["recommended"] as? [String: Any], cutoffs == cutoffs.sorted(), Set(cutoffs).count == cutoffs.count
        else { throw TotalsFormatError("ranking") }
        var totals = RankingTotals(cutoffs: cutoffs, items: items, auc: r["auc"] != nil)
        totals.usersEvaluated = users
        if let auc = r["auc"] { totals.auc = try sum(auc, "ranking.auc") }
        for (c, k) in cutoffs.enumerated() {
            guard let metrics = sums[String(k)] as? [String: Any], let list = recommended[String(k)] as? [Int],
                  zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }), list.allSatisfy({ $0 >= 0 && $0 < items }) else {
                throw TotalsFormatError("ranking at k = \(k)")
            }
            for (m, name) in RankingTotals.names.enumerated() { totals.sums[c][m] = try sum(metrics[name], "ranking.sums.\(k).\(name)") }
            totals.recommended[c] = list
        }
        return totals
    }

    /// A sum as text: its partials, or its value alone when that is infinite or NaN (which
    /// then decides the sum whatever else is added).
    static func text(_ sum: ExactSum) -> [String] {
        let value = sum.value
        return value.isFinite ? sum.partials.map(\.description) : [value.description]
    }

    static func sum(_ json: Any?, _ name: String) throws(TotalsFormatError) -> ExactSum {
        guard let texts = json as? [String] else { throw TotalsFormatError(name) }
        var partials: [Double] = []
        for text in texts {
            guard let value = Double(text) else { throw TotalsFormatError(name) }
            partials.append(value)
        }
        return ExactSum(partials: partials)
    }
}

/// Totals in a part that are not what ``EvaluationTotals/json`` writes: names the member.
public struct TotalsFormatError: Error, CustomStringConvertible, Sendable {
    public let member: String
    init(_ member: String) { self.member = member }
    public var description: String { "the totals' \(member) is missing or malformed" }
}
