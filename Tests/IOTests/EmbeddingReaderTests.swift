import FixturePaths
import IO
import Matrices
import Testing

@Suite("Embedding readers: HDF5 datasets and NumPy arrays")
struct EmbeddingReaderTests {
    @Test("reads the values and ids", arguments: ["items_f32.npy", "items_f64.npy", "items_fortran.npy", "items.h5", "items_custom.h5"])
    func readsFixture(name: String) throws {
        let e = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/" + name)))
        let expected = try ExpectedEmbeddings("io/\(name).json")
        #expect([e.factors.rows, e.factors.columns] == expected.shape)
        #expect(e.factors.storage == expected.values)
        #expect(e.itemIDs?.ids == expected.itemIDs.map { IDList($0) })
    }

    @Test("FILE:/dataset picks a dataset; several candidates are listed in the error")
    func datasetChoice() throws {
        let custom = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_custom.h5") + ":/model/emb"))
        #expect(custom.factors.rows > 0)
        do {
            _ = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_ambiguous.h5")))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/a") && error.message.contains("/b"), "\(error)")
        }
        let picked = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_ambiguous.h5") + ":/b"))
        #expect(picked.factors.rows > 0)
        #expect(throws: IOError.self) { try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items.h5") + ":/nope")) }
    }
}

@Suite("Factors kept in the precision a file stores")
struct KeptPrecisionTests {
    @Test("float32 files stay Float32 with keepSingle, with the values a Float64 read gives; float64 files stay Float64")
    func keepSingle() throws {
        let folder = Fixtures.scratchFolder()
        let factors = DenseMatrix<Double>(rows: 2, columns: 3, storage: [0.1, -2.5, 3, 1e-3, 0.7, -0.25])
        for single in [false, true] {
            var file = FactorFile(factors: factors, ids: try IDMap(["a", "b"]))
            file.single = single
            try file.write(to: folder + "/u.h5")
            var items = FactorFile(side: .items, factors: factors, ids: .positional(2))
            items.single = single
            try items.write(to: folder + "/v.h5")
            let wide = try FactorFile.read(FileSpec(folder + "/u.h5"))
            let kept = try FactorFile.read(FileSpec(folder + "/u.h5"), keepSingle: true)
            #expect(!wide.matrix.isSingle && kept.matrix.isSingle == single)
            #expect(kept.matrix.doubles == wide.factors && kept.factors == wide.factors && kept.ids == wide.ids)
            let (keptItems, ids) = try EmbeddingsFile.readFactors(FileSpec(folder + "/v.h5"), keepSingle: true)
            let wideItems = try EmbeddingsFile.read(FileSpec(folder + "/v.h5"))
            #expect(keptItems.isSingle == single && ids == wideItems.itemIDs && keptItems.doubles == wideItems.factors)
        }
        for (name, single) in [("items_f32.npy", true), ("items_f64.npy", false)] {
            let spec = FileSpec(Fixtures.path("io/" + name))
            let (kept, _) = try EmbeddingsFile.readFactors(spec, keepSingle: true)
            #expect(kept.isSingle == single, "\(name)")
            #expect(kept.doubles == (try EmbeddingsFile.read(spec)).factors, "\(name)")
            #expect(try !EmbeddingsFile.readFactors(spec).0.isSingle, "\(name)")
        }
    }
}
