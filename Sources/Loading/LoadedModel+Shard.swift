import Foundation
import IO
import Matrices
import Solvers

extension LoadedModel {
    /// The shard's rows of an interactions file (canonical HDF5, user-major), renumbered to the
    /// model's users like ``aligned(_:role:notices:)``: by id, or by position in the whole
    /// file. A shard may match no user; the merged totals decide whether the run was empty.
    public func alignedShard(_ spec: FileSpec, role: String, shard: Shard,
                             notices: inout AlignmentNotices) throws -> (Aligned, InteractionsFile.ShardRead) {
        var options = itemAlignedReadOptions()
        options.canonical.matching.allowEmpty = true
        let read = try InteractionsFile.read(spec, options: options, shard: shard)
        if read.byItems {
            throw DataError("\(spec.path) is item-major (CSC): its shards are items; shard the user-major file")
        }
        notices.add(read.report.notices)
        let x = read.interactions
        if !alignment.matching.allowRoleSwap { try refuseSwappedRoles(x, path: spec.path) }
        let sides = IDAlignment.Sides(entity: "user", source: "the \(role) file \(spec.path)",
                                      target: "the user factor file \(users.path)")
        let targets: [Int]
        if x.userIDs.isPositional || userIDs.isPositional {
            let matched = try IDAlignment.align(.positional(read.totalRows), to: userIDs, sides, requireIDs: options.canonical.matching.requireIDs)
            notices.add(matched)
            targets = read.rows.map { matched.targets[$0] }
        } else {
            targets = try IDAlignment.align(x.userIDs, to: userIDs, sides, requireIDs: options.canonical.matching.requireIDs,
                                            allowNoOverlap: true, allowShift: options.canonical.matching.allowIDShift).targets
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
    public mutating func add(model loaded: LoadedModel) {
        add(loaded.model.users)
        add(loaded.userIDs)
        add(loaded.model.items)
        add(loaded.itemIDs)
        add(loaded.model.itemBias ?? [])
        add("mean=\(loaded.model.mean) user_bias=\(loaded.model.userBias)")
    }
}
