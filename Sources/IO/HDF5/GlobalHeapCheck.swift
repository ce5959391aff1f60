import Foundation

/// Checks the references of a contiguous variable-length string dataset against the global
/// heap collections they point into, reading the file's bytes directly. HDF5 1.10 trusts a
/// damaged collection: it copied past its buffer, or looped for ever, inside `H5Dread`.
///
/// Layout (HDF5 file format, version 0–3 superblocks, 8-byte offsets and lengths): each element
/// is a 4-byte length, an 8-byte collection address and a 4-byte object index; a collection is
/// `GCOL`, a version, 3 reserved bytes, its 8-byte size, then objects of a 2-byte index, a
/// 2-byte reference count, 4 reserved bytes, an 8-byte size and the data padded to 8 bytes.
struct GlobalHeapCheck {
    let path: String
    let fd: Int32
    let fileSize: UInt64
    /// Object sizes by index, per collection address.
    var collections: [UInt64: [UInt32: UInt64]] = [:]

    init?(path: String) {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); return nil }
        self.path = path
        fileSize = UInt64(info.st_size)
    }

    func closeFile() { close(fd) }

    /// `count` bytes at `offset`, or nil when they are not all in the file.
    func bytes(at offset: UInt64, _ count: Int) -> [UInt8]? {
        guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return n == count ? out : nil
    }

    static func little<T: FixedWidthInteger>(_ b: [UInt8], _ at: Int, as _: T.Type) -> T {
        var v: T = 0
        for k in 0..<MemoryLayout<T>.size { v |= T(b[at + k]) << (8 * k) }
        return v
    }

    /// Whether the superblock uses 8-byte offsets and lengths and no base address shift, the
    /// layout this check reads; other files are left to HDF5.
    func understood() -> Bool {
        guard let head = bytes(at: 0, 16), head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) else { return false }
        switch head[8] {
        case 0, 1: return head[13] == 8 && head[14] == 8
        case 2, 3: return head[9] == 8 && head[10] == 8
        default: return false
        }
    }

    /// The object sizes of the collection at `address`, or nil when it is damaged.
    mutating func collection(at address: UInt64) -> [UInt32: UInt64]? {
        if let known = collections[address] { return known }
        guard let head = bytes(at: address, 16), head.starts(with: Array("GCOL".utf8)) else { return nil }
        let size = GlobalHeapCheck.little(head, 8, as: UInt64.self)
        guard size >= 16, let body = bytes(at: address, Int(clamping: size)) else { return nil }
        var objects: [UInt32: UInt64] = [:]
        var at = 16
        while at + 16 <= body.count {
            let index = GlobalHeapCheck.little(body, at, as: UInt16.self)
            let objectSize = GlobalHeapCheck.little(body, at + 8, as: UInt64.self)
            if index == 0 { break }   // the free space runs to the end
            let padded = (objectSize + 7) & ~7
            guard objectSize <= UInt64(body.count - at - 16), objects[UInt32(index)] == nil else { return nil }
            objects[UInt32(index)] = objectSize
            at += 16 + Int(padded)
        }
        collections[address] = objects
        return objects
    }

    /// Nil when each of the `count` references stored at `offset` names an object of its
    /// collection at least as long as it says; else the position of the first that does not.
    mutating func firstBadReference(at offset: UInt64, count: Int) -> Int? {
        guard let refs = bytes(at: offset, count * 16) else { return 0 }
        for k in 0..<count {
            let length = GlobalHeapCheck.little(refs, 16 * k, as: UInt32.self)
            let address = GlobalHeapCheck.little(refs, 16 * k + 4, as: UInt64.self)
            let index = GlobalHeapCheck.little(refs, 16 * k + 12, as: UInt32.self)
            if length == 0 && address == 0 { continue }
            guard let objects = collection(at: address), let size = objects[index], UInt64(length) <= size else { return k }
        }
        return nil
    }
}
