/// A failure decoding Thrift: what was expected and the byte offset where decoding stopped.
struct ThriftError: Error, Equatable {
    let offset: Int
    let message: String
}

/// A reader of Apache Thrift's compact protocol, as Parquet stores its footer and page headers:
/// zigzag varints for i16/i32/i64, one byte for i8, little-endian doubles, length-prefixed
/// binary, structs as delta-coded field headers ending in a stop byte (booleans carried in the
/// header's type), lists, sets and maps. Every read is checked against the end of the bytes and
/// every count against the bytes left (each element takes at least one), nesting is limited to
/// ``maxDepth``, so damaged input ends in a ``ThriftError``, never a crash, a hang or a huge
/// allocation. The bytes must outlive the reader.
struct ThriftCompactReader {
    /// The wire types of the compact protocol.
    enum WireType: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12, uuid = 13

        /// The name for messages.
        var name: String {
            switch self {
            case .stop: "stop"
            case .boolTrue, .boolFalse: "bool"
            case .byte: "i8"
            case .i16: "i16"
            case .i32: "i32"
            case .i64: "i64"
            case .double: "double"
            case .binary: "binary"
            case .list: "list"
            case .set: "set"
            case .map: "map"
            case .structure: "struct"
            case .uuid: "uuid"
            }
        }

