import FixturePaths
import Foundation
@testable import IO
import Matrices
@testable import MFToolCommands
import Testing

/// An item file of 0 rows leaves nothing to rank, compare or export: `recommend`, `similar` and
/// `export --ann` fail naming the file (exit 1) and write nothing, instead of a header-only
/// output and exit 0.
@Suite("An item file without rows")
struct EmptyItemFileTests {
    /// A folder with `items.h5` (0 items × 3 factors) and `users.h5` (two users × 3 factors).
    static func files() throws -> (folder: String, items: String, users: String) {
        let folder = Fixtures.scratchFolder()
        let (items, users) = (folder + "/items.h5", folder + "/users.h5")
        try FactorFile(side: .items, factors: DenseMatrix(rows: 0, columns: 3, storage: []), ids: nil).write(to: items)
        try FactorFile(side: .users, factors: DenseMatrix(rows: 2, columns: 3, storage: [1, 0, 0, 0, 1, 0]),
                       ids: try IDMap(["a", "b"])).write(to: users)
        return (folder, items, users)
    }

    @Test("recommend, similar --all and export --ann refuse it by name, writing nothing", arguments: [
        ["recommend", "--include-seen", "--k", "3"], ["similar", "--all", "--k", "3"], ["export", "--ann"],
    ])
    func refused(command: [String]) throws {
        let (folder, items, users) = try Self.files()
        #expect(try EmbeddingsFile.read(FileSpec(items)).factors.rows == 0)
        let out = folder + (command[0] == "export" ? "/ann.h5" : "/out.csv")
        let userOption = command[0] == "similar" ? [] : ["--users", users]
        let (code, message) = runMFToolReporting(command + userOption + ["--items", items, "--out", out, "--quiet"])
        #expect(code == 1, "\(message)")
        #expect(message.hasPrefix(items + ": holds 0 items") && !message.contains("\n"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
