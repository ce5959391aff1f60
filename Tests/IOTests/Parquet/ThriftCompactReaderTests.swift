@testable import IO
import Testing

/// Compact-protocol bytes built by hand, as the specification lays them out.
struct ThriftBytes {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A field header with a delta (1…15) or, for delta 0, the id in full.
    mutating func field(delta: Int, type: UInt8, id: Int16 = 0) {
        bytes.append(UInt8(delta << 4) | type)
        if delta == 0 { zigzag(Int64(id)) }
    }

    mutating func binary(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes += Array(text.utf8)
    }

    mutating func stop() { bytes.append(0) }
}

/// `body`'s result on a reader of `bytes`.
func thrift<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ThriftError) -> T) throws(ThriftError) -> T {
    let result: Result<T, ThriftError> = bytes.withUnsafeBytes { raw in
        var r = ThriftCompactReader(raw)
        return Result { () throws(ThriftError) in try body(&r) }
    }
    return try result.get()
}

/// Reads `bytes` as one struct, recording each field as "id:type=value" (i32, i64, string and
/// bool fields; others skipped as "id:type").
func fieldsOf(_ bytes: [UInt8]) throws(ThriftError) -> [String] {
    var fields: [String] = []
    let result: Result<Void, ThriftError> = bytes.withUnsafeBytes { raw in
        var r = ThriftCompactReader(raw)
        return Result { () throws(ThriftError) in
            try r.readStruct { r, f throws(ThriftError) in
                switch f.type {
                case .i32: fields.append("\(f.id):i32=\(try r.i32(f))")
                case .i64: fields.append("\(f.id):i64=\(try r.i64(f))")
                case .binary: fields.append("\(f.id):string=\(try r.string(f))")
                case .boolTrue, .boolFalse: fields.append("\(f.id):bool=\(try r.bool(f))")
                default: fields.append("\(f.id):\(f.type.name)"); try r.skip(f)
                }
            }
            guard r.remaining == 0 else { throw r.failure("\(r.remaining) bytes after the struct") }
        }
    }
    try result.get()
    return fields
}

@Suite("Thrift compact protocol")
struct ThriftCompactReaderTests {
    @Test("varints and zigzag values decode at their limits")
    func varints() throws {
        for value: Int64 in [0, -1, 1, -2, 63, -64, 300, Int64(Int32.max), Int64(Int32.min), .max, .min] {
            var w = ThriftBytes()
            w.zigzag(value)
            let decoded = try thrift(w.bytes) { r throws(ThriftError) in try r.i64() }
            #expect(decoded == value)
        }
        // 300 is 0xAC 0x02 on the wire (unsigned varint).
        let raw: [UInt8] = [0xAC, 0x02]
        let v = try thrift(raw) { r throws(ThriftError) in try r.varint() }
        #expect(v == 300)
    }

