import FixturePaths
import Foundation
@testable import IO
import Matrices
import Solvers
import Testing

/// `.h5ad` outputs: AnnData's layout (X, obs and var indexed by the ids, the timestamps layer,
/// uns), read back by mftool to the same interactions and factors; embeddings that anndata
/// wrote give their obs names as ids.
@Suite("AnnData (.h5ad) outputs and embeddings")
struct AnnDataOutputTests {
    /// Three users × four items with string ids, an explicit zero value and timestamps (one of
    /// them 0, which a sparse layer must still store).
    static func timed() throws -> Interactions {
        let m = CSRMatrix(rows: 3, columns: 4, indptr: [0, 2, 3, 5], indices: [1, 3, 0, 0, 2], values: [4, 0, 2.5, 1, 5])
        return Interactions(matrix: m, userIDs: try IDMap(["ann", "bob", "cy, d"]), itemIDs: try IDMap(["w", "x", "42", "z"]),
                            timestamps: [100, 0, 7.5, 1e9, 3])
    }

    @Test("interactions read back equal, with ids and timestamps, stored as CSR or CSC", arguments: [false, true])
    func interactionsRoundTrip(csc: Bool) throws {
        let x = try Self.timed()
        let path = Fixtures.scratchFolder() + "/x.h5ad"
        try InteractionsFile.write(x, to: path, itemMajor: csc)
        let (back, _) = try InteractionsFile.read(FileSpec(path))
        #expect(back == x)
        #expect(back.timestamps == x.timestamps)
        let file = try HDF5File.open(path, limits: ReadLimits())
        #expect(file.isAnnData)
        #expect(try file.stringAttribute("encoding-type", on: "/X") == (csc ? "csc_matrix" : "csr_matrix"))
        #expect(try file.readStrings("/obs/_index") == ["ann", "bob", "cy, d"])
        #expect(try file.readStrings("/var/_index") == ["w", "x", "42", "z"])
        #expect(try file.stringAttribute("_index", on: "/obs") == "_index")
        // The layer stores one timestamp per stored value, in X's order.
        let stored = try file.read("/layers/timestamps/data", as: Double.self).values
        #expect(stored == (csc ? [7.5, 1e9, 100, 3, 0] : [100, 0, 7.5, 1e9, 3]))
        for group in ["/obsm", "/varm", "/obsp", "/varp", "/layers", "/uns"] {
            #expect(try file.stringAttribute("encoding-type", on: group) == "dict", "\(group)")
        }
        // The canonical HDF5 datasets stay out of an AnnData file.
        #expect(file.kind(of: "/user_ids") == .missing && file.kind(of: "/X/user_ids") == .missing)
    }

    @Test("every fixture interactions file reads back equal through .h5ad", arguments: RoundTripTests.inputs)
    func fixtures(name: String) throws {
        let (x, _) = try readFixture(name)
        let path = Fixtures.scratchFolder() + "/out.h5ad"
        try InteractionsFile.write(x, to: path, compression: 4)
        #expect(try InteractionsFile.read(FileSpec(path)).0 == x)
    }

    @Test("provenance goes to the root and to uns/mftool without its prefix")
    func provenance() throws {
        let path = Fixtures.scratchFolder() + "/x.h5ad"
        let provenance = Provenance(version: "9.9", command: "convert", settings: "{\"a\":1}", inputs: "{\"input\":\"r.csv\"}")
        try InteractionsFile.write(try Self.timed(), to: path, provenance: provenance)
        let file = try HDF5File.open(path, limits: ReadLimits())
        #expect(try Provenance.read(path)["mftool_command"] == "convert")
        let settings = try file.withDataset("/uns/mftool/settings") { d throws(IOError) in
            d.readVariableStrings(count: 1, fileType: d.datasetType()!)
        }
        #expect(settings == ["{\"a\":1}"])
        #expect(try file.info("/uns/mftool/settings").shape == [])
        #expect(try file.stringAttribute("encoding-type", on: "/uns/mftool/version") == "string")
    }

    @Test("a timestamps layer that does not store its values where X does is refused, naming it")
    func mismatchedLayer() throws {
        let x = try Self.timed()
        let path = Fixtures.scratchFolder() + "/bad.h5ad"
        let file = try HDF5File.create(path)
        try file.writeAnnDataRoot()
        try file.writeSparse(x.matrix, group: "/X", compression: nil, csc: false)
        try file.writeAnnDataDict("/layers")
        var other = x.matrix
        other.indices = [0, 3, 0, 0, 2]
        try file.writeSparse(other, group: "/layers/timestamps", compression: nil, csc: false)
        try file.flush()
        #expect(throws: IOError.self) { try InteractionsFile.read(FileSpec(path)) }
        do { _ = try InteractionsFile.read(FileSpec(path)) } catch { #expect(error.location == "/layers/timestamps") }
    }

    @Test("factor files read back equal: settings, ids, user bias, stored item bias, float32")
    func factorsRoundTrip() throws {
        let folder = Fixtures.scratchFolder()
        let users = try FactorFileTests.gradientFile()
        try users.write(to: folder + "/u.h5ad")
        #expect(try FactorFile.read(FileSpec(folder + "/u.h5ad")) == users)
        #expect(try FactorFile.recordedSide(folder + "/u.h5ad") == .users)
        let file = try HDF5File.open(folder + "/u.h5ad", limits: ReadLimits())
        #expect(try file.readStrings("/obs/_index") == ["u1", "u2", "u3"])
        #expect(try file.readStrings("/var/_index") == ["0", "1", "user_bias"])

        var items = FactorFile(side: .items, factors: FactorFileTests.factors, ids: try IDMap(["7", "8", "9"]))
        items.itemBias = [0.25, -0.5, 1]
        items.single = true
        try items.write(to: folder + "/v.h5ad")
        var back = try FactorFile.read(FileSpec(folder + "/v.h5ad"), side: .items)
        #expect(back.single && back.itemBias == [0.25, -0.5, 1] && back.ids == items.ids)
        #expect(back.factors == DenseMatrix(rows: 3, columns: 3, storage: FactorFileTests.factors.storage.map { Double(Float($0)) }))
        back.factors = items.factors
        #expect(back == items)
        #expect(try FactorFile.holdsItems(folder + "/v.h5ad"))
        // The bias is an obs column, where a model built on the user factors finds it.
        let bias = try users.itemBias(items: FileSpec(folder + "/v.h5ad"), itemCount: 3, folder: folder)
        #expect(bias == [0.25, -0.5, 1])
    }

    @Test("embeddings anndata wrote give their obs names as ids, X before obsm: the join by id undoes the row order")
    func annDataEmbeddings() throws {
        let fromAnnData = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_anndata.h5ad")))
        let reference = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items.h5")))
        let ids = try #require(fromAnnData.itemIDs)
        #expect(Array(ids.ids) == ["jaws", "alien", "up", "brazil", "zelig", "heat"])
        #expect(fromAnnData.factors.columns == 4)
        let refIDs = try #require(reference.itemIDs)
        for (row, id) in ids.ids.enumerated() {
            let refRow = try #require(refIDs.index(of: id))
            #expect(fromAnnData.factors.row(row) == reference.factors.row(refRow), "\(id)")
        }
    }
}
