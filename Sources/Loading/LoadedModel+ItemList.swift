import IO
import Matrices
import Solvers

/// An item list (`--candidates`, `--exclude`) matched to a model's items: one list for every
/// user, or a per-user list (``IDListFile/isPerUser(_:)``).
public struct ItemListInput {
    /// The model's item rows of a list for everyone.
    public var items: [Int]?
    /// Per user (the model's users as rows), the model's item rows.
    public var perUser: CSRMatrix?
    /// Ids (entries, for a per-user list) whose item the model lacks, left out.
    public var unknownItems: Int
    /// Users of a per-user list without factors, left out.
    public var unknownUsers: Int
}

extension LoadedModel {
    /// Reads `spec` (an id list ``IDListFile`` reads, or a per-user CSV or Parquet file) and
    /// matches its ids to the model's by the one alignment rule: by id, the ids the model lacks
    /// counted; none matching is an error unless `allowEmpty`. Against items without ids, the
    /// list's ids are row numbers, said in a note (an error under `requireIDs`).
    public func itemList(_ spec: FileSpec, role: String, notices: inout AlignmentNotices) throws -> ItemListInput {
        if spec.object == nil && IDListFile.isPerUser(spec.path) {
            var model = self
            model.alignment.matching.dropUnknownItems = true
            let aligned = try model.aligned(spec, role: role, notices: &notices)
            return ItemListInput(items: nil, perUser: aligned.matrix, unknownItems: aligned.droppedInteractions,
                                 unknownUsers: aligned.unknownUsers)
        }
        let list = try IDListFile.read(spec, limits: limits)
        let sides = IDAlignment.Sides(entity: "item", source: "the \(role) list \(spec)", target: "the items file \(items.path)")
        if itemIDs.isPositional {
            if alignment.matching.requireIDs { throw DataError("\(sides.target) has no item ids and --require-ids is set, so \(sides.source) cannot be matched") }
            notices.add(["note: \(sides.target) has no item ids; the ids of \(sides.source) are taken as row numbers (--require-ids makes this an error)"])
        }
        let matched = try IDAlignment.align(list.markedPositional(false), to: itemIDs.markedPositional(false), sides,
                                            allowNoOverlap: alignment.matching.allowEmpty, allowShift: alignment.matching.allowIDShift)
        return ItemListInput(items: matched.targets.filter { $0 >= 0 }, perUser: nil, unknownItems: matched.unknown, unknownUsers: 0)
    }

    /// The ranking filter of a candidate list and an exclusion list.
    public static func filter(candidates: ItemListInput?, exclude: ItemListInput?) -> ItemFilter {
        ItemFilter(candidates: candidates?.items, excluded: exclude?.items ?? [],
                   userCandidates: candidates?.perUser, userExcluded: exclude?.perUser)
    }
}
