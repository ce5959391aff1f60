/// How the ids of one side (the rows or columns of a file being read) map onto another's (a
/// factor file's users, an embeddings file's items): the one rule every command follows.
///
/// - Both sides carry ids: they are joined by id. Source ids the target lacks are counted as
///   unknown; when no id matches at all, alignment fails and says what each side's ids look like.
/// - One side carries none (``IDMap/isPositional``): rows are matched by position, only when both
///   sides have the same count, and ``notice`` says so in one line; `requireIDs` makes it an error.
public struct IDAlignment: Sendable, Equatable {
    /// How the sides were matched.
    public enum Method: Sendable, Equatable {
        /// The same ids in the same order.
        case identical
        /// Joined by id.
        case byID
        /// Matched by position: one side carries no ids.
        case positional
    }

    /// What is being aligned and what the two sides are called, for messages.
    public struct Sides: Sendable, Equatable {
        /// The kind of id: "user" or "item".
        public var entity: String
        /// The side being mapped, e.g. "the train file (train.csv)".
        public var source: String
        /// The side mapped onto, e.g. "the factor file (u.h5)".
        public var target: String

        public init(entity: String, source: String, target: String) {
            self.entity = entity
            self.source = source
            self.target = target
        }
    }

    public let method: Method
    /// For each source index, its target index or -1 (unknown).
    public let targets: [Int]
    /// The number of target ids.
    public let targetCount: Int
    /// Source ids found in the target.
    public let matched: Int
    /// One line for stderr when the sides were matched by position, else nil.
    public let notice: String?

    /// The number of source ids.
    public var sourceCount: Int { targets.count }
    /// Source ids the target lacks.
    public var unknown: Int { sourceCount - matched }
    /// Target ids the source lacks.
    public var missing: Int { targetCount - matched }

    /// Aligns `source` onto `target` by the rule above; `allowNoOverlap` accepts ids of which
    /// none match (every source id unknown) instead of failing. Integer ids that match better
    /// shifted by ±1 (``IDSanity/betterShift(_:_:matched:)``) are an error unless `allowShift`.
    public static func align(_ source: IDMap, to target: IDMap, _ sides: Sides, requireIDs: Bool = false,
                             allowNoOverlap: Bool = false, allowShift: Bool = false) throws(AlignmentError) -> IDAlignment {
        if source.isPositional || target.isPositional {
            return try positional(source, target, sides, requireIDs: requireIDs)
        }
        if source == target {
            return IDAlignment(method: .identical, targets: Array(0..<source.count), targetCount: target.count,
                               matched: source.count, notice: nil)
        }
        let targets = source.ids.map { target.index(of: $0) ?? -1 }
        let matched = targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        if !allowShift, let shift = IDSanity.betterShift(source, target, matched: matched) {
            throw AlignmentError(IDSanity.shiftMessage(sides, shift: shift, matched: matched, sourceCount: source.count,
                                                       override: "--allow-id-shift"))
        }
        if matched == 0 && source.count > 0 && target.count > 0 && !allowNoOverlap {
            throw AlignmentError(noOverlap: source, target, sides)
        }
        return IDAlignment(method: .byID, targets: targets, targetCount: target.count, matched: matched, notice: nil)
    }

    private init(method: Method, targets: [Int], targetCount: Int, matched: Int, notice: String?) {
        self.method = method
        self.targets = targets
        self.targetCount = targetCount
        self.matched = matched
        self.notice = notice
    }

    private static func positional(_ source: IDMap, _ target: IDMap, _ sides: Sides,
                                   requireIDs: Bool) throws(AlignmentError) -> IDAlignment {
        let lacking = source.isPositional && target.isPositional
            ? "\(sides.source) and \(sides.target) have"
            : (source.isPositional ? sides.source : sides.target) + " has"
        if requireIDs {
            throw AlignmentError("\(lacking) no \(sides.entity) ids and --require-ids is set")
        }
        guard source.count == target.count else {
            throw AlignmentError("\(lacking) no \(sides.entity) ids, so \(sides.entity)s can only be matched by position, but \(sides.source) has \(source.count) and \(sides.target) has \(target.count)")
        }
        let notice = "note: \(lacking) no \(sides.entity) ids; the \(source.count) \(sides.entity)s are matched by position (--require-ids makes this an error)"
        return IDAlignment(method: .positional, targets: Array(0..<source.count), targetCount: target.count,
                           matched: source.count, notice: notice)
    }
}

/// Ids that cannot be aligned: one line naming both sides and what was found.
public struct AlignmentError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// No id of `source` occurs in `target`: samples of both, and their kinds when they differ.
    init(noOverlap source: IDMap, _ target: IDMap, _ sides: IDAlignment.Sides) {
        let kinds = (source.allIntegers, target.allIntegers)
        var text = "0 of \(source.count) \(sides.entity) ids of \(sides.source) match \(sides.target)'s"
        text += "; \(sides.target)'s look like '\(target.ids[0])', \(sides.source)'s like '\(source.ids[0])'"
        if kinds.0 != kinds.1 {
            text += " (\(kinds.1 ? "integer" : "string") ids vs \(kinds.0 ? "integer" : "string") ids)"
        }
        message = text
    }

    public var description: String { message }
}
