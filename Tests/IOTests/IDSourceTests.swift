import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

@Suite("Ids for every format, and factor files that need no other file")
struct IDSourceTests {
    let order = ["heat", "zelig", "brazil", "up", "alien", "jaws"]

    @Test("an id list as text, a 1-D .npy, an HDF5 dataset, or a sibling ids dataset")
    func idLists() throws {
        #expect(try IDListFile.read(FileSpec(Fixtures.path("io/items_ids.txt"))).ids == order)
        #expect(try IDListFile.read(FileSpec(Fixtures.path("io/items_ids.npy"))).ids == order)
        #expect(try IDListFile.read(FileSpec(Fixtures.path("io/items_grouped.h5") + ":/model/ids")).ids == order)
        let grouped = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_grouped.h5") + ":/model/emb"))
        #expect(grouped.itemIDs?.ids == IDList(order))
        let npy = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_f64.npy")), ids: FileSpec(Fixtures.path("io/items_ids.npy")))
        #expect(npy.itemIDs?.ids == IDList(order) && npy.factors == grouped.factors)
        #expect(throws: IOError.self) {
            try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_fortran.npy")), ids: FileSpec(Fixtures.path("io/items_ids.npy")))
        }
    }

    @Test("an .h5ad's obs and var names are its user and item ids")
    func annData() throws {
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("io/anndata.h5ad")))
        #expect(x.userIDs.ids.first == "cell0" && !x.userIDs.isPositional && x.itemIDs.ids.last == "gene5")
        let (noIDs, _) = try InteractionsFile.read(FileSpec(Fixtures.path("io/csr_noids.h5")))
        #expect(noIDs.userIDs.isPositional && noIDs.itemIDs.isPositional)
    }

    @Test("the item bias: stored in the user file, else in the items file, else the recorded path from the user file's folder")
    func itemBias() throws {
        let folder = Fixtures.scratchFolder()
        let factors = DenseMatrix<Double>(rows: 2, columns: 2, storage: [1, 2, 3, 4])
        var items = FactorFile(side: .items, factors: factors, ids: try IDMap(["a", "b"]))
        items.itemBias = [0.5, -0.5]
        try items.write(to: folder + "/v.h5")
        var users = FactorFile(factors: factors, ids: try IDMap(["x", "y"]))
        users.itemBiasSource = FileSpec("v.h5:/item_bias")
        try users.write(to: folder + "/u.h5")
        let read = try FactorFile.read(FileSpec(folder + "/u.h5"))
        // From the items file given, wherever the working directory is.
        #expect(try read.itemBias(items: FileSpec(folder + "/v.h5"), itemCount: 2, folder: "/nonexistent") == [0.5, -0.5])
        // Items without a bias: the recorded path, taken from the user file's folder and checked.
        try EmbeddingsFile.write(factors, ids: nil, to: folder + "/plain.h5")
        #expect(try read.itemBias(items: FileSpec(folder + "/plain.h5"), itemCount: 2, folder: folder) == [0.5, -0.5])
        #expect(throws: IOError.self) { try read.itemBias(items: FileSpec(folder + "/plain.h5"), itemCount: 3, folder: folder) }
        #expect(throws: IOError.self) { try read.itemBias(items: FileSpec(folder + "/plain.h5"), itemCount: 2, folder: "/nonexistent") }
        // Stored in the user file itself.
        users.itemBias = [1, 2]
        try users.write(to: folder + "/u2.h5")
        #expect(try FactorFile.read(FileSpec(folder + "/u2.h5")).itemBias(items: FileSpec(folder + "/v.h5"), itemCount: 2, folder: "") == [1, 2])
    }
}
