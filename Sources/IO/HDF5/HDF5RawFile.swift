import Foundation

/// An HDF5 file's bytes, read directly for the checks mftool makes before libhdf5 follows
/// metadata it trusts (``GroupStructureCheck``, ``GlobalHeapCheck``). Addresses count from the
/// superblock, which HDF5 looks for at offset 0, 512, 1024, 2048, … (a user block precedes it).
///
/// Superblock (HDF5 file format specification): the signature, then a version byte. Versions 0
/// and 1 give the sizes of offsets and lengths at bytes 13–14 and the group B-tree K values at
/// 16–19, then (after 4 more bytes in version 1) four addresses and the root group's symbol
/// table entry. Versions 2 and 3 give the sizes at bytes 9–10, then the base, superblock
/// extension, end-of-file and root object header addresses.
final class HDF5RawFile {
    let fd: Int32
    let fileSize: UInt64
    /// The file offset of the superblock, from which every address counts.
    private(set) var base: UInt64 = 0
    private(set) var superblockVersion = 0
    /// The byte widths of a file address and of a length, from the superblock.
    private(set) var offsetSize = 8
    private(set) var lengthSize = 8

    /// Opens `path` and finds its superblock; nil when the file cannot be read or has no
    /// HDF5 signature (HDF5 then refuses it by itself).
    init?(path: String) {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); return nil }
        fileSize = UInt64(info.st_size)
        guard let found = locateSuperblock() else { return nil }
        base = found
        guard let head = bytes(at: 0, 16) else { return nil }
        superblockVersion = Int(head[8])
        let sizes = superblockVersion <= 1 ? (head[13], head[14]) : (head[9], head[10])
        offsetSize = Int(sizes.0)
        lengthSize = Int(sizes.1)
        guard understood else { return }
        // Versions 0–1: base, free-space and end-of-file addresses after the K values and flags
        // (and 4 more bytes in version 1); versions 2–3: base, extension, end-of-file.
        let at = superblockVersion == 0 ? 24 + 2 * offsetSize : superblockVersion == 1 ? 28 + 2 * offsetSize : 12 + 2 * offsetSize
        if let fields = bytes(at: UInt64(at), offsetSize) {
            var c = cursor(fields)
            endOfFile = c.offset() ?? UInt64.max
        }
    }

    deinit { close(fd) }

    private func locateSuperblock() -> UInt64? {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
        var at: UInt64 = 0
        while at < fileSize {
            if absoluteBytes(at, 8) == signature { return at }
            at = at == 0 ? 512 : at * 2
        }
        return nil
    }

    /// Whether the superblock is one this reader understands: versions 0–3, with addresses and
    /// lengths of 2, 4 or 8 bytes (HDF5 also allows 16 and 32, which no known writer uses).
    var understood: Bool {
        superblockVersion <= 3 && [2, 4, 8].contains(offsetSize) && [2, 4, 8].contains(lengthSize)
    }

    /// The superblock's end-of-file address: HDF5 refuses to read past it.
    private(set) var endOfFile = UInt64.max

    /// The addresses HDF5 reads: the file from its superblock on, up to its end-of-file address.
    var addressSpace: UInt64 { Swift.min(fileSize - base, endOfFile) }

    private func absoluteBytes(_ offset: UInt64, _ count: Int) -> [UInt8]? {
        guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return n == count ? out : nil
    }

    /// `count` bytes at file address `address`, or nil when they are not all in the file.
    func bytes(at address: UInt64, _ count: Int) -> [UInt8]? {
        guard address <= addressSpace else { return nil }
        return absoluteBytes(base + address, count)
    }

    /// A reader of the fields of `bytes`, sized as this file's addresses and lengths.
    func cursor(_ bytes: [UInt8], at start: Int = 0) -> HDF5FieldCursor {
        HDF5FieldCursor(bytes: bytes, at: start, offsetSize: offsetSize, lengthSize: lengthSize)
    }

    /// Versions 0–1: the group B-tree K values (leaf, internal), and the root group's object
    /// header address with its cached symbol table (B-tree and local heap addresses) when the
    /// entry caches one. Versions 2–3: HDF5's default K values and the root object header.
    func rootGroup() -> (leafK: Int, internalK: Int, header: UInt64, cachedTable: (UInt64, UInt64)?)? {
        guard understood else { return nil }
        if superblockVersion >= 2 {
            guard let head = bytes(at: 0, 12 + 4 * offsetSize) else { return nil }
            var c = cursor(head, at: 12)
            guard c.offset() != nil, let ext = c.offset(), c.offset() != nil, let root = c.offset() else { return nil }
            // An extension may carry other K values; its groups are left to HDF5's own checks.
            return ext == HDF5FieldCursor.undefined ? (4, 16, root, nil) : nil
        }
        let start = superblockVersion == 0 ? 24 : 28
        guard let head = bytes(at: 0, start + 5 * offsetSize + lengthSize + 24) else { return nil }
        var c = cursor(head, at: 16)
        guard let leafK = c.unsigned(2), let internalK = c.unsigned(2) else { return nil }
        c.at = start + 4 * offsetSize
        guard c.length() != nil, let header = c.offset(), let cacheType = c.unsigned(4), c.skip(4),
              let tree = c.offset(), let heap = c.offset() else { return nil }
        return (Int(leafK), Int(internalK), header, cacheType == 1 ? (tree, heap) : nil)
    }
}

/// Reads little-endian fields from a byte array; each read is nil past its end.
struct HDF5FieldCursor {
    /// HDF5's undefined address (all bits set, whatever the width), widened.
    static let undefined = UInt64.max

    let bytes: [UInt8]
    var at: Int
    let offsetSize: Int
    let lengthSize: Int

    /// An unsigned little-endian integer of `width` bytes (at most 8).
    mutating func unsigned(_ width: Int) -> UInt64? {
        guard width <= 8, at >= 0, at + width <= bytes.count else { return nil }
        var v: UInt64 = 0
        for k in 0..<width { v |= UInt64(bytes[at + k]) << (8 * k) }
        at += width
        return v
    }

    /// A file address, with the all-ones undefined address of any width as ``undefined``.
    mutating func offset() -> UInt64? {
        guard let v = unsigned(offsetSize) else { return nil }
        return offsetSize < 8 && v == (UInt64(1) << (8 * offsetSize)) - 1 ? HDF5FieldCursor.undefined : v
    }

    mutating func length() -> UInt64? { unsigned(lengthSize) }

    /// Moves `count` bytes on; false when that passes the end.
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, at + count <= bytes.count else { return false }
        at += count
        return true
    }

    /// Whether the bytes at the cursor spell `signature`; moves past them when they do.
    mutating func expect(_ signature: String) -> Bool {
        let s = Array(signature.utf8)
        guard at + s.count <= bytes.count, Array(bytes[at..<(at + s.count)]) == s else { return false }
        at += s.count
        return true
    }
}
