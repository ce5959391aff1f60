import FixturePaths
import Foundation
import IO
import Testing

/// The fuzzer's seeds (fixtures/fuzz/<target>/) and the inputs it once crashed, hung or leaked on
/// (fixtures/fuzz/regressions/<target>/), read the way `tools/fuzz` reads them: each is accepted
/// or refused with one line naming the file, and never crashes the process.
@Suite("Fuzz seeds and regressions: accepted or one IOError")
struct FuzzRegressionTests {
    /// The readers `Fuzz/Sources/MFToolFuzz/FuzzTarget.swift` runs, with the same forced formats
    /// and scratch-file extensions.
    static let targets: [(name: String, fileExtension: String, format: FileFormat?)] = [
        ("text", "csv", .text), ("mtx", "mtx", .mtx), ("npy", "npy", .npy), ("npz", "npz", .npz),
        ("hdf5-interactions", "h5", .hdf5), ("hdf5-embeddings", "h5", nil), ("zip", "zip", nil), ("parquet", "parquet", nil),
    ]

    /// The files of `fixtures/<folder>`, or none when the folder does not exist.
    static func files(in folder: String) -> [String] {
        let path = Fixtures.path(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(path)/\($0)" }
    }

    /// Reads `path` with the reader of the target at `index`; the error, or nil when accepted.
    static func read(_ path: String, target index: Int) -> IOError? {
        let target = targets[index]
        do {
            if target.name == "zip" {
                let archive = try ZipArchive(path: path)
                for member in archive.members { _ = try archive.contents(of: member) }
            } else if target.name == "parquet" {
                let file = try ParquetFile(path: path)
                for column in file.columns { _ = try file.read(column.name) }
                _ = try InteractionsFile.read(FileSpec(path: path))
            } else if let format = target.format {
                var options = InteractionsFile.ReadOptions()
                options.format = format
                _ = try InteractionsFile.read(FileSpec(path: path), options: options)
            } else {
                _ = try EmbeddingsFile.read(FileSpec(path: path))
            }
            return nil
        } catch {
            return error
        }
    }

    @Test("every seed and regression input of a target", arguments: 0..<8)
    func target(_ index: Int) throws {
        let name = Self.targets[index].name
        let seeds = Self.files(in: "fuzz/\(name)")
        #expect(!seeds.isEmpty, "fixtures/fuzz/\(name) has no seeds")
        let scratch = Fixtures.scratchFolder("fuzz-\(name)")
        let path = "\(scratch)/input.\(Self.targets[index].fileExtension)"
        for input in seeds + Self.files(in: "fuzz/regressions/\(name)") {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: input, toPath: path)
            if let error = Self.read(path, target: index) {
                #expect(error.description.hasPrefix(path), "\(input): \(error)")
                #expect(!error.description.contains("\n"), "\(input): \(error)")
            }
        }
    }
}
