import Foundation
import IO
import Matrices
import Solvers

/// An item list given to `recommend` (`--candidates`, `--exclude`) matched to the model's items:
/// one list for every user, or a per-user list (``IDListFile/isPerUser(_:)``).
struct ItemListInput {
    /// The model's item rows of a list for everyone.
    var items: [Int]?
    /// Per user (the model's users as rows), the model's item rows.
    var perUser: CSRMatrix?
    /// Ids (entries, for a per-user list) whose item the model lacks, left out.
    var unknownItems: Int
    /// Users of a per-user list without factors, left out.
    var unknownUsers: Int
}

extension LoadedModel {
    /// Reads `argument` (an id list ``IDListFile`` reads, or a per-user CSV or Parquet file)
    /// and matches its ids to the model's by the one alignment rule: by id, the ids the model
    /// lacks counted; none matching is an error unless --allow-empty. Against
    /// items without ids, the list's ids are row numbers, said in a note (an error with
    /// --require-ids).
    func itemList(_ argument: String, role: String, notices: inout AlignmentNotices) throws -> ItemListInput {
        let spec = FileSpec(argument)
        if spec.object == nil && IDListFile.isPerUser(spec.path) {
            var model = self
            model.options.dropUnknownItems = true
            let aligned = try model.aligned(argument, role: role, notices: &notices)
            return ItemListInput(items: nil, perUser: aligned.matrix, unknownItems: aligned.droppedInteractions,
                                 unknownUsers: aligned.unknownUsers)
        }
        let list = try IDListFile.read(spec, limits: limits)
        let sides = IDAlignment.Sides(entity: "item", source: "the \(role) list \(spec)", target: "the items file \(FileSpec(itemsArgument).path)")
        if itemIDs.isPositional {
            if options.requireIDs { throw DataError("\(sides.target) has no item ids and --require-ids is set, so \(sides.source) cannot be matched") }
            notices.print(["note: \(sides.target) has no item ids; the ids of \(sides.source) are taken as row numbers (--require-ids makes this an error)"])
        }
        let alignment = try IDAlignment.align(list.markedPositional(false), to: itemIDs.markedPositional(false), sides,
                                              allowNoOverlap: options.allowEmpty, allowShift: options.allowIDShift)
        return ItemListInput(items: alignment.targets.filter { $0 >= 0 }, perUser: nil, unknownItems: alignment.unknown, unknownUsers: 0)
    }

    /// The filter of `--candidates` and `--exclude`.
    static func filter(candidates: ItemListInput?, exclude: ItemListInput?) -> ItemFilter {
        ItemFilter(candidates: candidates?.items, excluded: exclude?.items ?? [],
                   userCandidates: candidates?.perUser, userExcluded: exclude?.perUser)
    }
}
