/// A column's values as mftool uses them: ids as text tokens, values and times as numbers.
extension ParquetColumn {
    /// Whether the integers are unsigned (UINT_8 … UINT_64): their bits are read as such.
    var isUnsigned: Bool {
        if case let .integer(_, signed) = logicalType { return !signed }
        return false
    }

    /// Value `index` (among the non-null values) as an id token: integers in decimal (unsigned
    /// types as unsigned), text as it is, booleans `true`/`false`, floats in Swift's shortest
    /// form.
    public func token(at index: Int) -> String {
        switch values {
        case let .int32(v): isUnsigned ? String(UInt32(bitPattern: v[index])) : String(v[index])
        case let .int64(v): isUnsigned ? String(UInt64(bitPattern: v[index])) : String(v[index])
        case let .byteArray(v): v.string(at: index)
        case let .boolean(v): v[index] ? "true" : "false"
        case let .float(v): "\(v[index])"
        case let .double(v): "\(v[index])"
        }
    }

    /// Every non-null value as a Double, for values and times: numbers as they are (integers
    /// past 2^53 rounded), timestamps in seconds since 1970 and dates as the seconds of their
    /// midnight (UTC). Text and booleans are not numbers: nil, with the reason for the caller.
    public func numbers() -> (values: [Double]?, refusal: String?) {
        switch (values, logicalType) {
        case let (.int64(v), .timestamp(unit, _)?):
            let perSecond = unit.perSecond
            return (v.map { Double($0) / perSecond }, nil)
        case let (.int32(v), .date?):
            return (v.map { Double($0) * 86400 }, nil)
        case let (.int32(v), _):
            return (isUnsigned ? v.map { Double(UInt32(bitPattern: $0)) } : v.map(Double.init), nil)
        case let (.int64(v), _):
            return (isUnsigned ? v.map { Double(UInt64(bitPattern: $0)) } : v.map(Double.init), nil)
        case let (.float(v), _):
            return (v.map(Double.init), nil)
        case let (.double(v), _):
            return (v, nil)
        case (.byteArray, _), (.boolean, _):
            return (nil, "holds \(logicalType?.name ?? physicalType.name) values, not numbers")
        }
    }
}
