import FixturePaths
import Foundation
import IO
import Matrices
import Testing

@Suite("mftool split and row alignment")
struct SplitCommandTests {
    @Test("deterministic for a seed, disjoint, covering, and every user with two or more keeps a training row")
    func split() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        for run in ["a", "b"] {
            #expect(runMFTool(["split", "--interactions", input, "--train", "\(folder)/train-\(run).h5", "--test", "\(folder)/test-\(run).h5",
                               "--test-fraction", "0.3", "--seed", "5"]) == 0)
        }
        #expect(runMFTool(["split", "--interactions", input, "--train", "\(folder)/train-c.h5", "--test", "\(folder)/test-c.h5",
                           "--test-fraction", "0.3", "--seed", "6"]) == 0)
        let (original, _) = try InteractionsFile.read(FileSpec(input))
        let (train, _) = try InteractionsFile.read(FileSpec(folder + "/train-a.h5"))
        let (test, _) = try InteractionsFile.read(FileSpec(folder + "/test-a.h5"))
        #expect(try InteractionsFile.read(FileSpec(folder + "/test-b.h5")).0 == test)
        #expect(try InteractionsFile.read(FileSpec(folder + "/test-c.h5")).0 != test)
        #expect(train.userIDs == original.userIDs && test.itemIDs == original.itemIDs)
        #expect(triplets(train).isDisjoint(with: triplets(test)))
        #expect(triplets(train).union(triplets(test)) == triplets(original))
        for u in 0..<original.userCount where original.matrix.degree(ofRow: u) >= 2 { #expect(train.matrix.degree(ofRow: u) >= 1) }
        #expect(test.matrix.nnz > 0)
    }

    @Test("--by last counts the users whose equal timestamps straddle the cut; the later item column is held out")
    func lastTies() throws {
        let folder = Fixtures.scratchFolder()
        let input = folder + "/log.csv"
        // a: items 1 and 2 share the latest time (tied at the cut); b: distinct times; c: one entry.
        try "user,item,rating,timestamp\na,1,5,10\na,2,4,10\na,3,3,5\nb,1,2,7\nb,2,1,8\nc,3,4,10\n"
            .write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try jsonSummary(["split", "--interactions", input, "--time-col", "timestamp", "--last-k", "1",
                                       "--train", folder + "/train.h5", "--test", folder + "/test.h5", "--json", "--quiet"])
        #expect(summary["tied_users"] as? Int == 1)
        let (test, _) = try InteractionsFile.read(FileSpec(folder + "/test.h5"))
        #expect(triplets(test) == ["a|2|\(4.0.bitPattern)", "b|2|\(1.0.bitPattern)"])
    }

    @Test("--by last on text with a time column: each user's latest interactions are the test file")
    func lastByTime() throws {
        let folder = Fixtures.scratchFolder()
        let input = folder + "/log.csv"
        try "user,item,rating,timestamp\na,1,5,2020-01-03\na,2,4,2020-01-01\na,3,3,2020-01-02\nb,1,2,2020-01-05\n"
            .write(toFile: input, atomically: true, encoding: .utf8)
        #expect(runMFTool(["split", "--interactions", input, "--time-col", "timestamp", "--last-k", "1",
                           "--train", folder + "/train.h5", "--test", folder + "/test.h5"]) == 0)
        let (test, _) = try InteractionsFile.read(FileSpec(folder + "/test.h5"))
        let (train, _) = try InteractionsFile.read(FileSpec(folder + "/train.h5"))
        #expect(triplets(test) == ["a|1|\(5.0.bitPattern)"])  // b has one interaction: kept for training
        #expect(train.matrix.nnz == 3 && train.timestamps?.count == 3)
        // Without timestamps a time split is a clear input error (exit 1), not a crash.
        #expect(runMFTool(["split", "--interactions", input, "--by", "last", "--train", folder + "/t2.h5", "--test", folder + "/e2.h5"]) == 1)
        #expect(!FileManager.default.fileExists(atPath: folder + "/t2.h5"))
        #expect(runMFTool(["split", "--interactions", input, "--time-col", "timestamp", "--cut", "2020-01-03",
                           "--train", folder + "/t3.h5", "--test", folder + "/e3.h5"]) == 0)
        #expect(try InteractionsFile.read(FileSpec(folder + "/e3.h5")).0.matrix.nnz == 2)
    }

    @Test("--by users writes train, fold-in and test; --folds deals every interaction to exactly one test fold")
    func usersAndFolds() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        let (original, _) = try InteractionsFile.read(FileSpec(input))
        #expect(runMFTool(["split", "--interactions", input, "--heldout-users", "5", "--train", folder + "/tr.h5",
                           "--fold-in", folder + "/fi.h5", "--test", folder + "/te.h5", "--seed", "2"]) == 0)
        let parts = try ["tr", "fi", "te"].map { try InteractionsFile.read(FileSpec("\(folder)/\($0).h5")).0 }
        let heldOut = (0..<original.userCount).filter { parts[0].matrix.degree(ofRow: $0) == 0 && original.matrix.degree(ofRow: $0) > 0 }
        #expect(heldOut.count == 5)
        for u in 0..<original.userCount where !heldOut.contains(u) {
            #expect(parts[1].matrix.degree(ofRow: u) == 0 && parts[2].matrix.degree(ofRow: u) == 0)
        }
        #expect(triplets(parts[0]).union(triplets(parts[1])).union(triplets(parts[2])) == triplets(original))
        #expect(runMFTool(["split", "--interactions", input, "--heldout-users", "5", "--train", folder + "/x.h5", "--test", folder + "/y.h5"]) == 64)

        var seen = Set<String>()
        for fold in 0..<3 {
            #expect(runMFTool(["split", "--interactions", input, "--folds", "3", "--fold", "\(fold)", "--seed", "9",
                               "--train", "\(folder)/k\(fold).h5", "--test", "\(folder)/t\(fold).h5"]) == 0)
            let test = triplets(try InteractionsFile.read(FileSpec("\(folder)/t\(fold).h5")).0)
            #expect(seen.isDisjoint(with: test))
            seen.formUnion(test)
        }
        #expect(seen == triplets(original))
        #expect(runMFTool(["split", "--interactions", input, "--folds", "3", "--fold", "3", "--train", folder + "/x.h5", "--test", folder + "/y.h5"]) == 64)
    }
}

