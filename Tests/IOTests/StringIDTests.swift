import FixturePaths
import Foundation
@testable import IO
import Testing

/// String ids in HDF5 are UTF-8 text, as the text reader requires of ids: an element that is not
/// is refused by file, dataset and position, never read as U+FFFD (two different ids would
/// become one).
@Suite("HDF5 string ids")
struct StringIDTests {
    /// A copy of `fixture` with the first occurrence of `text` changed at `offset` to `byte`.
    static func patched(_ fixture: String, _ text: String, offset: Int, byte: UInt8) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture))))
        let needle = Array(text.utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        bytes[at + offset] = byte
        let path = Fixtures.scratchFolder() + "/" + URL(fileURLWithPath: fixture).lastPathComponent
        HostileInputTests.write(bytes, to: path)
        return path
    }

    @Test("a user id with an invalid UTF-8 byte is refused naming the file, /user_ids and the element, whole or by slabs")
    func invalidUserID() throws {
        let original = try InteractionsFile.read(FileSpec(Fixtures.path("io/csr_root.h5"))).0
        let position = try #require(original.userIDs.index(of: "josé"))
        // é is C3 A9: a lone continuation byte after C3 is not UTF-8.
        let path = try Self.patched("io/csr_root.h5", "josé", offset: 4, byte: 0xFF)
        var error: IOError? = nil
        do { _ = try InteractionsFile.read(FileSpec(path)) } catch let e { error = e }
        HostileInputTests.expectError(error, naming: path, ["/user_ids", "element \(position)", "not valid UTF-8"])
        error = nil
        do { _ = try HDF5File.open(path, limits: ReadLimits()).readStrings("/user_ids", rows: 0..<original.userCount) } catch let e { error = e }
        HostileInputTests.expectError(error, naming: path, ["/user_ids", "element \(position)", "not valid UTF-8"])
    }
}
