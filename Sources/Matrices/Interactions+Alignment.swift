extension Interactions {
    /// The matrix with its rows renumbered to `users` (a factor file's user order), joined by id:
    /// rows of users that `users` lacks are left out and counted, users without interactions are
    /// empty. Commands align through ``IDAlignment`` and ``rows(_:)``, which also apply the
    /// positional rule and fail when no id matches.
    public func rows(alignedTo users: IDMap) -> (matrix: CSRMatrix, unknownUsers: Int) {
        // The same users in the same order (as a file and the factors solved from it, or two
        // files of one split): the matrix as it is, not a copy. Ids compare by their bytes, as
        // `IDMap` looks them up.
        if userCount == users.count && zip(userIDs.ids, users.ids).allSatisfy({ $0.utf8.elementsEqual($1.utf8) }) {
            return (matrix, 0)
        }
        let targets = userIDs.ids.map { users.index(of: $0) ?? -1 }
        return (matrix.placingRows(at: targets, rows: users.count), targets.reduce(0) { $0 + ($1 < 0 ? 1 : 0) })
    }

    /// The matrix with its rows renumbered by `alignment` (of these interactions' users onto
    /// another side's): rows of unknown users are left out, target users without rows are empty.
    public func rows(_ alignment: IDAlignment) -> CSRMatrix {
        precondition(alignment.sourceCount == userCount, "alignment of \(alignment.sourceCount) users for \(userCount) rows")
        if alignment.method != .byID && alignment.targetCount == userCount { return matrix }
        return matrix.placingRows(at: alignment.targets, rows: alignment.targetCount)
    }
}
