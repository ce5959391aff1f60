/// A user × item interaction matrix with the ids of its rows and columns.
public struct Interactions: Sendable, Equatable {
    /// Values by user (row) and item (column).
    public var matrix: CSRMatrix
    /// User ids, one per row.
    public var userIDs: IDMap
    /// Item ids, one per column.
    public var itemIDs: IDMap
    /// When each interaction happened (seconds since 1970 or any increasing scale), aligned with
    /// `matrix.values`; nil when the source had no time column.
    public var timestamps: [Double]?

    /// Creates interactions; the id maps must match the matrix's shape and `timestamps`, when
    /// given, its entries.
    public init(matrix: CSRMatrix, userIDs: IDMap, itemIDs: IDMap, timestamps: [Double]? = nil) {
        precondition(userIDs.count == matrix.rows && itemIDs.count == matrix.columns,
                     "Interactions: \(userIDs.count) user ids and \(itemIDs.count) item ids for a \(matrix.rows)×\(matrix.columns) matrix")
        precondition(timestamps == nil || timestamps!.count == matrix.nnz,
                     "Interactions: \(timestamps?.count ?? 0) timestamps for \(matrix.nnz) entries")
        self.matrix = matrix
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.timestamps = timestamps
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
