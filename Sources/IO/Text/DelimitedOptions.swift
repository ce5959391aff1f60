/// How to read a delimited text file of (user, item[, value]) triplets.
public struct DelimitedOptions: Sendable, Equatable {
    /// The field separator.
    public enum Delimiter: Sendable, Equatable {
        /// Detected from the first data line: `::`, then tab, then comma, then `;`, else white space.
        case auto
        /// One byte, such as `,`, `\t` or `;`.
        case character(UInt8)
        /// Runs of spaces and tabs (leading white space ignored).
        case whitespace
        /// The MovieLens-1M `::` separator.
        case doubleColon

        /// Parses `auto`, `,`, `comma`, `tab`, `\t`, `;`, `whitespace`, `space`, `::`.
        public init?(argument: String) {
            switch argument {
            case "auto": self = .auto
            case "tab", "\\t", "\t", "tsv": self = .tab
            case "comma", ",", "csv": self = .character(UInt8(ascii: ","))
            case "whitespace", "space", " ", "ws": self = .whitespace
            case "::": self = .doubleColon
            default:
                let bytes = Array(argument.utf8)
                guard bytes.count == 1 else { return nil }
                self = .character(bytes[0])
            }
        }

        static let tab = Delimiter.character(UInt8(ascii: "\t"))
    }

    /// A column chosen by 0-based position or by header name.
    public enum Column: Sendable, Equatable, CustomStringConvertible {
        case index(Int)
        case name(String)

        /// A non-negative integer is a position, anything else a header name.
        public init(argument: String) {
            if let k = Int(argument), k >= 0 { self = .index(k) } else { self = .name(argument) }
        }

        public var description: String {
            switch self {
            case let .index(k): return "column \(k)"
            case let .name(n): return "column '\(n)'"
            }
        }
    }

    /// The field separator; `.auto` by default.
    public var delimiter: Delimiter = .auto
    /// Whether the first data line is a header; nil detects it.
    public var header: Bool? = nil
    /// The user id column; default the header's user column, else column 0.
    public var userColumn: Column? = nil
    /// The item id column; default the header's item column, else column 1.
    public var itemColumn: Column? = nil
    /// The value column; default the header's rating column, else column 2 when present, else none.
    public var valueColumn: Column? = nil
    /// The time column (numbers, or ISO 8601 dates read as seconds since 1970 UTC); none by default.
    public var timeColumn: Column? = nil
    /// Ignore any value column: every interaction has value 1 (implicit feedback).
    public var implicit: Bool = false
    /// Parquet: drop the rows with a null in a used column (counted) instead of refusing them.
    public var dropNullRows: Bool = false
    /// Lines starting with this byte (after leading white space) are comments.
    public var commentByte: UInt8? = UInt8(ascii: "#")

    public init() {}
}

/// Header names recognised for each role (case-insensitive; a RecBole `:type` suffix is ignored).
enum KnownColumns {
    static let user: Set<String> = ["user", "user_id", "userid", "uid", "user id", "customer_id", "visitorid", "users"]
    static let item: Set<String> = ["item", "item_id", "itemid", "iid", "movie", "movieid", "movie_id", "product_id", "article_id", "track_id", "items", "item id", "business_id", "book_id", "isbn"]
    static let value: Set<String> = ["rating", "ratings", "value", "score", "count", "weight", "playcount", "plays", "preference", "label", "clicks", "book-rating", "stars"]

    /// The time column of a typed (RecBole) header, kept without --time-col: the header says
    /// what the column is.
    static let time: Set<String> = ["timestamp"]

    /// Whether a header carries RecBole types (`name:token`, `name:float`): then its
    /// `timestamp` column is known to be one.
    static func isTyped(_ fields: [String]) -> Bool {
        fields.contains { $0.lowercased() != normalize($0) }
    }

    /// The header name without a RecBole type suffix, lowercased.
    static func normalize(_ name: String) -> String {
        var n = name.lowercased()
        if let colon = n.lastIndex(of: ":") {
            let suffix = n[n.index(after: colon)...]
            if ["token", "float", "token_seq", "float_seq"].contains(String(suffix)) { n = String(n[..<colon]) }
        }
        return n
    }
}
