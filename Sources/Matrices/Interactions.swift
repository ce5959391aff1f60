/// A user × item interaction matrix with the ids of its rows and columns.
public struct Interactions: Sendable, Equatable {
    /// Values by user (row) and item (column).
    public var matrix: CSRMatrix
    /// User ids, one per row.
    public var userIDs: IDMap
    /// Item ids, one per column.
    public var itemIDs: IDMap

    /// Creates interactions; the id maps must match the matrix's shape.
    public init(matrix: CSRMatrix, userIDs: IDMap, itemIDs: IDMap) {
        precondition(userIDs.count == matrix.rows && itemIDs.count == matrix.columns,
                     "Interactions: \(userIDs.count) user ids and \(itemIDs.count) item ids for a \(matrix.rows)×\(matrix.columns) matrix")
        self.matrix = matrix
        self.userIDs = userIDs
        self.itemIDs = itemIDs
    }

    /// The number of users.
    public var userCount: Int { matrix.rows }
    /// The number of items.
    public var itemCount: Int { matrix.columns }
}

/// A fixed item matrix: one embedding row per item, with optional item ids.
public struct ItemEmbeddings: Sendable, Equatable {
    /// Item factors, n × k, row-major.
    public var factors: DenseMatrix<Double>
    /// Item ids, one per row, when the file carried them.
    public var itemIDs: IDMap?

    /// Creates embeddings; `itemIDs`, when given, must have one id per row.
    public init(factors: DenseMatrix<Double>, itemIDs: IDMap?) {
        precondition(itemIDs == nil || itemIDs!.count == factors.rows)
        self.factors = factors
        self.itemIDs = itemIDs
    }
}
