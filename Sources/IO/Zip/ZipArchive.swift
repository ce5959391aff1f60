import Foundation

/// A zip archive (a NumPy `.npz`), read by mftool itself: the end record (ZIP64 too), the
/// central directory, and each member's local header checked against its directory entry
/// before the member's bytes, stored or deflated, are read from exactly the range the directory
/// declares. Nothing is read past the file or past a member, so a damaged archive is refused
/// with one line instead of being followed.
public struct ZipArchive {
    /// One member as the central directory declares it.
    public struct Member: Sendable {
        public let name: String
        let nameBytes: [UInt8]
        let flags: UInt16
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        public let size: Int
        let headerOffset: Int
    }

    let file: String
    /// The archive's bytes, memory-mapped.
    let bytes: Data
    public let members: [Member]
    /// The memory one member's contents may take.
    let limits: ReadLimits

    public init(path: String, limits: ReadLimits = ReadLimits()) throws(IOError) {
        file = path
        self.limits = limits
        try InputFile.check(path)
        bytes = try InputFile.contents(path, mapped: true)
        let directory = try ZipArchive.directory(bytes, file: path)
        members = try ZipArchive.members(bytes, directory: directory, file: path)
    }

    func member(named name: String) -> Member? { members.first { $0.name == name } }

    /// Reads little-endian integers of `width` bytes at `offset`, or nil past the end.
    static func uint(_ bytes: Data, _ offset: Int, _ width: Int) -> UInt64? {
        guard offset >= 0, width <= bytes.count, offset <= bytes.count - width else { return nil }
        return bytes.withUnsafeBytes { raw in
            var value: UInt64 = 0
            for i in (0..<width).reversed() { value = value << 8 | UInt64(raw[offset + i]) }
            return value
        }
    }

    static func int(_ bytes: Data, _ offset: Int, _ width: Int) -> Int? {
        uint(bytes, offset, width).flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil }
    }

    /// Where the central directory lies and how many entries it declares.
    struct Directory { let offset: Int; let size: Int; let entries: Int }

    /// Finds the end record (the last one in the file's final 64 KiB + 22 bytes, as Python's
    /// zipfile does) and, when its fields overflow, the ZIP64 end record its locator points to.
    static func directory(_ bytes: Data, file: String) throws(IOError) -> Directory {
        let damaged = { (what: String) in IOError(file: file, "\(what): not a readable .npz (zip) archive") }
        let count = bytes.count
        guard count >= 22 else { throw damaged("too short for a zip end record (\(count) bytes)") }
        var end = count - 22
        let lowest = max(0, count - 22 - 65535)
        while end >= lowest && uint(bytes, end, 4) != 0x0605_4b50 { end -= 1 }
        guard end >= lowest else { throw damaged("no zip end record") }
        guard let disk = uint(bytes, end + 4, 2), let cdDisk = uint(bytes, end + 6, 2),
              var entries = uint(bytes, end + 10, 2), var size = uint(bytes, end + 12, 4),
              var offset = uint(bytes, end + 16, 4) else { throw damaged("truncated end record") }
        if uint(bytes, end - 20, 4) == 0x0706_4b50 {
            guard let at = int(bytes, end - 20 + 8, 8), uint(bytes, at, 4) == 0x0606_4b50,
                  let disks = uint(bytes, at + 16, 4), let cdDisks = uint(bytes, at + 20, 4),
                  let e = uint(bytes, at + 32, 8), let s = uint(bytes, at + 40, 8), let o = uint(bytes, at + 48, 8),
                  disks == 0 && cdDisks == 0 else { throw damaged("damaged ZIP64 end record") }
            (entries, size, offset) = (e, s, o)
        } else if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw damaged("end record points to a ZIP64 record that is missing")
        }
        guard disk == 0 && cdDisk == 0 else { throw damaged("spans several disks") }
        guard offset <= UInt64(count), size <= UInt64(count) - offset else {
            throw damaged("central directory at \(offset) + \(size) bytes lies outside the file of \(count) bytes")
        }
        guard entries <= size / 46 else { throw damaged("central directory of \(size) bytes cannot hold \(entries) entries") }
        return Directory(offset: Int(offset), size: Int(size), entries: Int(entries))
    }
}
