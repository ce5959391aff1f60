import FixturePaths
import Foundation
@testable import IO
import Testing

/// `.npy` headers are Python dict literals: read entry by entry, in any order, and refused when
/// a key occurs twice (Python keeps the last value, so NumPy reads another array than the first
/// value describes).
@Suite(".npy headers: one value per key")
struct NPYHeaderTests {
    /// A 4 × 2 float64 array 0…7 with `header`.
    static func write(_ header: String) -> String {
        let path = Fixtures.scratchFolder() + "/x.npy"
        let payload = (0..<8).flatMap { k in withUnsafeBytes(of: Double(k).bitPattern.littleEndian) { Array($0) } }
        HostileInputTests.write(HostileInputTests.npy(header, payload: payload), to: path)
        return path
    }

    @Test("a repeated key is refused by name, for embeddings and for interactions", arguments: [
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'shape': (4, 2), }", "'shape' twice"),
        ("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), }", "'descr' twice"),
        ("{\"fortran_order\": True, 'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), }", "'fortran_order' twice"),
    ])
    func repeatedKey(header: String, words: String) {
        let path = Self.write(header)
        do { _ = try EmbeddingsFile.read(FileSpec(path)); Issue.record("accepted") } catch {
            HostileInputTests.expectError(error, naming: path, [words, "ambiguous"])
        }
        var options = InteractionsFile.ReadOptions()
        options.format = .npy
        do { _ = try InteractionsFile.read(FileSpec(path), options: options); Issue.record("accepted") } catch {
            HostileInputTests.expectError(error, naming: path, [words, "ambiguous"])
        }
    }

    @Test("keys in any order, quoted either way, are read as NumPy reads them")
    func anyOrder() throws {
        let path = Self.write("{\"shape\": (4, 2), 'fortran_order': False, \"descr\": '<f8'}")
        let e = try EmbeddingsFile.read(FileSpec(path))
        #expect(e.factors.rows == 4 && e.factors.columns == 2 && e.factors.storage == (0..<8).map(Double.init))
    }

    @Test("the entries of a header: values with commas inside brackets or quotes stay whole")
    func entries() throws {
        let parsed = try #require(NPYArray.headerEntries("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), 'x': 'a,b', }"))
        #expect(parsed.entries == ["descr": "'<f8'", "fortran_order": "False", "shape": "(4, 2)", "x": "'a,b'"] && parsed.repeated == nil)
        #expect(NPYArray.headerEntries("'descr': '<f8'") == nil)
        #expect(NPYArray.headerEntries("{'shape': (1,), 'shape': (2,)}")?.repeated == "shape")
    }
}
