import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("solve --like: the objective from a factor file's recorded settings")
struct SolveLikeCommandTests {
    let interactions = Fixtures.path("ridge/problem.h5")
    let items = Fixtures.path("ridge/items.h5")

    func solve(_ out: String, _ extra: [String]) -> Int32 {
        runMFTool(["solve", "--interactions", interactions, "--items", items, "--out", out, "--quiet"] + extra)
    }

    @Test("the same interactions solved --like the training file give the same factors and settings, bit for bit", arguments: [
        ["--loss", "observed", "--reg", "count", "--lambda", "0.7", "--user-bias", "--offset", "global-mean",
         "--item-bias", Fixtures.path("ridge/items.h5") + ":/item_bias"],
        ["--loss", "implicit", "--alpha", "3.5", "--confidence", "linear", "--lambda", "2"],
        ["--loss", "implicit", "--alpha", "2", "--unobserved-weight", "0.25", "--reg-exponent", "0.5", "--lambda", "0.1"],
    ])
    func reproduces(training: [String]) throws {
        let folder = Fixtures.scratchFolder("like-\(training[1])-\(training.count)")
        let (first, second) = (folder + "/trained.h5", folder + "/like.h5")
        #expect(solve(first, training) == 0)
        #expect(solve(second, ["--like", first]) == 0)
        let (a, b) = (try FactorFile.read(FileSpec(first)), try FactorFile.read(FileSpec(second)))
        #expect(a.factors.storage.map(\.bitPattern) == b.factors.storage.map(\.bitPattern))
        #expect(a.objective == b.objective && a.userBias == b.userBias && a.offset == b.offset)
        #expect(a.globalMean.bitPattern == b.globalMean.bitPattern && a.itemBias == b.itemBias)
    }

    @Test("the training μ carries to other interactions, as --mean would")
    func foldInMean() throws {
        let folder = Fixtures.scratchFolder()
        let trained = folder + "/trained.h5"
        #expect(solve(trained, ["--offset", "global-mean", "--mean", "3.25", "--lambda", "4"]) == 0)
        #expect(solve(folder + "/like.h5", ["--like", trained]) == 0)
        #expect(try FactorFile.read(FileSpec(folder + "/like.h5")).globalMean == 3.25)
        #expect(try FactorFile.read(FileSpec(folder + "/like.h5")).objective?.lambda == 4)
    }

    @Test("a contradicting flag is an error naming it, unless --override; an agreeing flag is fine")
    func contradictions() throws {
        let folder = Fixtures.scratchFolder()
        let trained = folder + "/trained.h5"
        #expect(solve(trained, ["--lambda", "4", "--reg", "count"]) == 0)
        let out = folder + "/like.h5"
        let arguments = ["solve", "--interactions", interactions, "--items", items, "--out", out, "--like", trained, "--quiet"]
        let failed = runMFToolReporting(arguments + ["--lambda", "2", "--user-bias"])
        #expect(failed.code == 1 && failed.message.contains("--lambda 2.0 (recorded: 4.0)") && failed.message.contains("--user-bias"))
        // A flag typed at its default value still contradicts a different recorded setting.
        let atDefault = runMFToolReporting(arguments + ["--lambda", "0.1", "--reg", "constant"])
        #expect(atDefault.code == 1 && atDefault.message.contains("--lambda 0.1 (recorded: 4.0)") && atDefault.message.contains("--reg constant"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(runMFTool(arguments + ["--lambda", "4"]) == 0)
        #expect(runMFTool(arguments + ["--lambda", "2", "--override"]) == 0)
        let overridden = try #require(try FactorFile.read(FileSpec(out)).objective)
        #expect(overridden.lambda == 2 && overridden.regularization == .count)
        #expect(runMFTool(["solve", "--interactions", interactions, "--items", items, "--out", out, "--override"]) == 64)
    }

    @Test("a factor file that records no objective has nothing to take")
    func noObjective() {
        let result = runMFToolReporting(["solve", "--interactions", interactions, "--items", items, "--out", Fixtures.scratchFolder() + "/u.h5",
                                         "--like", Fixtures.path("io/items_f64.npy")])
        #expect(result.code == 1 && result.message.contains("records no objective"))
    }
}
