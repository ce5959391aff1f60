/// The two classic id mistakes, caught before ids are joined: integer ids that count from 0 on
/// one side and from 1 on the other, and a file whose user and item columns are swapped. Each
/// is a suspicion from the ids alone, so each check says what it saw and how to fix it, and
/// the commands let a flag accept the ids as they are.
public enum IDSanity {
    /// The share of ids that must match for a match to count as "nearly all".
    public static let nearlyAll = 0.9

    /// Source ids found in `target` after adding `shift` to each (integer ids only).
    static func matches(_ source: IDMap, _ target: IDMap, shift: Int64) -> Int {
        source.integers.reduce(0) { count, id in
            let (moved, overflow) = id.addingReportingOverflow(shift)
            return count + (!overflow && target.index(of: String(moved)) != nil ? 1 : 0)
        }
    }

    /// When integer ids match better shifted by ±1 than as they are, `matched` of them
    /// unshifted: the shift, and how many match with it. Nearly all source ids must match
    /// shifted, so that a few adjacent unknown ids do not look like a shift; nil when every
    /// source id matches already (no shift can do better) or the ids are not all integers.
    public static func betterShift(_ source: IDMap, _ target: IDMap, matched: Int) -> (shift: Int64, matched: Int)? {
        guard matched < source.count, source.count > 0, source.allIntegers, target.allIntegers else { return nil }
        let shifted = [Int64(-1), 1].map { (shift: $0, matched: matches(source, target, shift: $0)) }
        guard let best = shifted.max(by: { $0.matched < $1.matched }), best.matched > matched,
              Double(best.matched) >= nearlyAll * Double(source.count) else { return nil }
        return best
    }

    /// The message for a better shift: which, how many ids match with and without it, and the
    /// fix; `override` names the flag that joins the ids as they are.
    public static func shiftMessage(_ sides: IDAlignment.Sides, shift: (shift: Int64, matched: Int), matched: Int,
                                    sourceCount: Int, override: String) -> String {
        let sign = shift.shift > 0 ? "+" : "−"
        let e = sides.entity
        return "the \(e) ids of \(sides.source) match \(sides.target)'s best shifted by \(sign)1: \(shift.matched) of \(sourceCount) match as id \(sign) 1, \(matched) as they are; one side likely counts from 0 and the other from 1: renumber one (\(shift.shift > 0 ? "add 1 to" : "subtract 1 from") \(sides.source)'s \(e) ids), or pass \(override) to join them as they are"
    }

    /// Whether a file's user ids look like `target`'s item ids while its item ids do not: nearly
    /// all of its users are target items and they cover nearly all of them, while its items
    /// cover fewer. Returns how many users and items match, or nil when nothing is suspicious.
    public static func swappedRoles(users: IDList, items: IDMap, target: IDMap,
                                    itemsMatched: Int) -> (users: Int, items: Int)? {
        guard !items.isPositional, !target.isPositional, target.count > 0, users.count > 0,
              Double(itemsMatched) < nearlyAll * Double(target.count) else { return nil }
        let usersMatched = users.reduce(0) { $0 + (target.index(of: $1) != nil ? 1 : 0) }
        guard Double(usersMatched) >= nearlyAll * Double(target.count), Double(usersMatched) >= nearlyAll * Double(users.count),
              usersMatched > itemsMatched else { return nil }
        return (usersMatched, itemsMatched)
    }
}
