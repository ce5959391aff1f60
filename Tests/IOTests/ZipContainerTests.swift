import Foundation
import IO
import Testing

/// Zip archives built byte by byte, stored or deflated with stored deflate blocks (no
/// compressor needed), to damage one field at a time.
struct ZipBuilder {
    struct Member {
        var name: String
        var method: UInt16 = 0
        /// The member's bytes as they lie in the archive (after compression).
        var data: [UInt8]
        /// The declared uncompressed size and CRC-32.
        var size: Int
        var crc: UInt32
        /// Bytes added to the local header's name length only.
        var localNameSkew = 0
    }

    var members: [Member] = []

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// `content` in one final stored deflate block: valid raw deflate.
    static func deflateStored(_ content: [UInt8]) -> [UInt8] {
        let n = UInt16(content.count)
        return [1, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8)] + content
    }

    mutating func add(_ name: String, _ content: [UInt8], deflated: Bool = false) {
        members.append(Member(name: name, method: deflated ? 8 : 0, data: deflated ? Self.deflateStored(content) : content,
                              size: content.count, crc: Self.crc32(content)))
    }

    static func le(_ value: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8((value >> (8 * $0)) & 0xff) } }

    var bytes: [UInt8] {
        var out: [UInt8] = [], directory: [UInt8] = []
        for m in members {
            let name = Array(m.name.utf8)
            let common = Self.le(20, 2) + Self.le(0, 2) + Self.le(Int(m.method), 2) + Self.le(0, 4) + Self.le(Int(m.crc), 4)
                + Self.le(m.data.count, 4) + Self.le(m.size, 4)
            directory += [0x50, 0x4b, 1, 2] + Self.le(20, 2) + common + Self.le(name.count, 2) + Self.le(0, 2) + Self.le(0, 2)
                + Self.le(0, 2) + Self.le(0, 2) + Self.le(0, 4) + Self.le(out.count, 4) + name
            out += [0x50, 0x4b, 3, 4] + common + Self.le(name.count + m.localNameSkew, 2) + Self.le(0, 2) + name + m.data
        }
        let end = [0x50, 0x4b, 5, 6] + Self.le(0, 4) + Self.le(members.count, 2) + Self.le(members.count, 2)
            + Self.le(directory.count, 4) + Self.le(out.count, 4) + Self.le(0, 2)
        return out + directory + end
    }
}

@Suite("Zip container: .npz archives read by mftool's own reader")
struct ZipContainerTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "mftool-zip-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The error reading `bytes` as a `.npz` of interactions, or nil when it was accepted.
    static func npzError(_ bytes: [UInt8]) -> IOError? {
        let path = folder() + "/m.npz"
        HostileInputTests.write(bytes, to: path)
        var options = InteractionsFile.ReadOptions()
        options.format = .npz
        do { _ = try InteractionsFile.read(FileSpec(path), options: options); return nil } catch { return error }
    }

    @Test("stored and deflated members read back with their bytes")
    func readsMembers() throws {
        var zip = ZipBuilder()
        zip.add("a.npy", Array("hello".utf8))
        zip.add("b.npy", Array("deflated bytes".utf8), deflated: true)
        let path = Self.folder() + "/ok.zip"
        HostileInputTests.write(zip.bytes, to: path)
        let archive = try ZipArchive(path: path)
        #expect(archive.members.map(\.name) == ["a.npy", "b.npy"])
        #expect(try archive.contents(of: archive.members[0]) == Data("hello".utf8))
        #expect(try archive.contents(of: archive.members[1]) == Data("deflated bytes".utf8))
    }

    /// The local header names one byte more than the directory: its data would start 5 bytes
    /// later, at the member's content, which is itself the start of a stored deflate block
    /// longer than the rest of the file. A reader that follows the local header and reads its
    /// stream to the end of the file never sees the stream end.
    @Test("a local header whose name length disagrees with the directory is refused", .timeLimit(.minutes(1)))
    func localNameLength() {
        var zip = ZipBuilder()
        zip.add("format.npy", [0, 0xff, 0xff, 0, 0], deflated: true)
        zip.add("shape.npy", Array("x".utf8))
        zip.members[0].localNameSkew = 5
        // Room for what the stream may produce, and compressed bytes enough to declare it.
        zip.members[0].size = 70000
        zip.members[0].data += [UInt8](repeating: 0, count: 100)
        let error = Self.npzError(zip.bytes)
        HostileInputTests.expectError(error, naming: "", ["format", "local header", "central directory"])
    }

    @Test("a deflate stream that does not end within its compressed bytes is refused", .timeLimit(.minutes(1)))
    func unterminatedStream() {
        var zip = ZipBuilder()
        zip.add("format.npy", Array("csr".utf8), deflated: true)
        zip.add("shape.npy", Array("x".utf8))
        // A non-final stored block of 65,535 bytes: the stream wants more than the member holds.
        zip.members[0].data = [0, 0xff, 0xff, 0, 0] + [UInt8](repeating: 0, count: 100)
        zip.members[0].size = 70000
        HostileInputTests.expectError(Self.npzError(zip.bytes), naming: "", ["format", "end before the deflate stream"])
    }

    @Test("a member inflating past its declared size is refused")
    func inflatesPastDeclared() {
        var zip = ZipBuilder()
        zip.add("format.npy", Array("csr and more".utf8), deflated: true)
        zip.add("shape.npy", Array("x".utf8))
        zip.members[0].size = 3
        HostileInputTests.expectError(Self.npzError(zip.bytes), naming: "", ["format", "beyond the 3 bytes"])
    }

    @Test("two members of one name are refused as ambiguous")
    func duplicateNames() {
        var zip = ZipBuilder()
        zip.add("format.npy", Array("a".utf8))
        zip.add("shape.npy", Array("b".utf8))
        zip.add("shape.npy", Array("c".utf8))
        HostileInputTests.expectError(Self.npzError(zip.bytes), naming: "", ["shape.npy", "occurs twice", "ambiguous"])
    }

    @Test("a bzip2 member is named as such, not called damaged")
    func bzip2Member() {
        var zip = ZipBuilder()
        zip.add("format.npy", Array("csr".utf8))
        zip.add("shape.npy", Array("x".utf8))
        zip.members[0].method = 12
        let error = Self.npzError(zip.bytes)
        HostileInputTests.expectError(error, naming: "", ["bzip2", "method 12", "cannot read"])
        #expect(error.map { !$0.description.contains("damaged") } ?? false)
    }

    @Test("a member failing its CRC-32 is refused")
    func badChecksum() {
        var zip = ZipBuilder()
        zip.add("format.npy", Array("csr".utf8))
        zip.add("shape.npy", Array("x".utf8))
        zip.members[0].crc ^= 1
        HostileInputTests.expectError(Self.npzError(zip.bytes), naming: "", ["format", "CRC-32"])
    }
}
