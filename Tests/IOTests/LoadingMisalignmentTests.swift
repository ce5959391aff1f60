import FixturePaths
import Foundation
@testable import IO
import Loading
import Matrices
import Solvers
import Testing

/// Files that fail to line up with a model, read through the library: the fixtures'
/// ratings.csv and its variants, items.h5 (its items and zelig, in another order) and user
/// factors solved on the two.
struct MisalignedFiles: RatingsVariants {
    let folder: String
    let ratings = FileSpec(Fixtures.path("io/ratings.csv"))
    let items = FileSpec(Fixtures.path("io/items.h5"))
    /// items.h5's factors as a `.npy`, without ids.
    let npy = FileSpec(Fixtures.path("io/items_f64.npy"))
    let users: FileSpec

    init(_ name: String = #function) throws {
        folder = Fixtures.scratchFolder("LoadingMisalignment-" + name)
        var notices = AlignmentNotices()
        let loaded = try ProblemInput(interactions: ratings, items: items).load(objective: Objective(loss: .observed), notices: &notices)
        let solved = try RidgeSolver(threads: 1).solve(loaded.problem)
        users = FileSpec(folder + "/u.h5")
        try FactorFile(factors: solved.factors, ids: loaded.interactions.userIDs).write(to: users.path)
    }

    func model(_ change: (inout ModelAlignment) -> Void = { _ in }) throws -> LoadedModel {
        var alignment = ModelAlignment()
        change(&alignment)
        return try LoadedModel(users: users, items: items, alignment: alignment)
    }
}

/// The message of the error `body` throws, or nil.
func errorMessage<T>(_ body: () throws -> T) -> String? {
    do { _ = try body(); return nil } catch { return "\(error)" }
}

@Suite("Loading: files read against a model that do not line up")
struct ModelMisalignmentTests {
    @Test("user ids that match none of the model's fail, naming both sides' ids; allowEmpty reads no user")
    func noMatch() throws {
        let files = try MisalignedFiles()
        let prefixed = FileSpec(try files.renamedUsers("prefixed.csv") { "u_" + $0 })
        var notices = AlignmentNotices()
        let message = errorMessage { try files.model().aligned(prefixed, role: "train", notices: &notices) } ?? ""
        #expect(message.contains("0 of 5 user ids") && message.contains("'u_alice'") && message.contains("'alice'"), "\(message)")
        #expect(message.contains(prefixed.path) && message.contains(files.users.path))
        let empty = try files.model { $0.matching.allowEmpty = true }.aligned(prefixed, role: "test", notices: &notices)
        #expect(empty.unknownUsers == 5 && empty.matrix.nnz == 0 && empty.matrix.rows == 5)
    }

    @Test("integer user ids against string factor ids say so")
    func differentTypes() throws {
        let files = try MisalignedFiles()
        let names = ["alice": "1", "bob": "2", "carol": "3", "dave": "4", "erin": "5"]
        let numbered = FileSpec(try files.renamedUsers("numbered.csv") { names[$0]! })
        var notices = AlignmentNotices()
        let message = errorMessage { try files.model().aligned(numbered, role: "train", notices: &notices) } ?? ""
        #expect(message.contains("string ids vs integer ids"), "\(message)")
    }

    @Test("partial overlap: known users' interactions land in their rows, unknown users are counted, and recommending excludes them")
    func partial() throws {
        let files = try MisalignedFiles()
        let train = FileSpec(try files.csv("partial.csv", [("alice", "up", 4), ("alice", "jaws", 3), ("zed", "heat", 1)]))
        var notices = AlignmentNotices()
        let model = try files.model()
        let aligned = try model.aligned(train, role: "train", notices: &notices)
        #expect(aligned.unknownUsers == 1 && aligned.matrix.nnz == 2)
        let alice = model.userIDs.index(of: "alice")!
        let seen = Set(aligned.matrix.range(ofRow: alice).map { model.itemIDs.ids[Int(aligned.matrix.indices[$0])] })
        #expect(seen == ["up", "jaws"])
        let lists = RankingEvaluator(cutoffs: [4]).recommend(model: model.model, users: [alice], train: aligned.matrix, k: 4)
        let recommended = lists[0].map { model.itemIDs.ids[$0.item] }
        #expect(recommended.count == 4 && !recommended.contains("up") && !recommended.contains("jaws"))
    }

    @Test("a file without ids is matched by position only when the user counts agree; requireIDs refuses it")
    func positionalUsers() throws {
        let files = try MisalignedFiles()
        let five = FileSpec(try files.matrixMarket("five.mtx", users: 5, items: 6))
        let four = FileSpec(try files.matrixMarket("four.mtx", users: 4, items: 6))
        var notices = AlignmentNotices()
        let aligned = try files.model().aligned(five, role: "train", notices: &notices)
        #expect(aligned.matrix.rows == 5 && aligned.matrix.nnz == 5 && aligned.unknownUsers == 0)
        #expect(notices.lines.contains { $0.contains("position") })
        #expect(errorMessage { try files.model { $0.matching.requireIDs = true }.aligned(five, role: "train", notices: &notices) } != nil)
        #expect(errorMessage { try files.model().aligned(four, role: "train", notices: &notices) }?.contains("4") == true)
    }

