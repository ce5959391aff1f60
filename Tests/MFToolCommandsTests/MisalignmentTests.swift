import ArgumentParser
import FixturePaths
import Foundation
import IO
import Loading
import Matrices
@testable import MFToolCommands
import Testing

/// Runs an mftool command line in-process: the exit code and the error line scripts would see.
func runMFToolReporting(_ arguments: [String]) -> (code: Int32, message: String) {
    do {
        var command = try MFTool.parseAsRoot(arguments)
        try command.run()
        return (0, "")
    } catch {
        return (MFTool.exitCode(for: error).rawValue, MFTool.message(for: error))
    }
}

// The commands' side of misaligned files: exit codes, hints that work as printed, and what is
// (not) written. How ids are matched is tested in the library (IOTests' LoadingMisalignmentTests).

/// Files whose ids line up with the fixtures' ratings.csv (users alice…erin; items heat, brazil,
/// up, alien, jaws) and items.h5 (those items and zelig, in another order), or fail to.
struct MisalignmentFiles: RatingsVariants {
    let folder: String
    let ratings = Fixtures.path("io/ratings.csv")
    let items = Fixtures.path("io/items.h5")
    /// User factors solved on ratings.csv against items.h5.
    var users: String { folder + "/u.h5" }

    init(_ name: String = #function) throws {
        folder = Fixtures.scratchFolder("misalignment-" + name)
        let code = runMFTool(["solve", "--interactions", ratings, "--items", items, "--out", folder + "/u.h5", "--quiet"])
        guard code == 0 else { throw DataError("the reference solve failed with exit \(code)") }
    }
}

@Suite("Misalignment: recommend --train")
struct RecommendMisalignmentTests {
    @Test("train user ids that match none of the factor file's fail, naming both sides' ids")
    func noMatch() throws {
        let files = try MisalignmentFiles()
        let train = try files.renamedUsers("prefixed.csv") { "u_" + $0 }
        let result = runMFToolReporting(["recommend", "--users", files.users, "--items", files.items, "--train", train,
                                         "--k", "2", "--out", files.folder + "/recs.csv"])
        #expect(result.code == 1)
        #expect(result.message.contains("0 of 5 user ids") && result.message.contains("'u_alice'") && result.message.contains("'alice'"))
        #expect(!FileManager.default.fileExists(atPath: files.folder + "/recs.csv"))
    }

    @Test("a train file without ids is matched by position only when the counts agree; --require-ids refuses it")
    func missingIDs() throws {
        let files = try MisalignmentFiles()
        let same = try files.matrixMarket("five.mtx", users: 5, items: 6)
        let other = try files.matrixMarket("four.mtx", users: 4, items: 6)
        let base = ["recommend", "--users", files.users, "--items", files.items, "--out", files.folder + "/recs.csv"]
        #expect(runMFTool(base + ["--train", same]) == 0)
        #expect(runMFTool(base + ["--train", same, "--require-ids"]) == 1)
        #expect(runMFTool(base + ["--train", other]) == 1)
    }

    @Test("an unknown item fails with a hint that works as printed")
    func unknownItemHint() throws {
        let files = try MisalignmentFiles()
        let train = try files.csv("extra-item.csv", [("alice", "up", 4), ("bob", "matrix", 5)])
        let base = ["recommend", "--users", files.users, "--items", files.items, "--train", train, "--out", files.folder + "/recs.csv"]
        let result = runMFToolReporting(base)
        #expect(result.code == 1 && result.message.contains("--drop-unknown-items"))
        #expect(runMFTool(base + ["--drop-unknown-items"]) == 0)
    }
}

@Suite("Misalignment: eval")
struct EvalMisalignmentTests {
    @Test("zero users evaluated is an error naming the cause; --allow-empty keeps going")
    func noUsers() throws {
        let files = try MisalignmentFiles()
        let test = try files.renamedUsers("prefixed.csv") { "u_" + $0 }
        let base = ["eval", "--users", files.users, "--items", files.items, "--test", test, "--k", "2"]
        let result = runMFToolReporting(base)
        #expect(result.code == 1 && result.message.contains("0 of 5 user ids"))
        #expect(runMFTool(base + ["--allow-empty"]) == 0)
    }

    @Test("an unknown test item fails with a hint that works as printed")
    func unknownItemHint() throws {
        let files = try MisalignmentFiles()
        let test = try files.csv("extra-item.csv", [("alice", "alien", 4), ("bob", "matrix", 5)])
        let base = ["eval", "--users", files.users, "--items", files.items, "--test", test, "--k", "2"]
        let result = runMFToolReporting(base)
        #expect(result.code == 1 && result.message.contains("--drop-unknown-items"))
        #expect(runMFTool(base + ["--drop-unknown-items"]) == 0)
    }
}

@Suite("Factor files need no other file")
struct SelfContainedFactorFileTests {
    @Test("solve and fit --item-bias store the bias in the user file; eval then needs only --users and --items")
    func storedItemBias() throws {
        let folder = Fixtures.scratchFolder()
        let (problem, items) = (Fixtures.path("ridge/problem.h5"), Fixtures.path("ridge/items.h5"))
        let bias = try EmbeddingsFile.readVector(FileSpec(path: items, object: "/item_bias"))
        let common = ["--interactions", problem, "--items", items, "--item-bias", items + ":/item_bias", "--lambda", "1", "--quiet"]
        #expect(runMFTool(["solve", "--out", folder + "/solved.h5"] + common) == 0)
        #expect(runMFTool(["fit", "--method", "adam", "--epochs", "1", "--out", folder + "/fitted.h5"] + common) == 0)
        for name in ["solved.h5", "fitted.h5"] {
            #expect(try FactorFile.read(FileSpec(folder + "/" + name)).itemBias == bias, "\(name)")
        }
    }
}

