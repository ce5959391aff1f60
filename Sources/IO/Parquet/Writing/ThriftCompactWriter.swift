/// A writer of Apache Thrift's compact protocol, the counterpart of ``ThriftCompactReader`` for
/// the footer and page headers mftool writes: zigzag varints for i16/i32/i64, length-prefixed
/// binary, structs as delta-coded field headers ending in a stop byte, lists with their element
/// type and size in the header.
struct ThriftCompactWriter {
    typealias WireType = ThriftCompactReader.WireType

    private(set) var bytes: [UInt8] = []
    /// The last field id written in each open struct, innermost last.
    private var lastField: [Int16] = [0]

    // MARK: fields of the open struct

    mutating func i32(_ id: Int16, _ value: Int32) {
        header(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        header(id, .i64)
        varint(zigzag(value))
    }

    mutating func string(_ id: Int16, _ value: String) {
        header(id, .binary)
        binary(value)
    }

    /// Opens a struct field; its fields follow, then ``endStruct()``.
    mutating func beginStruct(_ id: Int16) {
        header(id, .structure)
        lastField.append(0)
    }

    /// Closes the innermost struct (a field's, or a list element's) with a stop byte.
    mutating func endStruct() {
        bytes.append(WireType.stop.rawValue)
        lastField.removeLast()
    }

    /// Opens a list field of `count` elements of `type`; the elements follow, written with the
    /// `element…` methods (a struct element between ``beginElement()`` and ``endStruct()``).
    mutating func beginList(_ id: Int16, of type: WireType, count: Int) {
        header(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    // MARK: list elements

    mutating func element(_ value: Int32) { varint(zigzag(Int64(value))) }

    mutating func element(_ value: String) { binary(value) }

    /// Opens a struct element of a list; close it with ``endStruct()``.
    mutating func beginElement() { lastField.append(0) }

    /// Ends the top-level struct.
    mutating func finish() { bytes.append(WireType.stop.rawValue) }

    // MARK: encoding

    private mutating func header(_ id: Int16, _ type: WireType) {
        let delta = Int(id) - Int(lastField[lastField.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastField[lastField.count - 1] = id
    }

    private mutating func binary(_ value: String) {
        let utf8 = Array(value.utf8)
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
