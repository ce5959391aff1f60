import ArgumentParser
import Foundation
import IO
import Matrices
import Solvers

extension LoadedModel {
    /// The shard's rows of an interactions file (canonical HDF5, user-major), renumbered to the
    /// model's users like ``aligned(_:role:notices:)``: by id, or by position in the whole
    /// file. A shard may match no user; the merged totals decide whether the run was empty.
    func alignedShard(_ path: String, role: String, shard: Shard,
                      notices: inout AlignmentNotices) throws -> (Aligned, InteractionsFile.ShardRead) {
        var options = InteractionsFile.ReadOptions(limits: limits)
        options.canonical.itemOrder = itemIDs
        options.canonical.itemOrderSource = FileSpec(itemsArgument).path
        options.canonical.dropUnknownItems = self.options.dropUnknownItems
        options.canonical.requireIDs = self.options.requireIDs
        options.canonical.allowEmpty = true
        options.canonical.allowIDShift = self.options.allowIDShift
        options.canonical.allowRoleSwap = true  // checked against the model's users below
        let read = try InteractionsFile.read(FileSpec(path), options: options, shard: shard)
        if read.byItems {
            throw DataError("\(path) is item-major (CSC): its shards are items; shard the user-major file")
        }
        notices.print(read.report.notices)
        let x = read.interactions
        if !self.options.allowRoleSwap { try refuseSwappedRoles(x, path: path) }
        let sides = IDAlignment.Sides(entity: "user", source: "the \(role) file \(FileSpec(path).path)",
                                      target: "the user factor file \(FileSpec(usersArgument).path)")
        let targets: [Int]
        if x.userIDs.isPositional || userIDs.isPositional {
            let alignment = try IDAlignment.align(.positional(read.totalRows), to: userIDs, sides, requireIDs: options.canonical.requireIDs)
            notices.print(alignment)
            targets = read.rows.map { alignment.targets[$0] }
        } else {
            targets = try IDAlignment.align(x.userIDs, to: userIDs, sides, requireIDs: options.canonical.requireIDs,
                                            allowNoOverlap: true, allowShift: options.canonical.allowIDShift).targets
        }
        let matrix = x.matrix.placingRows(at: targets, rows: userIDs.count)
        let aligned = Aligned(matrix: matrix, unknownUsers: targets.reduce(0) { $0 + ($1 < 0 ? 1 : 0) },
                              droppedInteractions: read.report.droppedInteractions, droppedItems: read.report.droppedItems)
        return (aligned, read)
    }
}

extension Fingerprint {
    /// Adds what identifies a model: the factors and ids of users and items, the item bias, μ
    /// and the user-bias flag.
    mutating func add(model loaded: LoadedModel) {
        add(loaded.model.users)
        add(loaded.userIDs)
        add(loaded.model.items)
        add(loaded.itemIDs)
        add(loaded.model.itemBias ?? [])
        add("mean=\(loaded.model.mean) user_bias=\(loaded.model.userBias)")
    }

}
