import FixturePaths
import Foundation
import IO
import Matrices
import Testing

@Suite("Bad input: one clear error naming the file and the place")
struct BadInputTests {
    /// Each bad fixture, and words its error must contain.
    static let cases: [(String, [String])] = [
        ("indptr_not_monotone.h5", ["/indptr", "not monotone"]),
        ("indptr_wrong_end.h5", ["/indptr", "ends at 4", "nnz = 5"]),
        ("index_out_of_range.h5", ["/indices", "index 5", "outside 0..<5"]),
        ("negative_index.h5", ["/indices", "index -1"]),
        ("ids_length_mismatch.h5", ["user_ids", "3 ids", "4 users"]),
        ("missing_indices.h5", ["/indices", "no such dataset", "indptr"]),
        ("truncated.h5", ["truncated"]),
        ("not_hdf5.h5", ["not an HDF5 file"]),
        ("nan_value.csv", ["line 3", "not finite"]),
        ("inf_value.csv", ["line 4", "not finite"]),
        ("wrong_columns.csv", ["line 4", "expected 3 fields, found 2"]),
        ("non_numeric.csv", ["line 3", "'abc' is not a number"]),
        ("empty.csv", ["is empty"]),
        ("header_only.csv", ["no data lines"]),
        ("mtx_out_of_range.mtx", ["line 5", "outside the declared size 3 × 3"]),
        ("mtx_bad_header.mtx", ["line 1", "quaternion"]),
        ("npz_bad_indptr.npz", ["indptr", "not monotone"]),
    ]

    @Test("bad interactions fail with a precise message", arguments: cases.map(\.0))
    func badInteractions(name: String) throws {
        let words = Self.cases.first { $0.0 == name }!.1
        let path = Fixtures.path("io/bad/" + name)
        do {
            _ = try InteractionsFile.read(FileSpec(path))
            Issue.record("\(name) was accepted")
        } catch {
            let text = error.description
            #expect(text.hasPrefix(path), "\(text)")
            #expect(!text.contains("\n"))
            for word in words { #expect(text.contains(word), "\(name): '\(text)' lacks '\(word)'") }
        }
    }

    @Test("a 3-D array is refused as embeddings")
    func threeDimensionalEmbeddings() {
        do {
            _ = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/bad/items_3d.npy")))
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("expected a 2-D array"), "\(error)")
        }
    }

    @Test("missing files, unknown binary formats and unterminated quotes")
    func otherFailures() throws {
        let folder = Fixtures.scratchFolder()
        #expect(throws: IOError(file: folder + "/none.csv", "no such file")) {
            try InteractionsFile.read(FileSpec(folder + "/none.csv"))
        }
        let binary = folder + "/blob.bin"
        #expect(FileManager.default.createFile(atPath: binary, contents: Data([0, 1, 2, 3, 0, 0, 7])))
        do { _ = try InteractionsFile.read(FileSpec(binary)); Issue.record("accepted") } catch {
            #expect(error.message.contains("unknown format"))
        }
        let quoted = folder + "/q.csv"
        #expect(FileManager.default.createFile(atPath: quoted, contents: Data("u,i,r\na,b,1\n\"c,d,2\n".utf8)))
        do { _ = try InteractionsFile.read(FileSpec(quoted)); Issue.record("accepted") } catch {
            #expect(error.description.contains("line 3") && error.message.contains("unterminated"))
        }
    }

    @Test("a failed write leaves no output and no temporary file")
    func noPartialOutput() throws {
        let folder = Fixtures.scratchFolder()
        let (x, _) = try readFixture("ratings.csv")
        #expect(throws: IOError.self) { try InteractionsFile.write(x, to: folder + "/missing-folder/out.h5") }
        #expect(throws: IOError.self) { try InteractionsFile.write(x, to: folder + "/out.npz") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
