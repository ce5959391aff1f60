import FixturePaths
import Foundation
import IO
import Matrices
import Testing

/// Files whose shape is declared (a Matrix Market size line, a `.npz` or HDF5 `shape`, a `.npy`
/// header) far beyond what they hold: each is read with ids numbered on demand and entries where
/// the file puts them, the declared rows costing nothing (row pointers are kept for the
/// nonempty rows only), or refused by name.
@Suite("Declared shapes: a file costs what it holds")
struct DeclaredShapeTests {
    static func read(_ path: String) throws -> (Interactions, ConversionReport) {
        try InteractionsFile.read(FileSpec(path))
    }

    /// Copies a fixture to a scratch file with `fileExtension`, as the fuzz targets name theirs.
    static func scratchCopy(_ fixture: String, _ fileExtension: String) throws -> String {
        let path = Fixtures.scratchFolder() + "/input." + fileExtension
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: path)
        return path
    }

    /// Numbered ids (no String per row) and the one entry per listed row, at its column.
    static func expectPositional(_ x: Interactions, rows: Int, columns: Int, entries: [Int: [Int32]]) {
        #expect(x.userIDs.ids.numbering == 0..<rows && x.itemIDs.ids.numbering == 0..<columns)
        #expect(x.userIDs.isPositional && x.itemIDs.isPositional)
        let m = x.matrix
        #expect(m.rows == rows && m.columns == columns && m.indptr.count == rows + 1)
        let nonempty = m.nonemptyRows()
        #expect(nonempty == entries.keys.sorted())
        for u in nonempty { #expect(Array(m.indices[m.range(ofRow: u)]) == entries[u]) }
    }

    @Test("the Matrix Market headers the fuzzer timed out on: millions of rows, three lines", arguments: [
        ("timeout-16fe0b3d5a2483bffca87f9124113850566e3ba7", 5_622_666),
        ("timeout-65bde21298cca14e97c69d749b1294c8a5a16e87", 9_293_327),
    ])
    func savedTimeouts(name: String, rows: Int) throws {
        let path = try Self.scratchCopy("fuzz/regressions/mtx/" + name, "mtx")
        let (x, report) = try Self.read(path)
        Self.expectPositional(x, rows: rows, columns: 6, entries: [0: [0]])
        #expect(report.duplicates == 2 && x.matrix.values == [1 - 61.51 - 76666661.5])
        #expect(x.userIDs.ids[rows - 1] == String(rows - 1) && x.userIDs.index(of: String(rows - 1)) == rows - 1)
        #expect(x.matrix.indptr.isSparse && x.matrix.indptr.storedCount == 2)
    }

    @Test("a 100,000,000-row header keeps the row pointers of its nonempty rows only")
    func hundredMillionRows() throws {
        let path = Fixtures.scratchFolder() + "/tall.mtx"
        try "%%MatrixMarket matrix coordinate real general\n100000000 4 3\n1 1 1\n2 2 2\n100000000 4 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (x, _) = try Self.read(path)
        Self.expectPositional(x, rows: 100_000_000, columns: 4, entries: [0: [0], 1: [1], 99_999_999: [3]])
        let pointers = x.matrix.indptr
        #expect(pointers.isSparse && pointers.storedCount == 6)
        #expect(pointers[0] == 0 && pointers[2] == 2 && pointers[50_000_000] == 2 && pointers[99_999_999] == 2 && pointers[100_000_000] == 3)
    }

    @Test("sorting the ids of a declared shape keeps them numbered")
    func sortedDeclaredShape() throws {
        let path = Fixtures.scratchFolder() + "/tall.mtx"
        try "%%MatrixMarket matrix coordinate pattern general\n4000000 3 2\n4000000 3\n2 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        var options = InteractionsFile.ReadOptions()
        options.canonical.sortIDs = true
        let (x, _) = try InteractionsFile.read(FileSpec(path), options: options)
        Self.expectPositional(x, rows: 4_000_000, columns: 3, entries: [1: [0], 3_999_999: [2]])
    }

    @Test(".npz COO and HDF5 CSC declaring 5,000,000 users for two entries", arguments: [
        ("io/bad/npz_declared_rows.npz", "npz"), ("io/bad/csc_declared_rows.h5", "h5"),
    ])
    func declaredRowsOtherFormats(fixture: String, fileExtension: String) throws {
        let (x, _) = try Self.read(try Self.scratchCopy(fixture, fileExtension))
        Self.expectPositional(x, rows: 5_000_000, columns: 3, entries: [0: [0], 4_999_999: [2]])
    }

    @Test("a .npy of millions of rows and no columns holds no entries; past 2^31 rows it is refused")
    func npyRowsWithoutColumns() throws {
        let folder = Fixtures.scratchFolder()
        func header(_ rows: Int) -> String { "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), 0), }" }
        try Data(HostileInputTests.npy(header(5_000_000))).write(to: URL(fileURLWithPath: folder + "/tall.npy"))
        var options = InteractionsFile.ReadOptions()
        options.format = .npy
        options.canonical.matching.allowEmpty = true
        let (x, _) = try InteractionsFile.read(FileSpec(folder + "/tall.npy"), options: options)
        Self.expectPositional(x, rows: 5_000_000, columns: 0, entries: [:])
        let huge = folder + "/huge.npy"
        try Data(HostileInputTests.npy(header(3_000_000_000))).write(to: URL(fileURLWithPath: huge))
        do { _ = try InteractionsFile.read(FileSpec(huge), options: options); Issue.record("accepted") } catch {
            HostileInputTests.expectError(error, naming: huge, ["3000000000 × 0", "fewer than 2^31"])
        }
    }
}
