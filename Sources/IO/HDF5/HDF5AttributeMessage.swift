import Foundation

/// The fields of an attribute message, read from its bytes. HDF5 1.10 decodes one without
/// checking it against the message's size: it copied a name, a datatype, a dataspace or a value
/// from past the end of its buffer (in `H5Aexists_by_name`, which decodes every attribute).
///
/// Layout (HDF5 file format specification): a version byte (1–3), a reserved byte (version 1)
/// or flags (bit 0: the datatype is shared; bit 1: the dataspace is), the name, datatype and
/// dataspace sizes (2 bytes each), an encoding byte in version 3, then the NUL-terminated name,
/// the datatype and the dataspace, each padded to 8 bytes in version 1, then the value:
/// datatype size × element count bytes.
struct HDF5AttributeMessage {
    /// The name without its NUL.
    let name: [UInt8]
    let datatype: ArraySlice<UInt8>
    let dataspace: ArraySlice<UInt8>
    let sharedType: Bool
    /// Where the value starts in the message, and how many bytes the message holds from there.
    let valueStart: Int
    let valueRoom: Int

    /// The fields of `data`, or nil when they do not fit in it or the name has no NUL.
    init?(_ data: [UInt8]) {
        var c = HDF5FieldCursor(bytes: data, at: 0, offsetSize: 8, lengthSize: 8)
        guard let version = c.unsigned(1), (1...3).contains(version), let flags = c.unsigned(1),
              let nameSize = c.unsigned(2), let typeSize = c.unsigned(2), let spaceSize = c.unsigned(2),
              version < 3 || c.skip(1) else { return nil }
        let padded = { (n: UInt64) in version == 1 ? Int((n + 7) & ~7) : Int(n) }
        let nameStart = c.at
        guard nameSize > 0, c.skip(padded(nameSize)), data[nameStart + Int(nameSize) - 1] == 0 else { return nil }
        let typeStart = c.at
        guard c.skip(padded(typeSize)) else { return nil }
        let spaceStart = c.at
        guard c.skip(padded(spaceSize)) else { return nil }
        let nameEnd = data[nameStart..<(nameStart + Int(nameSize))].firstIndex(of: 0) ?? nameStart
        name = Array(data[nameStart..<nameEnd])
        datatype = data[typeStart..<(typeStart + Int(typeSize))]
        dataspace = data[spaceStart..<(spaceStart + Int(spaceSize))]
        sharedType = version > 1 && flags & 0x01 != 0
        valueStart = c.at
        valueRoom = data.count - c.at
    }

    /// The value's size in bytes (`UInt64.max` when it overflows), nil when it cannot be told:
    /// a shared datatype, an unknown dataspace version.
    ///
    /// A datatype gives its size in bytes 4–7. A dataspace is a version byte, the rank, flags,
    /// then a reserved byte and 4 more (version 1) or its type (version 2: 0 scalar, 1 simple,
    /// 2 null), then the dimensions (lengths).
    func valueSize(lengthSize: Int) -> UInt64? {
        guard !sharedType, datatype.count >= 8 else { return nil }
        var t = HDF5FieldCursor(bytes: Array(datatype), at: 4, offsetSize: 8, lengthSize: lengthSize)
        var s = HDF5FieldCursor(bytes: Array(dataspace), at: 0, offsetSize: 8, lengthSize: lengthSize)
        guard let width = t.unsigned(4), let version = s.unsigned(1), let rank = s.unsigned(1), s.skip(1) else { return nil }
        switch version {
        case 1: guard s.skip(5) else { return nil }
        case 2:
            guard let kind = s.unsigned(1) else { return nil }
            if kind == 2 { return 0 }
        default: return nil
        }
        var count: UInt64 = 1
        for _ in 0..<rank {
            guard let dim = s.length() else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { return UInt64.max }
            count = product
        }
        let (size, overflow) = count.multipliedReportingOverflow(by: width)
        return overflow ? UInt64.max : size
    }
}
