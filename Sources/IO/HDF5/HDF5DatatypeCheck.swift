import Foundation

/// Checks that an encoded datatype lies within its bytes. HDF5 1.10 decodes one without bounds:
/// it copied a compound or enum member name (`strdup`) from past the end of an object header.
///
/// Layout (HDF5 file format specification, datatype message): the class in the low 4 bits of
/// the first byte and the version in the high 4, 3 bytes of class bits, the size (4), then
/// properties by class: fixed-point and bitfield 4 bytes, floating-point 12, time 2, opaque a
/// tag of (class bits & 0xff) bytes; compound, per member (the count in the low 16 class bits),
/// a NUL-terminated name (padded to 8 bytes before version 3), its offset (4 bytes, before
/// version 3; else as many as the size needs), 28 bytes of dimensions in version 1, and its
/// type; enum its base type, the names as a compound's, then a value of the base size each;
/// variable-length its base type; array the rank, 3 reserved bytes (version 2), the dimensions
/// (4 bytes each), their permutation (version 2), then its base type.
struct HDF5DatatypeCheck {
    let bytes: [UInt8]
    var at = 0
    /// How deeply types may nest.
    static let depthLimit = 32

    /// Whether `bytes` hold a datatype whose properties and nested types all lie within them.
    static func fits(_ bytes: ArraySlice<UInt8>) -> Bool {
        var check = HDF5DatatypeCheck(bytes: Array(bytes))
        return check.type(depth: 0) != nil
    }

    private mutating func take(_ count: Int) -> Bool {
        guard count >= 0, at + count <= bytes.count else { return false }
        at += count
        return true
    }

    private mutating func unsigned(_ width: Int) -> UInt64? {
        var c = HDF5FieldCursor(bytes: bytes, at: at, offsetSize: 8, lengthSize: 8)
        guard let v = c.unsigned(width) else { return nil }
        at = c.at
        return v
    }

    /// Moves past a NUL-terminated name, padded to 8 bytes before version 3.
    private mutating func name(version: UInt8) -> Bool {
        guard at < bytes.count, let nul = bytes[at...].firstIndex(of: 0) else { return false }
        let length = nul - at
        return take(version < 3 ? (length + 8) / 8 * 8 : length + 1)
    }

    /// Moves past one datatype; its size, or nil when it runs past the bytes.
    private mutating func type(depth: Int) -> UInt64? {
        guard depth < HDF5DatatypeCheck.depthLimit, let head = unsigned(1), let bits = unsigned(3), let size = unsigned(4) else { return nil }
        let (kind, version) = (head & 0x0f, UInt8(head >> 4))
        switch kind {
        case 0, 4: guard take(4) else { return nil }
        case 1: guard take(12) else { return nil }
        case 2: guard take(2) else { return nil }
        case 3, 7: break
        case 5: guard take(Int(bits & 0xff)) else { return nil }
        case 6: guard members(Int(bits & 0xffff), version: version, size: size, depth: depth) else { return nil }
        case 8:
            let count = Int(bits & 0xffff)
            guard let base = type(depth: depth + 1) else { return nil }
            for _ in 0..<count where !name(version: version) { return nil }
            guard base <= UInt64(bytes.count), take(count * Int(base)) else { return nil }
        case 9: guard type(depth: depth + 1) != nil else { return nil }
        case 10:
            guard let rank = unsigned(1), take(version < 3 ? 3 : 0), take(4 * Int(rank) * (version < 3 ? 2 : 1)),
                  type(depth: depth + 1) != nil else { return nil }
        default: return nil
        }
        return size
    }

    private mutating func members(_ count: Int, version: UInt8, size: UInt64, depth: Int) -> Bool {
        var width = 1
        while width < 4 && size >> (8 * width) != 0 { width += 1 }
        for _ in 0..<count {
            guard name(version: version), take(version < 3 ? 4 : width), take(version == 1 ? 28 : 0),
                  type(depth: depth + 1) != nil else { return false }
        }
        return true
    }
}
