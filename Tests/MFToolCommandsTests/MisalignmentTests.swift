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

/// Files whose ids line up with the fixtures' ratings.csv (users alice…erin; items heat, brazil,
/// up, alien, jaws) and items.h5 (those items and zelig, in another order), or fail to.
struct MisalignmentFiles {
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

    /// Writes text triplets `user,item,value` with a header.
    func csv(_ name: String, _ rows: [(String, String, Double)]) throws -> String {
        let path = folder + "/" + name
        let text = "user,item,rating\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// ratings.csv with every user id passed through `rename`.
    func renamedUsers(_ name: String, _ rename: (String) -> String) throws -> String {
        let (x, _) = try InteractionsFile.read(FileSpec(ratings))
        var rows: [(String, String, Double)] = []
        for u in 0..<x.userCount {
            for p in x.matrix.range(ofRow: u) {
                rows.append((rename(x.userIDs.ids[u]), x.itemIDs.ids[Int(x.matrix.indices[p])], x.matrix.values[p]))
            }
        }
        return try csv(name, rows)
    }

    /// A Matrix Market file (no ids) of `users` × `items` with one interaction per user.
    func matrixMarket(_ name: String, users: Int, items: Int) throws -> String {
        var lines = ["%%MatrixMarket matrix coordinate real general", "\(users) \(items) \(users)"]
        for u in 0..<users { lines.append("\(u + 1) \(u % items + 1) \(Double(u % 5) + 1)") }
        let path = folder + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
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

    @Test("integer train ids against string factor ids say so")
    func differentTypes() throws {
        let files = try MisalignmentFiles()
        let names = ["alice": "1", "bob": "2", "carol": "3", "dave": "4", "erin": "5"]
        let train = try files.renamedUsers("numbered.csv") { names[$0]! }
        let result = runMFToolReporting(["recommend", "--users", files.users, "--items", files.items, "--train", train,
                                         "--out", files.folder + "/recs.csv"])
        #expect(result.code == 1)
        #expect(result.message.contains("string ids vs integer ids"))
    }

    @Test("partial overlap proceeds: known users' items are excluded, unknown ones counted")
    func partial() throws {
        let files = try MisalignmentFiles()
        let train = try files.csv("partial.csv", [("alice", "up", 4), ("alice", "jaws", 3), ("zed", "heat", 1)])
        let out = files.folder + "/recs.csv"
        #expect(runMFTool(["recommend", "--users", files.users, "--items", files.items, "--train", train, "--k", "4",
                           "--user", "alice", "--out", out, "--json"]) == 0)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
        let recommended = lines.map { $0.split(separator: ",")[2] }
        #expect(recommended.count == 4 && !recommended.contains("up") && !recommended.contains("jaws"))
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

    @Test("test interactions all dropped (every test item unknown) leave nothing to evaluate: exit 1")
    func nothingLeft() throws {
        let files = try MisalignmentFiles()
        let test = try files.csv("strangers.csv", [("alice", "up", 4), ("bob", "matrix", 5), ("carol", "solaris", 2)])
        let only = try files.csv("only-strangers.csv", [("bob", "matrix", 5), ("carol", "solaris", 2)])
        let base = ["eval", "--users", files.users, "--items", files.items, "--k", "2", "--drop-unknown-items"]
        #expect(runMFTool(base + ["--test", test]) == 0)
        let result = runMFToolReporting(base + ["--test", only])
        #expect(result.code == 1 && result.message.contains("0 of 2 item ids"))
        #expect(runMFTool(base + ["--test", only, "--allow-empty"]) == 0)
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

    @Test("eval reads the item bias from --items, not a path relative to the working directory")
    func itemBiasFromItemsFile() throws {
        let files = try MisalignmentFiles()
        let (u, v) = (files.folder + "/als-u.h5", files.folder + "/als-v.h5")
        #expect(runMFTool(["fit", "--method", "als", "--k", "2", "--epochs", "2", "--user-bias", "--offset", "global-mean",
                           "--interactions", files.ratings, "--out", u, "--items-out", v, "--quiet"]) == 0)
        // As a file written in its own folder records it: relative, naming a file the working
        // directory does not hold.
        var users = try FactorFile.read(FileSpec(u))
        users.itemBiasSource = FileSpec("als-v.h5:/item_bias")
        try users.write(to: u)
        #expect(runMFTool(["eval", "--users", u, "--items", v, "--test", files.ratings, "--metrics", "rmse"]) == 0)
        // Without an item_bias in --items, the recorded path is taken from the user file's folder.
        #expect(runMFTool(["eval", "--users", u, "--items", files.items, "--test", files.ratings, "--metrics", "rmse"]) == 1)
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

    @Test("--item-ids as text, 1-D .npy or an HDF5 dataset, and a sibling ids dataset, give the same solution")
    func idsForEveryFormat() throws {
        let files = try MisalignmentFiles()
        var solutions: [DenseMatrix<Double>] = []
        let variants: [[String]] = [
            ["--items", npy, "--item-ids", Fixtures.path("io/items_ids.txt")],
            ["--items", npy, "--item-ids", Fixtures.path("io/items_ids.npy")],
            ["--items", npy, "--item-ids", Fixtures.path("io/items_grouped.h5") + ":/model/ids"],
            ["--items", Fixtures.path("io/items_grouped.h5") + ":/model/emb"],
        ]
        for (k, variant) in variants.enumerated() {
            let out = files.folder + "/u\(k).h5"
            #expect(runMFTool(["solve", "--interactions", files.ratings, "--out", out, "--quiet"] + variant) == 0, "\(variant)")
            solutions.append(try FactorFile.read(FileSpec(out)).factors)
        }
        #expect(solutions.count == 4 && solutions.allSatisfy { $0 == solutions[0] })
    }

    @Test("--item-ids-from takes a 1-D .npy")
    func itemIDsFromNPY() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/ratings.csv"), folder + "/r.h5", "--item-ids-from",
                           Fixtures.path("io/items_ids.npy"), "--quiet"]) == 0)
        let (x, _) = try InteractionsFile.read(FileSpec(folder + "/r.h5"))
        #expect(x.itemIDs.ids == ["heat", "zelig", "brazil", "up", "alien", "jaws"])
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
    @Test("convert --min-value 4 --implicit keeps the ratings of at least 4, as 1s")
    func minValueBeforeImplicit() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/ratings.csv"), folder + "/r.h5", "--min-value", "4", "--implicit", "--quiet"]) == 0)
        let (x, _) = try InteractionsFile.read(FileSpec(folder + "/r.h5"))
        #expect(x.matrix.nnz == 5 && x.matrix.values.allSatisfy { $0 == 1 })
    }

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
