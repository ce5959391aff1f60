/// Byte-array values one after another: value i is `bytes[offsets[i]..<offsets[i + 1]]`.
public struct ParquetByteArrays: Sendable, Equatable {
    public private(set) var offsets: [Int] = [0]
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { offsets.count - 1 }

    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[offsets[index]..<offsets[index + 1]] }

    /// Value `index` as text (every value was checked to be UTF-8 when read).
    public func string(at index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    mutating func reserve(count: Int) { offsets.reserveCapacity(count + 1) }

    mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    mutating func append(contentsOf other: ParquetByteArrays) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
    }

    /// The index of the first value that is not valid UTF-8, or nil.
    func firstInvalidUTF8() -> Int? {
        bytes.withUnsafeBufferPointer { all in
            (0..<count).first { i in
                String(validating: UnsafeBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]]), as: UTF8.self) == nil
            }
        }
    }
}

/// A column's non-null values in their physical type.
public enum ParquetValues: Sendable, Equatable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case byteArray(ParquetByteArrays)

    public var count: Int {
        switch self {
        case let .boolean(v): v.count
        case let .int32(v): v.count
        case let .int64(v): v.count
        case let .float(v): v.count
        case let .double(v): v.count
        case let .byteArray(v): v.count
        }
    }

    /// No values of `type`.
    static func empty(_ type: ParquetPhysicalType) -> ParquetValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .float: .float([])
        case .double: .double([])
        default: .byteArray(ParquetByteArrays())
        }
    }

    /// The values of `parts` (all of `type`) one after another.
    static func concatenate(_ parts: [ParquetValues], type: ParquetPhysicalType) -> ParquetValues {
        guard parts.count != 1 else { return parts[0] }
        let total = parts.reduce(0) { $0 + $1.count }
        func join<T>(_ pick: (ParquetValues) -> [T]?) -> [T] {
            var out: [T] = []
            out.reserveCapacity(total)
            for part in parts { out += pick(part) ?? [] }
            return out
        }
        switch type {
        case .boolean: return .boolean(join { if case let .boolean(v) = $0 { v } else { nil } })
        case .int32: return .int32(join { if case let .int32(v) = $0 { v } else { nil } })
        case .int64: return .int64(join { if case let .int64(v) = $0 { v } else { nil } })
        case .float: return .float(join { if case let .float(v) = $0 { v } else { nil } })
        case .double: return .double(join { if case let .double(v) = $0 { v } else { nil } })
        default:
            var arrays = ParquetByteArrays()
            arrays.reserve(count: total)
            for case let .byteArray(v) in parts { arrays.append(contentsOf: v) }
            return .byteArray(arrays)
        }
    }

    /// The dictionary's values at `indices`; an index past the dictionary is an error.
    func gather(_ indices: [UInt32]) throws(ParquetFailure) -> ParquetValues {
        let size = count
        if let bad = indices.first(where: { Int($0) >= size }) {
            throw ParquetFailure("dictionary index \(bad) out of range: the dictionary holds \(size) values")
        }
        switch self {
        case let .boolean(d): return .boolean(indices.map { d[Int($0)] })
        case let .int32(d): return .int32(indices.map { d[Int($0)] })
        case let .int64(d): return .int64(indices.map { d[Int($0)] })
        case let .float(d): return .float(indices.map { d[Int($0)] })
        case let .double(d): return .double(indices.map { d[Int($0)] })
        case let .byteArray(d):
            var arrays = ParquetByteArrays()
            arrays.reserve(count: indices.count)
            for i in indices { arrays.append(d[Int(i)]) }
            return .byteArray(arrays)
        }
    }
}
