import FixturePaths
import IO
import Matrices
import Testing

@Suite("Interaction readers on files written by pandas, SciPy, h5py and anndata")
struct InteractionReaderTests {
    static let fixtures = [
        "ratings.csv", "ratings_noheader.tsv", "u.data", "ratings.dat", "ratings_latest.csv", "sample.inter",
        "implicit.csv", "whitespace.txt", "duplicates.csv",
        "real.mtx", "integer.mtx", "pattern.mtx", "symmetric.mtx",
        "csr.npz", "csc.npz", "coo.npz", "csr_uncompressed.npz", "csr_int64.npz", "dense.npy",
        "csr_root.h5", "csr_group_gzip.h5", "csr_noids.h5", "anndata.h5ad",
    ]

    @Test("reads the canonical contents", arguments: fixtures)
    func readsFixture(name: String) throws {
        let (x, report) = try readFixture(name)
        let expected = try ExpectedInteractions("io/\(name).json")
        #expect(expected.matches(x), "\(name): got ids \(x.userIDs.ids)/\(x.itemIDs.ids), indptr \(x.matrix.indptr), indices \(x.matrix.indices), data \(x.matrix.values)")
        if let duplicates = expected.duplicates { #expect(report.duplicates == duplicates) }
        try x.matrix.validate(requireSortedIndices: true)
    }

    @Test("duplicates: last keeps the later value, error refuses")
    func duplicatePolicies() throws {
        let (last, report) = try readFixture("duplicates.csv") { $0.canonical.duplicates = .last }
        let expected = try ExpectedInteractions("io/duplicates.csv.last.json")
        #expect(expected.matches(last))
        #expect(report.duplicates == 2)
        #expect(throws: IOError.self) { try readFixture("duplicates.csv") { $0.canonical.duplicates = .error } }
    }

    @Test("--item-ids-from orders columns as the embeddings' item_ids")
    func itemOrderFromEmbeddings() throws {
        let ids = try EmbeddingsFile.readIDs(FileSpec(Fixtures.path("io/items.h5")))
        let (x, _) = try readFixture("ratings.csv") { $0.canonical.itemOrder = ids }
        #expect(try ExpectedInteractions("io/ratings.csv.by_items_h5.json").matches(x))
    }

    @Test("unknown items are an error that counts them, or dropped and counted")
    func unknownItems() throws {
        let ids = try IDMap(["up", "jaws", "heat"])  // lacks alien and brazil
        do {
            _ = try readFixture("ratings.csv") { $0.canonical.itemOrder = ids; $0.canonical.itemOrderSource = "items.h5" }
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("3 interactions name 2 items missing"), "\(error)")
            #expect(error.message.contains("'alien'"))
        }
        let (x, report) = try readFixture("ratings.csv") { $0.canonical.itemOrder = ids; $0.canonical.matching.dropUnknownItems = true }
        #expect(report.droppedInteractions == 3 && report.droppedItems == 2)
        #expect(x.matrix.nnz == 9 && x.itemCount == 3)
        #expect(x.userCount == 5)  // users keep their rows even when left empty
    }

    @Test("--sort-ids sorts integer ids numerically")
    func sortIDs() throws {
        let (x, _) = try readFixture("ratings_noheader.tsv") { $0.canonical.sortIDs = true }
        let users = x.userIDs.ids.map { Int($0)! }
        #expect(users == users.sorted())
        let (unsorted, _) = try readFixture("ratings_noheader.tsv")
        // The same interactions, renumbered: compare as (user id, item id, value) sets.
        func triplets(_ i: Interactions) -> Set<String> {
            var out = Set<String>()
            for u in 0..<i.userCount { for p in i.matrix.range(ofRow: u) {
                out.insert("\(i.userIDs.ids[u])|\(i.itemIDs.ids[Int(i.matrix.indices[p])])|\(i.matrix.values[p])")
            } }
            return out
        }
        #expect(triplets(x) == triplets(unsorted))
    }

    @Test("columns chosen by name and by number")
    func columnSelection() throws {
        let (byName, _) = try readFixture("ratings_latest.csv") {
            $0.text.userColumn = .name("movieId"); $0.text.itemColumn = .name("userId"); $0.text.valueColumn = .name("rating")
        }
        let (normal, _) = try readFixture("ratings_latest.csv")
        #expect(byName.matrix.nnz == normal.matrix.nnz)
        #expect(byName.userIDs.ids.sorted() == normal.itemIDs.ids.sorted())
        let (implicit, _) = try readFixture("ratings.csv") { $0.text.implicit = true }
        #expect(implicit.matrix.values.allSatisfy { $0 == 1 })
        let (byNumber, _) = try readFixture("u.data") { $0.text.valueColumn = .index(3) }
        #expect(byNumber.matrix.values.allSatisfy { $0 > 1_000_000 })  // timestamps
    }
}