    @Test("an unknown item is an error naming it and the way out; dropUnknownItems counts and drops it")
    func unknownItem() throws {
        let files = try MisalignedFiles()
        let train = FileSpec(try files.csv("extra-item.csv", [("alice", "up", 4), ("bob", "matrix", 5)]))
        var notices = AlignmentNotices()
        let message = errorMessage { try files.model().aligned(train, role: "train", notices: &notices) } ?? ""
        #expect(message.contains("'matrix'") && message.contains("--drop-unknown-items"), "\(message)")
        let dropped = try files.model { $0.matching.dropUnknownItems = true }.aligned(train, role: "train", notices: &notices)
        #expect(dropped.droppedInteractions == 1 && dropped.droppedItems == 1 && dropped.matrix.nnz == 1)
    }

    @Test("every interaction on an unknown item leaves nothing: an error naming the count, unless allowEmpty")
    func nothingLeft() throws {
        let files = try MisalignedFiles()
        let some = FileSpec(try files.csv("strangers.csv", [("alice", "up", 4), ("bob", "matrix", 5), ("carol", "solaris", 2)]))
        let only = FileSpec(try files.csv("only-strangers.csv", [("bob", "matrix", 5), ("carol", "solaris", 2)]))
        var notices = AlignmentNotices()
        let dropping = try files.model { $0.matching.dropUnknownItems = true }
        #expect(try dropping.aligned(some, role: "test", notices: &notices).matrix.nnz == 1)
        let message = errorMessage { try dropping.aligned(only, role: "test", notices: &notices) } ?? ""
        #expect(message.contains("0 of 2 item ids"), "\(message)")
        var allowing = dropping
        allowing.alignment.matching.allowEmpty = true
        let empty = try allowing.aligned(only, role: "test", notices: &notices)
        #expect(empty.matrix.nnz == 0 && empty.droppedInteractions == 2)
    }

    @Test("a user file recording an item bias it does not store reads it from the items file, not the working directory")
    func itemBiasFromItemsFile() throws {
        let files = try MisalignedFiles()
        let bias = [0.5, -1, 2, 0.25, 0, 3]
        let v = files.folder + "/v.h5"
        var items = FactorFile(side: .items, factors: try EmbeddingsFile.read(files.items).factors, ids: try IDMap(["heat", "zelig", "brazil", "up", "alien", "jaws"]))
        items.itemBias = bias
        try items.write(to: v)
        var users = try FactorFile.read(files.users)
        // As a file written in its own folder records it: relative, naming a file the working
        // directory does not hold.
        users.itemBiasSource = FileSpec("v.h5:/item_bias")
        try users.write(to: files.users.path)
        #expect(try LoadedModel(users: files.users, items: FileSpec(v)).model.itemBias == bias)
        // Items without an item_bias: the recorded path is resolved from the user file's folder.
        #expect(try LoadedModel(users: files.users, items: files.items).model.itemBias == bias)
        try FileManager.default.removeItem(atPath: v)
        #expect(errorMessage { try LoadedModel(users: files.users, items: files.items) }?.contains("v.h5") == true)
    }
}

@Suite("Loading: problems whose files do not line up")
struct ProblemMisalignmentTests {
    func load(_ input: ProblemInput, objective: Objective = Objective(loss: .observed)) throws -> (LoadedProblem, [String]) {
        var notices = AlignmentNotices()
        let loaded = try input.load(objective: objective, notices: &notices)
        return (loaded, notices.lines)
    }

    @Test("embeddings without ids and a different item count: one data error saying ids are matched by position")
    func countMismatch() throws {
        let files = try MisalignedFiles()
        let message = errorMessage { try load(ProblemInput(interactions: files.ratings, items: files.npy)) } ?? ""
        #expect(message.contains("by position"), "\(message)")
    }

    @Test("item ids as text, a 1-D .npy or an HDF5 dataset, and a sibling ids dataset, give the same problem and solution")
    func idsForEveryFormat() throws {
        let files = try MisalignedFiles()
        let grouped = Fixtures.path("io/items_grouped.h5")
        var inputs: [ProblemInput] = []
        for ids in [Fixtures.path("io/items_ids.txt"), Fixtures.path("io/items_ids.npy"), grouped + ":/model/ids"] {
            var input = ProblemInput(interactions: files.ratings, items: files.npy)
            input.itemIDs = FileSpec(ids)
            inputs.append(input)
        }
        inputs.append(ProblemInput(interactions: files.ratings, items: FileSpec(grouped + ":/model/emb")))
        // items_f64.npy and items_grouped.h5 hold the same rows; items.h5 has the ids, in the same order.
        let reference = try load(inputs[0]).0
        let solution = try RidgeSolver(threads: 1).solve(reference.problem).factors
        #expect(reference.interactions.itemIDs.ids == (try load(ProblemInput(interactions: files.ratings, items: files.items)).0.interactions.itemIDs.ids))
        for input in inputs.dropFirst() {
            let loaded = try load(input).0
            #expect(loaded.interactions.itemIDs.ids == reference.interactions.itemIDs.ids, "\(input.items)")
            #expect(loaded.problem.interactions.indices == reference.problem.interactions.indices)
            #expect(try RidgeSolver(threads: 1).solve(loaded.problem).factors == solution, "\(input.items)")
        }
    }

