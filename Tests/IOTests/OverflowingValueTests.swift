import FixturePaths
import Foundation
import IO
import Matrices
import Testing

/// Values whose squares overflow are refused at input, and non-finite factors never reach a file.
@Suite("Overflowing values: refused at input, never written")
struct OverflowingValueTests {
    static func readError(_ path: String) -> IOError? {
        do { _ = try InteractionsFile.read(FileSpec(path)); return nil } catch { return error }
    }

    @Test("text and .mtx values beyond 1e150 are refused with their line", arguments: [
        ("r.csv", "u,i,r\na,b,1\nc,d,1.7e308\n", "line 3"),
        ("r.csv", "u,i,r\na,b,-2e150\n", "line 2"),
        ("r.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 1e200\n", "line 4"),
    ])
    func textValues(name: String, content: String, line: String) throws {
        let path = Fixtures.scratchFolder() + "/" + name
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(Self.readError(path))
        #expect(error.description.hasPrefix(path) && error.description.contains(line), "\(error)")
        #expect(error.message.contains("larger than 1e150"), "\(error)")
    }

    @Test("embeddings scaled beyond 1e150 are refused at input")
    func embeddings() throws {
        let folder = Fixtures.scratchFolder()
        let items = DenseMatrix(rows: 2, columns: 2, storage: [1, 2, 3e200, 4])
        try EmbeddingsFile.write(items, ids: nil, to: folder + "/v.h5")
        do { _ = try EmbeddingsFile.read(FileSpec(folder + "/v.h5")); Issue.record("accepted") } catch {
            #expect(error.description.contains("entry (1, 0)") && error.message.contains("larger than 1e150"), "\(error)")
        }
    }

    @Test("a non-finite factor is an error naming its user, and nothing is written")
    func nonFiniteFactor() throws {
        let folder = Fixtures.scratchFolder()
        let ids = try IDMap(["ann", "bob"])
        let file = FactorFile(side: .users, factors: DenseMatrix(rows: 2, columns: 2, storage: [1, 2, .nan, 4]), ids: ids)
        #expect(throws: IOError(file: folder + "/u.h5", "user 'bob' has the factor nan (1 non-finite values in all); the inputs or the settings overflow double precision: scale the values down")) {
            try file.write(to: folder + "/u.h5")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("float32 output refuses values beyond its range instead of storing Inf")
    func float32Overflow() throws {
        let folder = Fixtures.scratchFolder()
        var file = FactorFile(side: .users, factors: DenseMatrix(rows: 1, columns: 2, storage: [1, 1e39]), ids: nil)
        file.single = true
        do { try file.write(to: folder + "/u.h5"); Issue.record("written") } catch {
            #expect(error.file == folder + "/u.h5" && error.message.contains("float32 cannot hold"), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
