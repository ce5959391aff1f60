import Foundation
import IO
import Matrices
import Solvers

extension LoadedModel {
    /// What aligning one interactions file to the model found.
    public struct Aligned {
        /// The file's interactions, with the model's users as rows and its items as columns.
        public var matrix: CSRMatrix
        /// Users of the file without factors (their interactions are left out).
        public var unknownUsers: Int
        /// Interactions on items the items file lacks, dropped under `dropUnknownItems`.
        public var droppedInteractions: Int
        public var droppedItems: Int
    }

    /// The read options that align a file's items to the model's: by its item ids, unknown
    /// items dropped or refused as `alignment` says. Role swaps are checked against the model's
    /// users afterwards (``refuseSwappedRoles(_:path:)``), a better reference than items alone.
    func itemAlignedReadOptions() -> InteractionsFile.ReadOptions {
        var read = InteractionsFile.ReadOptions(limits: limits)
        read.canonical.itemOrder = itemIDs
        read.canonical.itemOrderSource = items.path
        read.canonical.matching = alignment.matching
        read.canonical.matching.allowRoleSwap = true
        return read
    }

    /// Reads interactions and renumbers them to the model's users and items by the one alignment
    /// rule (`IDAlignment`); `role` names the file in messages ("test", "train").
    public func aligned(_ spec: FileSpec, role: String, notices: inout AlignmentNotices) throws -> Aligned {
        let (x, report) = try InteractionsFile.read(spec, options: itemAlignedReadOptions())
        notices.add(report.notices)
        if !alignment.matching.allowRoleSwap { try refuseSwappedRoles(x, path: spec.path) }
        let sides = IDAlignment.Sides(entity: "user", source: "the \(role) file \(spec.path)",
                                      target: "the user factor file \(users.path)")
        let matched = try IDAlignment.align(x.userIDs, to: userIDs, sides, requireIDs: alignment.matching.requireIDs,
                                            allowNoOverlap: alignment.matching.allowEmpty, allowShift: alignment.matching.allowIDShift)
        notices.add(matched)
        return Aligned(matrix: x.rows(matched), unknownUsers: matched.unknown,
                       droppedInteractions: report.droppedInteractions, droppedItems: report.droppedItems)
    }

    /// Refuses a file whose users and items look swapped against the model: its user ids match
    /// the model's items better than its users, nearly all of them, and the items it uses are
    /// nearly all model users. A test file of a catalogue numbered like the users matches both
    /// ways alike and passes; a swapped one matches crossed strictly better.
    func refuseSwappedRoles(_ x: Interactions, path: String) throws {
        guard !x.userIDs.isPositional, !userIDs.isPositional, !itemIDs.isPositional, x.userIDs.count > 0 else { return }
        let fileUsers = x.userIDs.ids
        let direct = fileUsers.reduce(0) { $0 + (userIDs.index(of: $1) != nil ? 1 : 0) }
        guard direct < fileUsers.count else { return }
        let crossed = fileUsers.reduce(0) { $0 + (itemIDs.index(of: $1) != nil ? 1 : 0) }
        guard crossed > direct, Double(crossed) >= IDSanity.nearlyAll * Double(fileUsers.count) else { return }
        let used = Set(x.matrix.indices.map(Int.init)).map { x.itemIDs.ids[$0] }
        let usedAsUsers = used.reduce(0) { $0 + (userIDs.index(of: $1) != nil ? 1 : 0) }
        guard !used.isEmpty, Double(usedAsUsers) >= IDSanity.nearlyAll * Double(used.count) else { return }
        throw DataError("\(path): its user ids look like the item ids of \(items.path) (\(crossed) of its \(fileUsers.count) users are items there, \(direct) are users of \(users.path)) and its items like those users: are the user and item columns swapped? Give --user-col and --item-col (or convert again with them), or pass --allow-role-swap to read the columns as they are")
    }
}
