extension Interactions {
    /// The matrix with its rows renumbered by `alignment` (of these interactions' users onto
    /// another side's, ``IDAlignment/align(_:to:_:requireIDs:allowNoOverlap:allowShift:)``): rows
    /// of unknown users are left out, target users without rows are empty.
    public func rows(_ alignment: IDAlignment) -> CSRMatrix {
        precondition(alignment.sourceCount == userCount, "alignment of \(alignment.sourceCount) users for \(userCount) rows")
        if alignment.method != .byID && alignment.targetCount == userCount { return matrix }
        return matrix.placingRows(at: alignment.targets, rows: alignment.targetCount)
    }
}
