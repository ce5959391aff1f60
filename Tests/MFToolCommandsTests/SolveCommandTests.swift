import FixturePaths
import Foundation
import IO
import Matrices
import Testing

@Suite("mftool solve")
struct SolveCommandTests {
    @Test("writes the reference solution with ids and attributes")
    func solve() throws {
        let folder = Fixtures.scratchFolder()
        let code = runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                              "--out", folder + "/u.h5", "--lambda", "0.3", "--reg", "count", "--user-bias", "--offset", "global-mean",
                              "--item-bias", Fixtures.path("ridge/items.h5") + ":/item_bias", "--quiet"])
        #expect(code == 0)
        let users = try FactorFile.read(FileSpec(folder + "/u.h5"))
        let expected = try EmbeddingsFile.read(FileSpec(path: Fixtures.path("ridge/expected.h5"), object: "/observed_count_userbias-offset-itembias/user_factors")).factors
        let scale = expected.storage.map { abs($0) }.max()!
        let diff = zip(users.factors.storage, expected.storage).map { abs($0 - $1) }.max()!
        #expect(diff <= 1e-10 * scale)
        #expect(users.ids?.ids == IDList((0..<40).map(String.init)))
    }

    @Test("a singular user fails with exit 1 and no output; --fallback lstsq succeeds")
    func singular() throws {
        let folder = Fixtures.scratchFolder()
        let arguments = ["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                         "--out", folder + "/u.h5", "--lambda", "0", "--quiet"]
        #expect(runMFTool(arguments) == 1)
        #expect(!FileManager.default.fileExists(atPath: folder + "/u.h5"))
        #expect(runMFTool(arguments + ["--fallback", "lstsq"]) == 0)
        #expect(runMFTool(arguments + ["--lambda", "-1"]) == 64)
    }

    @Test("--mean fixes μ under --offset global-mean and is refused without it")
    func fixedMean() throws {
        let folder = Fixtures.scratchFolder()
        let arguments = ["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                         "--lambda", "0.3", "--user-bias", "--quiet"]
        #expect(runMFTool(arguments + ["--offset", "global-mean", "--mean", "2.5", "--out", folder + "/fixed.h5"]) == 0)
        #expect(runMFTool(arguments + ["--offset", "global-mean", "--out", folder + "/own.h5"]) == 0)
        let fixed = try FactorFile.read(FileSpec(folder + "/fixed.h5")).factors
        let own = try FactorFile.read(FileSpec(folder + "/own.h5")).factors
        #expect(fixed.storage != own.storage)
        #expect(runMFTool(arguments + ["--mean", "2.5", "--out", folder + "/x.h5"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.h5"))
    }

    @Test("items without ids must match the interactions' item count")
    func mismatchedItems() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("io/items_f64.npy"),
                           "--out", folder + "/u.h5", "--quiet"]) != 0)
    }
}

@Suite("mftool solve --side items and fit --method als")
struct ItemSideCommandTests {
    @Test("the item side equals the transposed problem solved in-process")
    func itemSide() throws {
        let folder = Fixtures.scratchFolder()
        let problemFile = Fixtures.path("ridge/problem.h5")
        #expect(runMFTool(["fit", "--method", "als", "--k", "4", "--epochs", "3", "--interactions", problemFile,
                           "--out", folder + "/u.h5", "--items-out", folder + "/v.h5", "--lambda", "0.5", "--quiet"]) == 0)
        #expect(runMFTool(["solve", "--side", "items", "--users", folder + "/u.h5", "--interactions", problemFile,
                           "--out", folder + "/v2.h5", "--lambda", "0.5", "--quiet"]) == 0)
        // ALS's last half-step solved the items for the final users: the same problem.
        let als = try EmbeddingsFile.read(FileSpec(folder + "/v.h5")).factors
        let solved = try EmbeddingsFile.read(FileSpec(folder + "/v2.h5")).factors
        let scale = als.storage.map { abs($0) }.max()!
        #expect(zip(als.storage, solved.storage).map { abs($0 - $1) }.max()! <= 1e-12 * scale)
        #expect(runMFTool(["solve", "--side", "items", "--interactions", problemFile, "--out", folder + "/x.h5"]) == 64)
    }
}
