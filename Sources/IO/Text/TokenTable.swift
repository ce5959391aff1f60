import Matrices

/// Interns id tokens in first-seen order, with a fast path for canonical decimal integers.
///
/// Integer ids (the common case: MovieLens, most exports) are looked up in a direct table when
/// small and non-negative, else in a dictionary; other tokens go through a string dictionary.
/// A token like `007` is not canonical and stays a string, so `007` and `7` remain distinct ids.
struct TokenTable {
    enum Token {
        case integer(Int64)
        case string(String)

        var text: String {
            switch self {
            case let .integer(v): return String(v)
            case let .string(s): return s
            }
        }
    }

    private(set) var tokens: [Token] = []
    private var direct: [Int32] = []          // id -> index + 1, 0 = absent; for 0 <= id < directLimit
    private var integers: [Int64: Int32] = [:]
    private var strings: [IDKey: Int32] = [:]  // by UTF-8 bytes, not Unicode equivalence
    static let directLimit: Int64 = 1 << 26

    var count: Int { tokens.count }

    @inline(__always)
    mutating func index(ofInteger v: Int64) -> Int32 {
        if v >= 0 && v < TokenTable.directLimit {
            let k = Int(v)
            if k < direct.count {
                let found = direct[k]
                if found != 0 { return found - 1 }
            } else {
                var newCount = Swift.max(direct.count * 2, 1024)
                while newCount <= k { newCount *= 2 }
                // One zero-filled array appended whole: a contiguous copy, where appending
                // `repeatElement` goes element by element in an unoptimized build.
                direct += [Int32](repeating: 0, count: newCount - direct.count)
            }
            tokens.append(.integer(v))
            direct[k] = Int32(tokens.count)
            return Int32(tokens.count - 1)
        }
        if let found = integers[v] { return found }
        tokens.append(.integer(v))
        integers[v] = Int32(tokens.count - 1)
        return Int32(tokens.count - 1)
    }

    mutating func index(ofString s: String) -> Int32 {
        let key = IDKey(s)
        if let found = strings[key] { return found }
        tokens.append(.string(s))
        strings[key] = Int32(tokens.count - 1)
        return Int32(tokens.count - 1)
    }

    mutating func index(of token: Token) -> Int32 {
        switch token {
        case let .integer(v): return index(ofInteger: v)
        case let .string(s): return index(ofString: s)
        }
    }

    /// Adds another table's tokens after this one's, returning the map from its indices to ours.
    mutating func merge(_ other: TokenTable) -> [Int32] {
        other.tokens.map { index(of: $0) }
    }

    var ids: [String] { tokens.map(\.text) }
}
