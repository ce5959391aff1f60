import FixturePaths
import Foundation
@testable import IO
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
    @Test("float32 files stay Float32 read as stored, with the values a Float64 read gives; float64 files stay Float64")
    func asStored() throws {
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
            let kept = try FactorFile.read(FileSpec(folder + "/u.h5"), reading: .asStored)
            #expect(!wide.matrix.isSingle && kept.matrix.isSingle == single)
            #expect(kept.matrix.doubles == wide.factors && kept.factors == wide.factors && kept.ids == wide.ids)
            let (keptItems, ids) = try EmbeddingsFile.readFactors(FileSpec(folder + "/v.h5"), reading: .asStored)
            let wideItems = try EmbeddingsFile.read(FileSpec(folder + "/v.h5"))
            #expect(keptItems.isSingle == single && ids == wideItems.itemIDs && keptItems.doubles == wideItems.factors)
        }
        for (name, single) in [("items_f32.npy", true), ("items_f64.npy", false)] {
            let spec = FileSpec(Fixtures.path("io/" + name))
            let (kept, _) = try EmbeddingsFile.readFactors(spec, reading: .asStored)
            #expect(kept.isSingle == single, "\(name)")
            #expect(kept.doubles == (try EmbeddingsFile.read(spec)).factors, "\(name)")
            #expect(try !EmbeddingsFile.readFactors(spec).0.isSingle, "\(name)")
        }
    }

    @Test("read as single, every file gives Float32: float64 values rounded to nearest, float32 ones exact, Fortran order transposed")
    func single() throws {
        let folder = Fixtures.scratchFolder()
        let factors = DenseMatrix<Double>(rows: 2, columns: 3, storage: [0.1, -2.5, 1.0 / 3, 1e-3, 0.7, -1e30])
        var file = FactorFile(factors: factors, ids: try IDMap(["a", "b"]))
        try file.write(to: folder + "/u.h5")
        let single = try FactorFile.read(FileSpec(folder + "/u.h5"), reading: .single)
        guard case let .single(m) = single.matrix else { Issue.record("not Float32"); return }
        #expect(m.rows == 2 && m.columns == 3 && m.storage == factors.storage.map { Float($0) })
        #expect(Double(m.storage[0]) != 0.1, "rounded")
        file.single = true
        try file.write(to: folder + "/u32.h5")
        #expect(try FactorFile.read(FileSpec(folder + "/u32.h5"), reading: .single).matrix == single.matrix)
        for name in ["items_f32.npy", "items_f64.npy", "items_fortran.npy", "items.h5"] {
            let spec = FileSpec(Fixtures.path("io/" + name))
            let (read, _) = try EmbeddingsFile.readFactors(spec, reading: .single)
            let wide = try EmbeddingsFile.read(spec).factors
            #expect(read == .single(DenseMatrix(rows: wide.rows, columns: wide.columns, storage: wide.storage.map { Float($0) })), "\(name)")
        }
    }

    @Test("read as single, a float64 value beyond Float32's range is refused by position; one a Float64 read refuses keeps its own message")
    func singleRange() throws {
        let folder = Fixtures.scratchFolder()
        let values: [Double] = [1, 2, 3, 4, 5, 6e38]
        let file = FactorFile(factors: DenseMatrix(rows: 2, columns: 3, storage: values), ids: nil)
        try file.write(to: folder + "/u.h5")
        try Self.npy(values, rows: 2, columns: 3).write(to: URL(fileURLWithPath: folder + "/u.npy"))
        for path in [folder + "/u.h5", folder + "/u.npy"] {
            #expect(try FactorFile.read(FileSpec(path)).factors.storage == values, "a Float64 read takes it")
            #expect(try FactorFile.read(FileSpec(path), reading: .asStored).factors.storage == values)
            let error = #expect(throws: IOError.self) { try FactorFile.read(FileSpec(path), reading: .single) }
            #expect(error?.description.contains("entry (1, 2)") == true && error?.description.contains("float32's range") == true, "\(String(describing: error))")
        }
        try Self.npy([1, 2, .nan, 4], rows: 2, columns: 2).write(to: URL(fileURLWithPath: folder + "/nan.npy"))
        let error = #expect(throws: IOError.self) { try FactorFile.read(FileSpec(folder + "/nan.npy"), reading: .single) }
        #expect(error?.description.contains("not finite") == true, "\(String(describing: error))")
    }

    /// A little-endian float64 `.npy` in C order.
    static func npy(_ values: [Double], rows: Int, columns: Int) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}

@Suite("Embeddings in Parquet: one FLOAT or DOUBLE column per factor, at most one id column")
struct ParquetEmbeddingTests {
    func strings(_ values: [String]) -> ParquetValues {
        var arrays = ParquetByteArrays()
        for v in values { arrays.append(v.utf8) }
        return .byteArray(arrays)
    }

    @Test("the factor columns in schema order make the matrix; the other column gives the ids; float columns stay Float32 as stored")
    func wide() throws {
        let folder = Fixtures.scratchFolder()
        let columns: [[Double]] = [[0.5, -1, 2.25], [3, 0.125, -7], [1e-3, 4, 5]]
        try ParquetWriter.write([("0", .double(columns[0])), ("item_id", strings(["b", "a", "c"])), ("1", .double(columns[1])),
                                 ("2", .double(columns[2]))], to: folder + "/v.parquet")
        let read = try EmbeddingsFile.read(FileSpec(folder + "/v.parquet"))
        #expect(read.factors == DenseMatrix(rows: 3, columns: 3, storage: (0..<9).map { columns[$0 % 3][$0 / 3] }))
        #expect(read.itemIDs?.ids.map { $0 } == ["b", "a", "c"])
        try ParquetWriter.write([("0", .float([1, 2])), ("1", .float([0.1, 4]))], to: folder + "/f.parquet")
        let (stored, ids) = try EmbeddingsFile.readFactors(FileSpec(folder + "/f.parquet"), reading: .asStored)
        #expect(stored == .single(DenseMatrix(rows: 2, columns: 2, storage: [1, 0.1, 2, 4])) && ids == nil)
        let (single, _) = try EmbeddingsFile.readFactors(FileSpec(folder + "/v.parquet"), reading: .single)
        #expect(single == .single(DenseMatrix(rows: 3, columns: 3, storage: read.factors.storage.map { Float($0) })))
    }

    @Test("refused naming the column: two id-like columns, a repeated id, no factor column, a value that is not finite")
    func refusals() throws {
        let folder = Fixtures.scratchFolder()
        func message(_ columns: [(name: String, values: ParquetValues)]) throws -> String {
            let path = folder + "/bad.parquet"
            try ParquetWriter.write(columns, to: path)
            do { _ = try EmbeddingsFile.read(FileSpec(path)); return "no error" } catch { return error.description }
        }
        #expect(try message([("id", strings(["a"])), ("name", strings(["x"])), ("0", .double([1]))])
            .contains("two columns that are not factors, 'id' and 'name'"))
        #expect(try message([("id", strings(["a", "a"])), ("0", .double([1, 2]))]).contains("column 'id': id 'a' occurs twice"))
        #expect(try message([("id", .int64([1, 2]))]).contains("has no FLOAT or DOUBLE column"))
        #expect(try message([("0", .double([1, .infinity]))]).contains("column '0', row 1: value inf is not finite"))
    }
}
