import FixturePaths
import Foundation
import Testing

/// The ids and the list length recommend and similar are asked for, as they use them.
@Suite("Query lists")
struct QueryListTests {
    /// 50 users × 20 items at k = 2, with planted user factors.
    static func generated() throws -> String {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["generate", "--users", "50", "--items", "20", "--nnz", "200", "--k", "2", "--out", folder + "/r.h5",
                           "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"]) == 0)
        return folder
    }

    @Test("recommend --user 3 --user 3 lists user 3 once, with a note")
    func repeatedUser() throws {
        let f = try Self.generated()
        let out = f + "/recs.csv"
        let (code, message) = try ResourceOptionsTests.run(["recommend", "--users", f + "/u.h5", "--items", f + "/v.h5", "--train", f + "/r.h5",
                                                            "--user", "3", "--user", "7", "--user", "3", "--k", "2", "--out", out])
        #expect(code == 0 && message.contains("note: --user '3' given more than once: listed once"), "\(message)")
        let users = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(users == ["3", "3", "7", "7"], "\(users)")
        #expect(message.contains("recommended 2 items for 2 users"), "\(message)")
    }

    @Test("similar --item 3 --item 3 lists item 3 once, with a note")
    func repeatedItem() throws {
        let f = try Self.generated()
        let out = f + "/similar.csv"
        let (code, message) = try ResourceOptionsTests.run(["similar", "--items", f + "/v.h5", "--item", "3", "--item", "3", "--k", "2", "--out", out])
        #expect(code == 0 && message.contains("note: --item '3' given more than once"), "\(message)")
        let queries = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(queries == ["3", "3"], "\(queries)")
    }

    @Test("a --k above what there is (the default 10 of similar over 6 items) gives its note, except under --quiet")
    func capNoteQuiet() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["generate", "--users", "5", "--items", "6", "--nnz", "20", "--k", "2", "--out", folder + "/r.h5",
                           "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"]) == 0)
        for quiet in [false, true] {
            let (code, message) = try ResourceOptionsTests.run(["similar", "--items", folder + "/v.h5", "--all", "--out", folder + "/s.csv"]
                                                               + (quiet ? ["--quiet"] : []))
            #expect(code == 0)
            #expect(message.contains("note: --k 10 is more than the 5 other items") == !quiet, "quiet \(quiet): \(message)")
            #expect(!quiet || message.isEmpty, "\(message)")
        }
    }

    @Test("recommend --k 2^63 − 1 lists and reports the 20 items there are, with a note")
    func hugeK() throws {
        let f = try Self.generated()
        let out = f + "/recs.h5"
        let (code, message) = try ResourceOptionsTests.run(["recommend", "--users", f + "/u.h5", "--items", f + "/v.h5", "--include-seen",
                                                            "--user", "3", "--k", "9223372036854775807", "--out", out])
        #expect(code == 0 && message.contains("note: --k 9223372036854775807 is more than the 20 items"), "\(message)")
        #expect(message.contains("recommended 20 items for 1 users") && !message.contains("recommended 9223372036854775807"), "\(message)")
    }
}
