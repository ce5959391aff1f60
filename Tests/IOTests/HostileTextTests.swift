import FixturePaths
import Foundation
import IO
import Testing

/// Delimited text that used to be read wrongly without an error.
@Suite("Hostile text: no silent misreading")
struct HostileTextTests {
    static func file(_ bytes: [UInt8]) -> String {
        let path = Fixtures.scratchFolder() + "/t.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    static func error(_ path: String) -> IOError? {
        do { _ = try InteractionsFile.read(FileSpec(path)); return nil } catch { return error }
    }

    @Test("invalid UTF-8 ids are refused, not merged into one U+FFFD id")
    func invalidUTF8() throws {
        let path = Self.file(Array("u,i,r\n".utf8) + [0xff] + Array(",a,1\n".utf8) + [0xfe] + Array(",a,2\n".utf8))
        let error = try #require(Self.error(path))
        #expect(error.description.hasPrefix(path) && error.description.contains("line 2") && error.message.contains("not valid UTF-8"), "\(error)")
    }

    @Test("a UTF-8 byte order mark is not part of the first id")
    func byteOrderMark() throws {
        let path = Self.file([0xEF, 0xBB, 0xBF] + Array("1,10,5\n2,20,3\n".utf8))
        let (x, _) = try InteractionsFile.read(FileSpec(path))
        #expect(x.userIDs.ids == ["1", "2"])
        #expect(x.userIDs.allIntegers)
    }

    @Test("hexadecimal values are refused")
    func hexadecimal() throws {
        let error = try #require(Self.error(Self.file(Array("u,i,r\na,b,0x10\n".utf8))))
        #expect(error.description.contains("line 2") && error.message.contains("'0x10' is not a number"), "\(error)")
    }

    @Test("a huge numeric token is refused with a short excerpt")
    func hugeToken() throws {
        let token = [UInt8](repeating: UInt8(ascii: "1"), count: 1 << 20)
        let error = try #require(Self.error(Self.file(Array("u,i,r\na,b,".utf8) + token + [0x0a])))
        #expect(error.description.count < 300, "\(error.description.prefix(300))")
        #expect(error.message.contains("(1048576 bytes)"), "\(error.description.prefix(300))")
    }
}
