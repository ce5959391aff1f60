import FixturePaths
import Foundation
@testable import IO
import Testing

/// The IOError `body` throws, or nil.
func parquetError(_ body: () throws -> Void) -> IOError? {
    do { try body(); return nil } catch { return error as? IOError }
}

/// Reads every column of the Parquet file at `path`.
func readAllColumns(_ path: String) throws(IOError) {
    let file = try ParquetFile(path: path)
    for column in file.columns { _ = try file.read(column.name) }
}

@Suite("Parquet input mftool does not read, and damaged Parquet, is refused in one line")
struct ParquetRefusalTests {
    @Test("nested groups and lists are refused by name; the flat columns beside them read")
    func nested() throws {
        let path = Fixtures.path("parquet/bad/nested.parquet")
        let file = try ParquetFile(path: path)
        #expect(try file.read("user_id").values == .int64([1, 2, 3]))
        let meta = parquetError { _ = try file.read("meta") }
        #expect(meta?.description == "\(path): column 'meta' is a nested group of 2 columns (a struct), which mftool does not read")
        let tags = parquetError { _ = try file.read("tags") }
        #expect(tags?.description == "\(path): column 'tags' is a nested group of 1 columns (LIST), which mftool does not read")
        let missing = parquetError { _ = try file.read("rating") }
        #expect(missing?.description == "\(path): has no column 'rating'; its columns are 'user_id', 'meta', 'tags'")
    }

    @Test("an unread codec, INT96 and bytes that are not UTF-8 are refused naming the column")
    func unsupported() throws {
        let lz4 = Fixtures.path("parquet/bad/lz4.parquet")
        let codec = parquetError { _ = try ParquetFile(path: lz4).read("user_id") }
        #expect(codec?.location == "column 'user_id', row group 0")
        #expect(codec?.message.hasPrefix("column 'user_id' is compressed with LZ4") == true)
        #expect(codec?.message.hasSuffix("which mftool does not read (it reads UNCOMPRESSED, SNAPPY, GZIP, ZSTD)") == true)

        let int96 = Fixtures.path("parquet/bad/int96.parquet")
        let type = parquetError { _ = try ParquetFile(path: int96).read("ts_ms") }
        #expect(type?.description == "\(int96): column 'ts_ms' has INT96, which mftool does not read")

        let utf8 = Fixtures.path("parquet/bad/invalid_utf8.parquet")
        let text = parquetError { _ = try ParquetFile(path: utf8).read("user") }
        #expect(text?.location?.hasPrefix("column 'user', row group 0, page at byte ") == true)
        #expect(text?.message.hasSuffix("value 1 of the page is not valid UTF-8 text") == true)
    }

    /// A copy of a fixture, changed by `damage`, in a scratch folder.
    static func damaged(_ relative: String, _ name: String, _ damage: (inout [UInt8]) -> Void) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(relative)"))))
        damage(&bytes)
        let path = Fixtures.scratchFolder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an encrypted footer (PARE) and a file without the magic are refused")
    func magic() throws {
        let encrypted = try Self.damaged("none_plain_v1.parquet", "encrypted.parquet") { bytes in
            bytes.replaceSubrange((bytes.count - 4)..., with: Array("PARE".utf8))
            bytes.replaceSubrange(..<4, with: Array("PARE".utf8))
        }
        #expect(parquetError { _ = try ParquetFile(path: encrypted) }?.description
                == "\(encrypted): has an encrypted footer (PARE), which mftool does not read")
        let cut = try Self.damaged("none_plain_v1.parquet", "cut.parquet") { $0.removeLast(1) }
        #expect(parquetError { _ = try ParquetFile(path: cut) }?.description
                == "\(cut): is not a Parquet file: no PAR1 magic at its end (truncated?)")
        let long = try Self.damaged("none_plain_v1.parquet", "long.parquet") { bytes in
            bytes.replaceSubrange((bytes.count - 8)..<(bytes.count - 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
        }
        #expect(parquetError { _ = try ParquetFile(path: long) }?.message.hasPrefix("length 2147483647 is more than") == true)
    }

    @Test("every truncation of a file is a one-line error naming the file", arguments: ["snappy_dict_v1.parquet", "nulls_v2.parquet"])
    func truncations(_ name: String) throws {
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(name)"))))
        let folder = Fixtures.scratchFolder()
        for cut in stride(from: 0, to: whole.count, by: 37) {
            let path = "\(folder)/cut\(cut).parquet"
            try Data(whole[..<cut]).write(to: URL(fileURLWithPath: path))
            let error = parquetError { try readAllColumns(path) }
            #expect(error != nil, "cut at \(cut)")
            #expect(error?.description.hasPrefix(path + ": ") == true)
            #expect(error?.description.contains("\n") == false)
        }
    }

    @Test("bit flips in the pages and the footer end in a value or a one-line error, never a crash or hang",
          arguments: ["gzip_dict_v2.parquet", "zstd_plain_v1.parquet", "delta.parquet", "nulls.parquet"])
    func bitFlips(_ name: String) throws {
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(name)"))))
        let folder = Fixtures.scratchFolder()
        var refused = 0
        var rng = SystemRandomNumberGenerator()
        let positions = (0..<300).map { _ in Int.random(in: 4..<(whole.count - 4), using: &rng) }
        for (n, position) in positions.enumerated() {
            var bytes = whole
            bytes[position] ^= UInt8(1 << (n % 8))
            let path = "\(folder)/flip\(n).parquet"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            if let error = parquetError({ try readAllColumns(path) }) {
                refused += 1
                #expect(error.description.hasPrefix(path + ": ") && !error.description.contains("\n"), "\(error)")
            }
        }
        #expect(refused > 0)
    }
}
