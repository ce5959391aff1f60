/// The parts of a Parquet footer (parquet.thrift's FileMetaData) that mftool reads; every other
/// field is skipped. Raw enum values are kept as the file has them, so that an unknown one can
/// be named when a column that uses it is read.
struct ParquetMetadata {
    /// One node of the schema, in the footer's depth-first order.
    struct SchemaElement {
        var name = ""
        var physicalType: Int32?
        /// REQUIRED 0, OPTIONAL 1, REPEATED 2.
        var repetition: Int32?
        var childCount: Int32?
        var convertedType: Int32?
        var logicalType: ParquetLogicalType?
    }

    /// One column's part of a row group.
    struct ColumnChunk {
        /// A chunk stored in another file (never written by pandas, polars or DuckDB).
        var filePath: String?
        var meta: ColumnMeta?
        /// Whether the chunk carries crypto metadata or encrypted column metadata.
        var encrypted = false
    }

    /// A column chunk's metadata (ColumnMetaData).
    struct ColumnMeta {
        var physicalType: Int32 = -1
        var encodings: [Int32] = []
        var path: [String] = []
        var codec: Int32 = 0
        var valueCount: Int64 = 0
        var compressedSize: Int64 = 0
        var dataPageOffset: Int64 = 0
        var dictionaryPageOffset: Int64?
    }

    struct RowGroup {
        var columns: [ColumnChunk] = []
        var rowCount: Int64 = 0
    }

    var version: Int32 = 0
    var schema: [SchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [RowGroup] = []
    /// Whether the footer declares an encryption algorithm (plaintext footer, encrypted columns).
    var encrypted = false
}

/// A page header (PageHeader) with the header of its kind.
struct ParquetPageHeader {
    /// DATA_PAGE 0, INDEX_PAGE 1, DICTIONARY_PAGE 2, DATA_PAGE_V2 3.
    var type: Int32 = -1
    var uncompressedSize: Int32 = -1
    var compressedSize: Int32 = -1
    var dataV1: DataV1?
    var dictionary: Dictionary?
    var dataV2: DataV2?

    struct DataV1 {
        var valueCount: Int32 = -1
        var encoding: Int32 = -1
        var definitionEncoding: Int32 = -1
        var repetitionEncoding: Int32 = -1
    }

    struct Dictionary {
        var valueCount: Int32 = -1
        var encoding: Int32 = -1
    }

    struct DataV2 {
        var valueCount: Int32 = -1
        var nullCount: Int32 = -1
        var rowCount: Int32 = -1
        var encoding: Int32 = -1
        var definitionLength: Int32 = -1
        var repetitionLength: Int32 = -1
        var isCompressed = true
    }

    var typeName: String {
        switch type {
        case 0: "DATA_PAGE"
        case 1: "INDEX_PAGE"
        case 2: "DICTIONARY_PAGE"
        case 3: "DATA_PAGE_V2"
        default: "page type \(type)"
        }
    }
}