@Suite("Misalignment: solve, check and fit --init against embeddings without ids")
struct EmbeddingIDsTests {
    let npy = Fixtures.path("io/items_f64.npy")

    @Test("items without ids and a different count: exit 1 with one line, not a usage error")
    func countMismatch() throws {
        let files = try MisalignmentFiles()
        let result = runMFToolReporting(["solve", "--interactions", files.ratings, "--items", npy, "--out", files.folder + "/x.h5"])
        #expect(result.code == 1 && result.message.contains("by position"))
    }

    @Test("solve --item-ids reaches the library: the solution of the ids' file equals that of embeddings carrying them")
    func itemIDsFlag() throws {
        let files = try MisalignmentFiles()
        let variants: [[String]] = [
            ["--items", npy, "--item-ids", Fixtures.path("io/items_ids.txt")],
            ["--items", Fixtures.path("io/items_grouped.h5") + ":/model/emb"],
        ]
        var solutions: [DenseMatrix<Double>] = []
        for (k, variant) in variants.enumerated() {
            let out = files.folder + "/u\(k).h5"
            #expect(runMFTool(["solve", "--interactions", files.ratings, "--out", out, "--quiet"] + variant) == 0, "\(variant)")
            solutions.append(try FactorFile.read(FileSpec(out)).factors)
        }
        #expect(solutions.count == 2 && solutions[0] == solutions[1])
    }

    @Test("interactions with ids against embeddings without: by position when the counts agree, or --require-ids fails")
    func positionalItems() throws {
        let files = try MisalignmentFiles()
        let six = try files.csv("six.csv", [("a", "i1", 1), ("a", "i2", 2), ("b", "i3", 3), ("b", "i4", 4), ("c", "i5", 5), ("c", "i6", 1)])
        let base = ["solve", "--interactions", six, "--items", npy, "--out", files.folder + "/x.h5", "--quiet"]
        #expect(runMFTool(base) == 0)
        #expect(runMFTool(base + ["--require-ids"]) == 1)
    }

    @Test("check --users and fit --init with a .npy (no ids): same shape by position, else exit 1; --require-ids refuses")
    func positionalUsers() throws {
        let files = try MisalignmentFiles()
        let six = try files.matrixMarket("six.mtx", users: 6, items: 6)
        let five = try files.matrixMarket("five.mtx", users: 5, items: 6)
        for (command, usersOption) in [("check", "--users"), ("fit", "--init")] {
            var base = [command, "--items", npy, usersOption, npy, "--lambda", "1"]
            if command == "fit" { base += ["--epochs", "1", "--out", files.folder + "/fit.h5", "--quiet"] }
            #expect(runMFTool(base + ["--interactions", six]) == 0, "\(command)")
            #expect(runMFTool(base + ["--interactions", six, "--require-ids"]) == 1, "\(command)")
            #expect(runMFToolReporting(base + ["--interactions", five]).code == 1, "\(command)")
        }
    }
}

@Suite("Misalignment: empty outcomes")
struct EmptyOutcomeTests {
    @Test("filtering every interaction away is an error; --allow-empty writes the empty file")
    func emptyAfterFiltering() throws {
        let folder = Fixtures.scratchFolder()
        let base = ["convert", Fixtures.path("io/ratings.csv"), folder + "/r.h5", "--min-value", "10", "--quiet"]
        let result = runMFToolReporting(base)
        #expect(result.code == 1 && result.message.contains("--min-value"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/r.h5"))
        #expect(runMFTool(base + ["--allow-empty"]) == 0)
    }

    @Test("solve with every item unknown fails even with --drop-unknown-items; --allow-empty keeps the old zeros")
    func everyItemUnknown() throws {
        let files = try MisalignmentFiles()
        let strangers = try files.csv("strangers.csv", [("alice", "matrix", 4), ("bob", "solaris", 5)])
        let base = ["solve", "--interactions", strangers, "--items", files.items, "--out", files.folder + "/x.h5", "--quiet"]
        #expect(runMFToolReporting(base).code == 1)
        #expect(runMFToolReporting(base + ["--drop-unknown-items"]).code == 1)
        #expect(runMFTool(base + ["--drop-unknown-items", "--allow-empty"]) == 0)
    }

    @Test("solve: an unknown item fails with a hint that works as printed")
    func unknownItemHint() throws {
        let files = try MisalignmentFiles()
        let extra = try files.csv("extra-item.csv", [("alice", "up", 4), ("bob", "matrix", 5)])
        let base = ["solve", "--interactions", extra, "--items", files.items, "--out", files.folder + "/x.h5", "--quiet"]
        let result = runMFToolReporting(base)
        #expect(result.code == 1 && result.message.contains("--drop-unknown-items"))
        #expect(runMFTool(base + ["--drop-unknown-items"]) == 0)
    }
}
