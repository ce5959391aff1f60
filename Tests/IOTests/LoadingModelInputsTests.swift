import FixturePaths
import Foundation
@testable import IO
import Loading
import Matrices
import Solvers
import Testing

/// What `recommend` and `eval` read besides a test file, through the library: item lists,
/// another file's model terms (`like`) and shards of a file without ids.
@Suite("Loading: item lists, model terms and positional shards")
struct LoadingModelInputsTests {
    func write(_ text: String, _ path: String) throws -> FileSpec {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return FileSpec(path)
    }

    @Test("an id list for everyone: unknown ids counted, the rest restrict the ranking, seen items still excluded")
    func globalList() throws {
        let files = try MisalignedFiles()
        let model = try files.model()
        var notices = AlignmentNotices()
        let candidates = try model.itemList(try write("up\nalien\nzelig\nnosuch\n", files.folder + "/c.txt"), role: "candidates", notices: &notices)
        let exclude = try model.itemList(try write("zelig\n", files.folder + "/x.txt"), role: "exclude", notices: &notices)
        #expect(candidates.unknownItems == 1 && exclude.unknownItems == 0 && candidates.perUser == nil)
        #expect(candidates.items.map { Set($0.map { model.itemIDs.ids[$0] }) } == ["up", "alien", "zelig"])
        let train = try model.aligned(files.ratings, role: "train", notices: &notices).matrix
        let users = Array(0..<model.userIDs.count)
        let lists = RankingEvaluator(cutoffs: [6]).recommend(model: model.model, users: users, train: train, k: 6,
                                                             filter: LoadedModel.filter(candidates: candidates, exclude: exclude))
        for u in users {
            let seen = Set(train.range(ofRow: u).map { model.itemIDs.ids[Int(train.indices[$0])] })
            #expect(Set(lists[u].map { model.itemIDs.ids[$0.item] }) == Set(["up", "alien"]).subtracting(seen), "user \(u)")
        }
    }

    @Test("a per-user list: each user only its candidates; unknown users and items counted")
    func perUserList() throws {
        let files = try MisalignedFiles()
        let model = try files.model()
        var notices = AlignmentNotices()
        let list = try write("user,item\nalice,zelig\nalice,heat\nalice,nosuch\nbob,zelig\nzed,heat\n", files.folder + "/c.csv")
        let candidates = try model.itemList(list, role: "candidates", notices: &notices)
        #expect(candidates.items == nil && candidates.unknownItems == 1 && candidates.unknownUsers == 1)
        let perUser = try #require(candidates.perUser)
        let alice = model.userIDs.index(of: "alice")!, carol = model.userIDs.index(of: "carol")!
        #expect(Set(perUser.range(ofRow: alice).map { model.itemIDs.ids[Int(perUser.indices[$0])] }) == ["zelig", "heat"])
        #expect(perUser.degree(ofRow: carol) == 0)
        let lists = RankingEvaluator(cutoffs: [3]).recommend(model: model.model, users: [alice, carol], train: nil, k: 3,
                                                             filter: LoadedModel.filter(candidates: candidates, exclude: nil))
        #expect(Set(lists[0].map { model.itemIDs.ids[$0.item] }) == ["zelig", "heat"] && lists[1].isEmpty)
    }

    @Test("a list none of whose ids match fails naming both sides, unless allowEmpty")
    func listWithoutOverlap() throws {
        let files = try MisalignedFiles()
        let numbers = try write("1\n2\n", files.folder + "/numbers.txt")
        var notices = AlignmentNotices()
        let message = errorMessage { try files.model().itemList(numbers, role: "candidates", notices: &notices) } ?? ""
        #expect(message.contains("0 of 2 item ids") && message.contains("numbers.txt") && message.contains(files.items.path), "\(message)")
        let empty = try files.model { $0.matching.allowEmpty = true }.itemList(numbers, role: "candidates", notices: &notices)
        #expect(empty.items == [] && empty.unknownItems == 2)
    }

    @Test("like: μ and the user bias come from the other file; a user file recording other terms is refused unless override")
    func likeTerms() throws {
        let files = try MisalignedFiles()
        let factors = DenseMatrix<Double>(rows: 5, columns: 5, storage: (0..<25).map { Double($0 % 7) / 7 })
        let ids = try FactorFile.read(files.users).ids
        var trained = FactorFile(factors: factors, ids: ids)
        (trained.userBias, trained.offset, trained.globalMean) = (true, .globalMean, 3.25)
        var plain = FactorFile(factors: factors, ids: ids)
        plain.userBias = true
        let dump = FactorFile(factors: factors, ids: ids)
        for (file, name) in [(trained, "trained.h5"), (plain, "plain.h5"), (dump, "dump.h5")] { try file.write(to: files.folder + "/" + name) }
        let like = (path: files.folder + "/trained.h5", override: false)
        let liked = try LoadedModel(users: FileSpec(files.folder + "/dump.h5"), items: files.items, like: like).model
        let recorded = try LoadedModel(users: FileSpec(like.path), items: files.items).model
        #expect(liked.mean == 3.25 && liked.userBias && recorded.mean == 3.25 && recorded.userBias)
        // Without like, the dump has no user bias column: its k + 1 columns do not fit the items.
        #expect(errorMessage { try LoadedModel(users: FileSpec(files.folder + "/dump.h5"), items: files.items) }?.contains("5 columns") == true)
        let message = errorMessage { try LoadedModel(users: FileSpec(files.folder + "/plain.h5"), items: files.items, like: like) } ?? ""
        #expect(message.contains("offset none (--like: global-mean)"), "\(message)")
        let overridden = try LoadedModel(users: FileSpec(files.folder + "/plain.h5"), items: files.items, like: (like.path, true)).model
        #expect(overridden.mean == 3.25)
    }

    @Test("a test file without user ids is matched by position in the whole file, each shard at its own rows")
    func positionalShards() throws {
        let folder = Fixtures.scratchFolder("LoadingModelInputs-positional")
        let test = FileSpec(Fixtures.path("io/csr_noids.h5"))
        let (x, _) = try InteractionsFile.read(test)
        let users = folder + "/u.h5", items = folder + "/v.h5"
        try FactorFile(factors: DenseMatrix(rows: x.userCount, columns: 2, storage: (0..<(2 * x.userCount)).map(Double.init)), ids: nil).write(to: users)
        try EmbeddingsFile.write(DenseMatrix(rows: x.itemCount, columns: 2, storage: (0..<(2 * x.itemCount)).map { Double($0 % 3) }), ids: nil, to: items)
        let model = try LoadedModel(users: FileSpec(users), items: FileSpec(items))
        var notices = AlignmentNotices()
        let whole = try model.aligned(test, role: "test", notices: &notices)
        #expect(whole.matrix == x.matrix && whole.unknownUsers == 0)
        var rows = 0, nnz = 0
        for index in 0..<3 {
            let (part, read) = try model.alignedShard(test, role: "test", shard: Shard(index: index, count: 3)!, notices: &notices)
            for u in read.rows { #expect(Array(part.matrix.range(ofRow: u).map { part.matrix.indices[$0] }) == Array(x.matrix.range(ofRow: u).map { x.matrix.indices[$0] })) }
            rows += read.rows.count
            nnz += part.matrix.nnz
        }
        #expect(rows == x.userCount && nnz == x.matrix.nnz)
    }
}