/// (user id, item id, value bits) of every stored entry.
func triplets(_ x: Interactions) -> Set<String> {
    var out = Set<String>()
    for u in 0..<x.userCount {
        for p in x.matrix.range(ofRow: u) {
            out.insert("\(x.userIDs.ids[u])|\(x.itemIDs.ids[Int(x.matrix.indices[p])])|\(x.matrix.values[p].bitPattern)")
        }
    }
    return out
}

extension SplitCommandTests {
    /// The test output is a folder, which a file cannot be renamed onto: the split fails after
    /// both files were written and the train file's rename succeeded.
    @Test("a test output that cannot be renamed into place leaves the old train output as it was")
    func allOrNone() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        let (train, test) = (folder + "/train.h5", folder + "/test.h5")
        #expect(runMFTool(["split", "--interactions", input, "--train", train, "--test", test, "--seed", "5", "-q"]) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: train))
        try FileManager.default.removeItem(atPath: test)
        try FileManager.default.createDirectory(atPath: test, withIntermediateDirectories: false)
        let r = runMFToolReporting(["split", "--interactions", input, "--train", train, "--test", test, "--seed", "6", "-q"])
        #expect(r.code == 1 && r.message.contains(test), "\(r.message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: train)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
        // A train output that did not exist before is removed again.
        let fresh = folder + "/fresh.h5"
        let r2 = runMFToolReporting(["split", "--interactions", input, "--train", fresh, "--test", test, "--seed", "6", "-q"])
        #expect(r2.code == 1 && !FileManager.default.fileExists(atPath: fresh), "\(r2.message)")
    }
}
