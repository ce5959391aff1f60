import Foundation

/// Checks stored variable-length string references against the global heap collections they
/// point into, reading the file's bytes directly. HDF5 1.10 trusts a damaged collection: it
/// copied past its buffer, or looped for ever (a free-space object of size 0), inside `H5Dread`
/// and `H5Aread`.
///
/// Layout (HDF5 file format specification): each element is a 4-byte length, a collection
/// address and a 4-byte object index; the null string has address 0. A collection is `GCOL`,
/// version 1, 3 reserved bytes, its size (a length), then objects of a 2-byte index, a 2-byte
/// reference count, 4 reserved bytes, a size (a length) and the data padded to 8 bytes; index 0
/// is free space whose size counts its own header. HDF5 walks the objects by exactly these
/// steps, and stores `length` × (base type size) bytes for an element of `length` characters.
struct GlobalHeapCheck {
    let file: HDF5RawFile
    /// Object sizes by index, per collection address.
    private var collections: [UInt64: [UInt32: UInt64]] = [:]

    /// The check of the file at `path`, nil when it has no superblock this check reads.
    init?(path: String) {
        guard let file = HDF5RawFile(path: path), file.understood else { return nil }
        self.file = file
    }

    /// The bytes of one stored reference.
    var referenceSize: Int { 8 + file.offsetSize }

    /// The sizes of the objects HDF5 can read from the collection at `address`, or nil when
    /// HDF5's walk of it would stall or wrap, or the collection leaves the file.
    mutating func collection(at address: UInt64) -> [UInt32: UInt64]? {
        if let known = collections[address] { return known }
        let L = file.lengthSize
        guard let head = file.bytes(at: address, 8 + L) else { return nil }
        var c = file.cursor(head)
        // HDF5 makes every collection at least 4096 bytes, and reads that much of it first.
        guard c.expect("GCOL"), c.unsigned(1) == 1, c.skip(3), let size = c.length(), size >= 4096,
              size <= file.addressSpace, let body = file.bytes(at: address, Int(size)) else { return nil }
        let objectHeader = 8 + L
        var objects: [UInt32: UInt64] = [:]
        var at = objectHeader
        while at < body.count && at + objectHeader <= body.count {
            var o = file.cursor(body, at: at)
            guard let index = o.unsigned(2), o.skip(6), let objectSize = o.length() else { return nil }
            // A step past the end ends HDF5's walk, and that object is unreadable; a step of 0
            // repeats for ever, one near 2⁶⁴ wraps HDF5's pointer, and a repeated index
            // replaces the earlier object in HDF5's table.
            guard objectSize > 0 || index > 0, objectSize < 1 << 62, index == 0 || objects[UInt32(index)] == nil else { return nil }
            let need = index == 0 ? objectSize : UInt64(objectHeader) + ((objectSize + 7) & ~7)
            guard need <= UInt64(body.count - at) else { break }
            if index > 0 { objects[UInt32(index)] = objectSize }
            at += Int(need)
        }
        collections[address] = objects
        return objects
    }

    /// Nil when each of the `count` references stored at `address` is null or names an object
    /// of its collection holding exactly its `length` × `baseSize` bytes; else the position of
    /// the first that does not.
    mutating func firstBadReference(at address: UInt64, count: Int, baseSize: Int = 1) -> Int? {
        guard let refs = file.bytes(at: address, count * referenceSize) else { return 0 }
        var c = file.cursor(refs)
        for k in 0..<count {
            guard let length = c.unsigned(4), let collection = c.offset(), let index = c.unsigned(4) else { return k }
            if collection == 0 { continue }
            guard let objects = self.collection(at: collection), let size = objects[UInt32(index)],
                  size == length * UInt64(baseSize) else { return k }
        }
        return nil
    }
}

extension GlobalHeapCheck {
    /// The file address of the value of the attribute `name` in the object header at `header`,
    /// and the bytes its message holds from there; nil when it is not stored there (dense
    /// attribute storage, a message shared through the file's table: left to HDF5).
    func attributeValueAddress(_ name: String, header: UInt64) -> (address: UInt64, bytes: Int, declared: UInt64?)? {
        guard let messages = file.headerMessages(at: header) else { return nil }
        let wanted = Array(name.utf8)
        for message in messages where message.type == HDF5HeaderMessage.attribute && message.flags & 0x02 == 0 {
            guard let attribute = HDF5AttributeMessage(message.data), attribute.name == wanted else { continue }
            return (message.address + UInt64(attribute.valueStart), attribute.valueRoom, attribute.valueSize(lengthSize: file.lengthSize))
        }
        return nil
    }
}