    @Test("a varint past 64 bits, an i32 out of range and a cut varint are errors")
    func badVarints() {
        let cases: [([UInt8], String)] = [
            (Array(repeating: 0xFF, count: 10) + [0x01], "varint longer than 64 bits"),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], "varint longer than 64 bits"),
            ([0x80, 0x80], "ends in the middle of a value"),
        ]
        for (bytes, message) in cases {
            #expect(throws: ThriftError.self) { _ = try thrift(bytes) { r throws(ThriftError) in try r.varint() } }
            let error = bytes.withUnsafeBytes { raw -> ThriftError? in
                var r = ThriftCompactReader(raw)
                do throws(ThriftError) { _ = try r.varint(); return nil } catch { return error }
            }
            #expect(error?.message == message)
        }
        var w = ThriftBytes()
        w.zigzag(Int64(Int32.max) + 1)
        let error = w.bytes.withUnsafeBytes { raw -> ThriftError? in
            var r = ThriftCompactReader(raw)
            do throws(ThriftError) { _ = try r.i32(); return nil } catch { return error }
        }
        #expect(error?.message == "i32 out of range: 2147483648")
    }

    @Test("field ids by delta and in long form, bools in the header, binary, stop")
    func structFields() throws {
        var w = ThriftBytes()
        w.field(delta: 1, type: 5); w.zigzag(-7)            // 1: i32
        w.field(delta: 3, type: 8); w.binary("héllo")       // 4: string
        w.field(delta: 1, type: 1)                          // 5: true
        w.field(delta: 1, type: 2)                          // 6: false
        w.field(delta: 0, type: 6, id: 300); w.zigzag(1 << 40)  // 300: i64, long form
        w.field(delta: 2, type: 5); w.zigzag(9)             // 302: i32, delta from the long id
        w.stop()
        #expect(try fieldsOf(w.bytes) == ["1:i32=-7", "4:string=héllo", "5:bool=true", "6:bool=false",
                                          "300:i64=1099511627776", "302:i32=9"])
    }

    @Test("unknown fields of every type are skipped: nested structs, lists, sets, maps, doubles, uuids")
    func skipping() throws {
        var w = ThriftBytes()
        w.field(delta: 1, type: 12)                          // 1: struct { 1: i32, 2: struct { 1: binary } }
        w.field(delta: 1, type: 5); w.zigzag(5)
        w.field(delta: 1, type: 12); w.field(delta: 1, type: 8); w.binary("x"); w.stop()
        w.stop()
        w.field(delta: 1, type: 9); w.bytes.append(0x35); for v: Int64 in [1, 2, 3] { w.zigzag(v) }   // 2: list<i32>[3]
        w.field(delta: 1, type: 9); w.bytes.append(0xF1); w.varint(16)                             // 3: list<bool>[16]
        w.bytes += Array(repeating: 1, count: 8) + Array(repeating: 2, count: 8)
        w.field(delta: 1, type: 10); w.bytes.append(0x28); w.binary("a"); w.binary("b")            // 4: set<binary>[2]
        w.field(delta: 1, type: 11); w.varint(2); w.bytes.append(0x85)                             // 5: map<binary, i32>
        w.binary("k"); w.zigzag(1); w.binary("l"); w.zigzag(2)
        w.field(delta: 1, type: 11); w.varint(0)                                                   // 6: empty map
        w.field(delta: 1, type: 7); w.bytes += [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]                      // 7: double 1.0
        w.field(delta: 1, type: 13); w.bytes += Array(repeating: 0xAB, count: 16)                 // 8: uuid
        w.field(delta: 1, type: 3); w.bytes.append(0xFE)                                          // 9: i8
        w.field(delta: 1, type: 5); w.zigzag(42)                                                  // 10: i32, read
        w.stop()
        #expect(try fieldsOf(w.bytes) == ["1:struct", "2:list", "3:list", "4:set", "5:map", "6:map", "7:double", "8:uuid", "9:i8", "10:i32=42"])
    }

    @Test("typed list reads check the element type and read every element")
    func lists() throws {
        var w = ThriftBytes()
        w.field(delta: 1, type: 9); w.bytes.append(0x38); w.binary("a"); w.binary("bc"); w.binary("")
        w.field(delta: 1, type: 9); w.bytes.append(0x25); w.zigzag(4); w.zigzag(-4)
        w.stop()
        var strings: [String] = []
        var ints: [Int32] = []
        try thrift(w.bytes) { r throws(ThriftError) in
            try r.readStruct { r, f throws(ThriftError) in
                if f.id == 1 { strings = try r.list(f, of: .binary) { r throws(ThriftError) in try r.string() } }
                if f.id == 2 { ints = try r.list(f, of: .i32) { r throws(ThriftError) in try r.i32() } }
            }
        }
        #expect(strings == ["a", "bc", ""])
        #expect(ints == [4, -4])
        // The same list read as i64 is refused by type.
        let error = w.bytes.withUnsafeBytes { raw -> ThriftError? in
            var r = ThriftCompactReader(raw)
            do throws(ThriftError) {
                try r.readStruct { r, f throws(ThriftError) in _ = try r.list(f, of: .i64) { r throws(ThriftError) in try r.i64() } }
                return nil
            } catch { return error }
        }
        #expect(error?.message == "list of binary where i64 was expected")
    }

    @Test("a field of another wire type than expected is an error naming the field")
    func wrongFieldType() {
        var w = ThriftBytes()
        w.field(delta: 2, type: 8); w.binary("x"); w.stop()
        let error = w.bytes.withUnsafeBytes { raw -> ThriftError? in
            var r = ThriftCompactReader(raw)
            do throws(ThriftError) { try r.readStruct { r, f throws(ThriftError) in _ = try r.i32(f) }; return nil } catch { return error }
        }
        #expect(error?.message == "field 2 has type binary, expected i32")
    }

    @Test("damaged input: every truncation and single-byte change is an error or a value, never a crash or hang")
    func damagedInput() {
        var w = ThriftBytes()
        w.field(delta: 1, type: 5); w.zigzag(123_456)
        w.field(delta: 1, type: 12); w.field(delta: 1, type: 9); w.bytes.append(0x28); w.binary("abc"); w.binary("de"); w.stop()
        w.field(delta: 1, type: 11); w.varint(1); w.bytes.append(0x88); w.binary("k"); w.binary("v")
        w.field(delta: 1, type: 8); w.binary("tail")
        w.stop()
        let good = w.bytes
        #expect((try? fieldsOf(good)) != nil)
        for cut in 0..<good.count {
            #expect(throws: ThriftError.self, "cut at \(cut)") { _ = try fieldsOf(Array(good[..<cut])) }
        }
        for index in good.indices {
            for flip: UInt8 in [0x01, 0x10, 0x80, 0xFF] {
                var bad = good
                bad[index] ^= flip
                _ = try? fieldsOf(bad)   // must return or throw
            }
        }
    }

    @Test("declared sizes larger than the bytes left are refused before anything is allocated")
    func lyingSizes() {
        var list = ThriftBytes()
        list.field(delta: 1, type: 9); list.bytes.append(0xF5); list.varint(1 << 40); list.stop()
        var binary = ThriftBytes()
        binary.field(delta: 1, type: 8); binary.varint(UInt64.max >> 1); binary.stop()
        var map = ThriftBytes()
        map.field(delta: 1, type: 11); map.varint(1 << 30); map.bytes.append(0x55); map.stop()
        for (bytes, message) in [(list.bytes, "list of 1099511627776 elements where 1 bytes are left"),
                                 (binary.bytes, "binary of 9223372036854775807 bytes where 1 are left"),
                                 (map.bytes, "map of 1073741824 entries where 2 bytes are left")] {
            #expect(throws: ThriftError(offset: 1, message: message)) { _ = try fieldsOf(bytes) }
        }
    }

    @Test("nesting deeper than the limit is refused, not followed")
    func depthLimit() {
        var deep = ThriftBytes()
        for _ in 0..<10_000 { deep.field(delta: 1, type: 12) }
        let error = deep.bytes.withUnsafeBytes { raw -> ThriftError? in
            var r = ThriftCompactReader(raw)
            do throws(ThriftError) { try r.skip(.structure); return nil } catch { return error }
        }
        #expect(error?.message == "nested deeper than \(ThriftCompactReader.maxDepth) levels")
        var lists = ThriftBytes()
        lists.field(delta: 1, type: 9)
        for _ in 0..<10_000 { lists.bytes.append(0x19) }
        #expect(throws: ThriftError.self) { _ = try fieldsOf(lists.bytes) }
    }
}