        /// Whether `other` is the same type (the two boolean codes are one type).
        func matches(_ other: WireType) -> Bool {
            let bools: Set<WireType> = [.boolTrue, .boolFalse]
            return self == other || (bools.contains(self) && bools.contains(other))
        }
    }

    /// A struct field's header: its id and wire type.
    struct Field {
        let id: Int16
        let type: WireType
    }

    /// Structs, lists and maps deeper than this are refused (Parquet's own nest a few levels).
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private(set) var position: Int
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - position }

    func failure(_ message: String) -> ThriftError { ThriftError(offset: position, message: message) }

    // MARK: base types

    mutating func byte() throws(ThriftError) -> UInt8 {
        guard position < bytes.count else { throw failure("ends in the middle of a value") }
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned LEB128 varint of at most 10 bytes (64 bits).
    mutating func varint() throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<10 {
            let b = try byte()
            if index == 9 && b > 1 { throw failure("varint longer than 64 bits") }
            result |= UInt64(b & 0x7f) << (7 * UInt64(index))
            if b & 0x80 == 0 { return result }
        }
        throw failure("varint longer than 64 bits")
    }

    /// A zigzag varint, as i16, i32 and i64 are sent.
    mutating func zigzag() throws(ThriftError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i8() throws(ThriftError) -> Int8 { Int8(bitPattern: try byte()) }

    mutating func i16() throws(ThriftError) -> Int16 {
        let start = position
        let v = try zigzag()
        guard let narrow = Int16(exactly: v) else { throw ThriftError(offset: start, message: "i16 out of range: \(v)") }
        return narrow
    }

    mutating func i32() throws(ThriftError) -> Int32 {
        let start = position
        let v = try zigzag()
        guard let narrow = Int32(exactly: v) else { throw ThriftError(offset: start, message: "i32 out of range: \(v)") }
        return narrow
    }

    mutating func i64() throws(ThriftError) -> Int64 { try zigzag() }

    mutating func double() throws(ThriftError) -> Double {
        let raw = try take(8)
        var bits: UInt64 = 0
        for i in (0..<8).reversed() { bits = bits << 8 | UInt64(raw[i]) }
        return Double(bitPattern: bits)
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) throws(ThriftError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw failure("declares \(count) bytes where \(remaining) are left")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// Length-prefixed bytes.
    mutating func binary() throws(ThriftError) -> UnsafeRawBufferPointer {
        let start = position
        let length = try varint()
        guard length <= UInt64(remaining) else {
            throw ThriftError(offset: start, message: "binary of \(length) bytes where \(remaining) are left")
        }
        return try take(Int(length))
    }

    /// Length-prefixed bytes that must be UTF-8 text.
    mutating func string() throws(ThriftError) -> String {
        let start = position
        let raw = try binary()
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw ThriftError(offset: start, message: "string is not valid UTF-8")
        }
        return text
    }

    // MARK: structs

    /// Reads one struct: calls `body` with each field's header, which must read the field's value
    /// (a typed read below) or call ``skip(_:)``. Ids are delta-coded from the previous field, or
    /// sent in full after a zero delta.
    mutating func readStruct(_ body: (inout ThriftCompactReader, Field) throws(ThriftError) -> Void) throws(ThriftError) {
        try enter()
        defer { depth -= 1 }
        var lastID: Int16 = 0
        while true {
            let start = position
            let header = try byte()
            if header == 0 { return }
            guard let type = WireType(rawValue: header & 0x0f), type != .stop else {
                throw ThriftError(offset: start, message: "unknown field type \(header & 0x0f)")
            }
            let delta = Int16(header >> 4)
            let id = delta == 0 ? try i16() : lastID &+ delta
            lastID = id
            try body(&self, Field(id: id, type: type))
        }
    }

    private mutating func enter() throws(ThriftError) {
        guard depth < Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        depth += 1
    }

    /// Throws unless `field` has wire type `type`.
    func expect(_ field: Field, _ type: WireType) throws(ThriftError) {
        guard field.type.matches(type) else {
            throw failure("field \(field.id) has type \(field.type.name), expected \(type.name)")
        }
    }

    /// A boolean struct field: its value is the header's type.
    func bool(_ field: Field) throws(ThriftError) -> Bool {
        try expect(field, .boolTrue)
        return field.type == .boolTrue
    }

    mutating func i8(_ field: Field) throws(ThriftError) -> Int8 { try expect(field, .byte); return try i8() }
    mutating func i16(_ field: Field) throws(ThriftError) -> Int16 { try expect(field, .i16); return try i16() }
    mutating func i32(_ field: Field) throws(ThriftError) -> Int32 { try expect(field, .i32); return try i32() }
    mutating func i64(_ field: Field) throws(ThriftError) -> Int64 { try expect(field, .i64); return try i64() }
    mutating func double(_ field: Field) throws(ThriftError) -> Double { try expect(field, .double); return try double() }
    mutating func binary(_ field: Field) throws(ThriftError) -> UnsafeRawBufferPointer { try expect(field, .binary); return try binary() }
    mutating func string(_ field: Field) throws(ThriftError) -> String { try expect(field, .binary); return try string() }

    /// A struct field, read by `body`.
    mutating func structure(_ field: Field, _ body: (inout ThriftCompactReader, Field) throws(ThriftError) -> Void) throws(ThriftError) {
        try expect(field, .structure)
        try readStruct(body)
    }

    /// A list (or set) field of elements of type `element`, each read by `read`.
    mutating func list<T>(_ field: Field, of element: WireType,
                          _ read: (inout ThriftCompactReader) throws(ThriftError) -> T) throws(ThriftError) -> [T] {
        guard field.type == .list || field.type == .set else {
            throw failure("field \(field.id) has type \(field.type.name), expected list")
        }
        let (count, type) = try listHeader()
        guard count == 0 || type.matches(element) else {
            throw failure("list of \(type.name) where \(element.name) was expected")
        }
        try enter()
        defer { depth -= 1 }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try read(&self)) }
        return result
    }

    /// A boolean list element: one byte, 1 for true, 0 or 2 for false.
    mutating func boolElement() throws(ThriftError) -> Bool {
        let start = position
        switch try byte() {
        case 1: return true
        case 0, 2: return false
        case let b: throw ThriftError(offset: start, message: "boolean element \(b)")
        }
    }

    /// A list or set header: the count (a nibble, or 15 and a varint) and the element type.
    /// The count is at most the bytes left, since every element takes at least one.
    private mutating func listHeader() throws(ThriftError) -> (Int, WireType) {
        let start = position
        let header = try byte()
        guard let type = WireType(rawValue: header & 0x0f), type != .stop else {
            throw ThriftError(offset: start, message: "unknown list element type \(header & 0x0f)")
        }
        let count = header >> 4 == 15 ? try varint() : UInt64(header >> 4)
        guard count <= UInt64(remaining) else {
            throw ThriftError(offset: start, message: "list of \(count) elements where \(remaining) bytes are left")
        }
        return (Int(count), type)
    }

    // MARK: skipping

    /// Reads past a value of wire type `type` (a field mftool does not use).
    mutating func skip(_ type: WireType) throws(ThriftError) {
        switch type {
        case .stop: throw failure("stop where a value was expected")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double: _ = try take(8)
        case .uuid: _ = try take(16)
        case .binary: _ = try binary()
        case .structure: try readStruct { r, f throws(ThriftError) in try r.skip(f.type) }
        case .list, .set:
            let (count, element) = try listHeader()
            try enter()
            defer { depth -= 1 }
            for _ in 0..<count { try skipElement(element) }
        case .map:
            let start = position
            let count = try varint()
            guard count <= UInt64(remaining / 2) else {
                throw ThriftError(offset: start, message: "map of \(count) entries where \(remaining) bytes are left")
            }
            guard count > 0 else { return }
            let types = try byte()
            guard let key = WireType(rawValue: types >> 4), let value = WireType(rawValue: types & 0x0f),
                  key != .stop, value != .stop else { throw failure("unknown map types \(types)") }
            try enter()
            defer { depth -= 1 }
            for _ in 0..<count {
                try skipElement(key)
                try skipElement(value)
            }
        }
    }

    /// Reads past a container element: booleans there take a byte.
    private mutating func skipElement(_ type: WireType) throws(ThriftError) {
        if type == .boolTrue || type == .boolFalse { _ = try boolElement() } else { try skip(type) }
    }

    /// Reads past the field `field`.
    mutating func skip(_ field: Field) throws(ThriftError) { try skip(field.type) }
}