    @Test("interactions with ids against embeddings without: by position when the counts agree, with a notice; requireIDs refuses")
    func positionalItems() throws {
        let files = try MisalignedFiles()
        let six = FileSpec(try files.csv("six.csv", [("a", "i1", 1), ("a", "i2", 2), ("b", "i3", 3), ("b", "i4", 4), ("c", "i5", 5), ("c", "i6", 1)]))
        let (loaded, notices) = try load(ProblemInput(interactions: six, items: files.npy))
        #expect(loaded.problem.interactions.columns == 6 && loaded.problem.interactions.indices == [0, 1, 2, 3, 4, 5])
        #expect(notices.contains { $0.contains("position") })
        var strict = ProblemInput(interactions: six, items: files.npy)
        strict.read.canonical.matching.requireIDs = true
        #expect(errorMessage { try load(strict) } != nil)
    }

    @Test("factors without ids (check's users, fit's start) are matched by position only at the same count; requireIDs refuses")
    func positionalFactors() throws {
        let files = try MisalignedFiles()
        let factors = try FactorFile.read(files.npy)
        var notices = AlignmentNotices()
        func align(_ users: Int, requireIDs: Bool = false) throws -> DenseMatrix<Double> {
            try factors.factors(alignedTo: .positional(users), argument: files.npy.path, interactions: "x.mtx", requireIDs: requireIDs,
                                allowShift: false, notices: &notices)
        }
        #expect(try align(6) == factors.factors)
        #expect(errorMessage { try align(6, requireIDs: true) } != nil)
        #expect(errorMessage { try align(5) } != nil)
        let named = try IDMap(["u1", "u2", "u3", "u4", "u5", "u6"])
        #expect(try factors.factors(alignedTo: named, argument: files.npy.path, interactions: "x.csv", requireIDs: false,
                                    allowShift: false, notices: &notices) == factors.factors)
    }

    @Test("every item unknown fails even when dropping unknown items; allowEmpty loads the empty problem")
    func everyItemUnknown() throws {
        let files = try MisalignedFiles()
        let strangers = FileSpec(try files.csv("strangers.csv", [("alice", "matrix", 4), ("bob", "solaris", 5)]))
        var input = ProblemInput(interactions: strangers, items: files.items)
        #expect(errorMessage { try load(input) }?.contains("'matrix'") == true)
        input.read.canonical.matching.dropUnknownItems = true
        #expect(errorMessage { try load(input) } != nil)
        input.read.canonical.matching.allowEmpty = true
        let (loaded, _) = try load(input)
        #expect(loaded.problem.interactions.nnz == 0 && loaded.problem.userCount == 2)
        #expect(try RidgeSolver(threads: 1).solve(loaded.problem).factors.storage.allSatisfy { $0 == 0 })
    }
}

@Suite("Loading: filters that leave nothing")
struct EmptyReadTests {
    let ratings = FileSpec(Fixtures.path("io/ratings.csv"))

    @Test("a minimum value with binarizing keeps the ratings of at least 4, as 1s")
    func minValueBeforeImplicit() throws {
        var options = InteractionsFile.ReadOptions()
        options.canonical.minimumValue = 4
        options.canonical.binarize = true
        let (x, _) = try InteractionsFile.read(ratings, options: options)
        let (all, _) = try InteractionsFile.read(ratings)
        #expect(x.matrix.nnz == all.matrix.values.filter { $0 >= 4 }.count && x.matrix.nnz == 5)
        #expect(x.matrix.values.allSatisfy { $0 == 1 })
    }

    @Test("filtering every interaction away is an error naming the filter; allowEmpty reads the empty log with every id")
    func emptyAfterFiltering() throws {
        var options = InteractionsFile.ReadOptions()
        options.canonical.minimumValue = 10
        let message = errorMessage { try InteractionsFile.read(ratings, options: options) } ?? ""
        #expect(message.contains("--min-value"), "\(message)")
        options.canonical.matching.allowEmpty = true
        let (x, _) = try InteractionsFile.read(ratings, options: options)
        #expect(x.matrix.nnz == 0 && x.userCount == 5)
    }

    @Test("an item order from a 1-D .npy of ids numbers the items as its rows")
    func itemOrderFromNPY() throws {
        var options = InteractionsFile.ReadOptions()
        options.canonical.itemOrder = try EmbeddingsFile.readIDs(FileSpec(Fixtures.path("io/items_ids.npy")))
        let (x, _) = try InteractionsFile.read(ratings, options: options)
        #expect(x.itemIDs.ids == ["heat", "zelig", "brazil", "up", "alien", "jaws"])
    }
}
