/// The enumerations of Parquet's format (parquet.thrift), with the names its specification
/// uses, so that a refusal can say what a file uses. Values mftool does not know stay
/// representable: a footer is decoded whole, and only a column that is read must be supported.

/// A column's physical type.
public enum ParquetPhysicalType: Int32, Sendable, CaseIterable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    public var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// How a page's values (or levels) are encoded.
public enum ParquetEncoding: Int32, Sendable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    public var name: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    /// The name of a raw encoding value, known or not.
    static func name(_ raw: Int32) -> String { ParquetEncoding(rawValue: raw)?.name ?? "encoding \(raw)" }
}

/// A column chunk's compression codec.
public enum ParquetCodec: Int32, Sendable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    public var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    static func name(_ raw: Int32) -> String { ParquetCodec(rawValue: raw)?.name ?? "codec \(raw)" }
}

/// What a column's values mean beyond their physical type: the logical type, or the converted
/// type older writers set instead (mapped to the same cases).
public enum ParquetLogicalType: Sendable, Equatable {
    /// UTF-8 text (STRING, or converted UTF8).
    case string
    /// An integer of `bits` (8, 16, 32, 64) bits, signed or not.
    case integer(bits: Int, signed: Bool)
    /// Time since 1970-01-01 in a unit; `adjustedToUTC` as the writer declared it.
    case timestamp(TimeUnit, adjustedToUTC: Bool)
    /// Days since 1970-01-01.
    case date
    /// Any other annotation, by its name (DECIMAL, JSON, ENUM, TIME, UUID, …).
    case other(String)

    public enum TimeUnit: Sendable, Equatable {
        case millis, micros, nanos

        public var name: String {
            switch self {
            case .millis: "MILLIS"
            case .micros: "MICROS"
            case .nanos: "NANOS"
            }
        }

        /// Units per second.
        public var perSecond: Double {
            switch self {
            case .millis: 1e3
            case .micros: 1e6
            case .nanos: 1e9
            }
        }
    }

    public var name: String {
        switch self {
        case .string: "STRING"
        case let .integer(bits, signed): "INT(\(bits), \(signed ? "signed" : "unsigned"))"
        case let .timestamp(unit, adjusted): "TIMESTAMP(\(unit.name)\(adjusted ? ", UTC" : ""))"
        case .date: "DATE"
        case let .other(name): name
        }
    }

    /// The logical type of an old-style converted type (parquet.thrift's ConvertedType).
    static func converted(_ raw: Int32) -> ParquetLogicalType {
        let integers: [Int32: (Int, Bool)] = [11: (8, false), 12: (16, false), 13: (32, false), 14: (64, false),
                                              15: (8, true), 16: (16, true), 17: (32, true), 18: (64, true)]
        if let (bits, signed) = integers[raw] { return .integer(bits: bits, signed: signed) }
        switch raw {
        case 0: return .string
        case 6: return .date
        case 9: return .timestamp(.millis, adjustedToUTC: true)
        case 10: return .timestamp(.micros, adjustedToUTC: true)
        default:
            let names: [Int32: String] = [1: "MAP", 2: "MAP_KEY_VALUE", 3: "LIST", 4: "ENUM", 5: "DECIMAL", 7: "TIME_MILLIS",
                                          8: "TIME_MICROS", 19: "JSON", 20: "BSON", 21: "INTERVAL"]
            return .other(names[raw] ?? "converted type \(raw)")
        }
    }
}
