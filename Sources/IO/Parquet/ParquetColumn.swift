/// One column of a Parquet file, decoded: its non-null values in row order and the rows that
/// hold none, so that a caller can refuse nulls naming the column and the row.
public struct ParquetColumn: Sendable {
    public let name: String
    public let physicalType: ParquetPhysicalType
    /// The logical (or converted) type, nil when the file declares none.
    public let logicalType: ParquetLogicalType?
    /// Rows in the file, null or not.
    public let rowCount: Int
    /// The non-null values, in row order.
    public let values: ParquetValues
    /// The rows (from 0, across row groups) whose value is null, ascending.
    public let nullRows: [Int]
}

/// A column as the file's schema declares it.
public struct ParquetColumnSchema: Sendable {
    public let name: String
    /// The physical type's raw value (unknown values are kept to be named).
    let physicalRaw: Int32?
    public var physicalType: ParquetPhysicalType? { physicalRaw.flatMap(ParquetPhysicalType.init(rawValue:)) }
    public let logicalType: ParquetLogicalType?
    /// Whether the column may hold nulls (OPTIONAL).
    public let optional: Bool
    /// Why the column cannot be read (a nested group, a repeated field), or nil.
    public let refusal: String?
    /// The position of its leaf among the row groups' column chunks (flat columns only).
    let leaf: Int
}
