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
