import Foundation
import IO
import Matrices

/// One reader under the fuzzer: how the bytes are handed to it.
enum FuzzTarget: String, CaseIterable {
    case text
    case mtx
    case npy
    case npz
    case hdf5Interactions = "hdf5-interactions"
    case hdf5Embeddings = "hdf5-embeddings"
    /// The zip container of `.npz` files itself: every member of any archive, whatever it holds.
    case zip
    /// Parquet: every column of the file decoded, then the file read as interactions.
    case parquet

    /// The extension of the scratch file: the embeddings reader detects its format from the
    /// first bytes, else from the extension, so `.h5` keeps every input on the HDF5 reader.
    var fileExtension: String {
        switch self {
        case .text: return "csv"
        case .mtx: return "mtx"
        case .npy: return "npy"
        case .npz: return "npz"
        case .hdf5Interactions, .hdf5Embeddings: return "h5"
        case .zip: return "zip"
        case .parquet: return "parquet"
        }
    }

    /// Runs the reader on `path`. An `IOError` is a correct answer to a bad file; only a crash,
    /// a hang or a memory blow-up is a finding.
    func run(path: String) {
        do {
            switch self {
            case .text: _ = try InteractionsFile.read(FileSpec(path: path), options: Self.forced(.text))
            case .mtx: _ = try InteractionsFile.read(FileSpec(path: path), options: Self.forced(.mtx))
            case .npy: _ = try InteractionsFile.read(FileSpec(path: path), options: Self.forced(.npy))
            case .npz: _ = try InteractionsFile.read(FileSpec(path: path), options: Self.forced(.npz))
            case .hdf5Interactions: _ = try InteractionsFile.read(FileSpec(path: path), options: Self.forced(.hdf5))
            case .hdf5Embeddings: _ = try EmbeddingsFile.read(FileSpec(path: path), limits: FuzzSession.limits)
            case .zip: Self.readMembers(path: path)
            case .parquet:
                Self.readColumns(path: path)
                _ = try InteractionsFile.read(FileSpec(path: path), options: InteractionsFile.ReadOptions(limits: FuzzSession.limits))
            }
        } catch {
            // The message quotes bytes of the file: building it is part of reading a bad file.
            _ = error.description
        }
    }

    /// Opens the archive and reads every member, each refusal on its own: one damaged member
    /// must not hide what reading the next one does.
    private static func readMembers(path: String) {
        guard let archive = try? ZipArchive(path: path, limits: FuzzSession.limits) else { return }
        for member in archive.members {
            do { _ = try archive.contents(of: member) } catch { _ = error.description }
        }
    }

    /// Opens the file and decodes every column, each refusal on its own, as for zip members.
    private static func readColumns(path: String) {
        guard let file = try? ParquetFile(path: path, limits: FuzzSession.limits) else { return }
        for column in file.columns {
            do { _ = try file.read(column.name) } catch { _ = error.description }
        }
    }

    private static func forced(_ format: FileFormat) -> InteractionsFile.ReadOptions {
        var options = InteractionsFile.ReadOptions(limits: FuzzSession.limits)
        options.format = format
        return options
    }
}

/// The target named by MFTOOL_FUZZ_TARGET and this process's scratch file, set up once.
///
/// The scratch file is `input.<extension>` in MFTOOL_FUZZ_SCRATCH when set (a folder of its
/// own; `tools/fuzz --gate` gives a relative one, so that the path every error message quotes
/// is the same on every machine), else in a folder named by the process id under TMPDIR.
struct FuzzSession {
    let target: FuzzTarget
    let path: String

    /// The memory budget the readers run under: what a reader accepts must fit well inside
    /// libFuzzer's RSS limit (`tools/fuzz` gives 2048 MB) with AddressSanitizer's overhead, so
    /// that an allocation past the budget is a finding and one within it never is.
    static let memoryBudget = 256 << 20

    /// What every reader runs under: the budget above, no external links, and one thread, so
    /// that coverage does not depend on how threads interleave and the gate's figures are the
    /// same on every run.
    static let limits = ReadLimits(memory: MemoryLimit(bytes: memoryBudget), parallel: false)

    static let current: FuzzSession = {
        let environment = ProcessInfo.processInfo.environment
        guard let target = FuzzTarget(rawValue: environment["MFTOOL_FUZZ_TARGET"] ?? "") else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("MFTOOL_FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(64)
        }
        let folder = environment["MFTOOL_FUZZ_SCRATCH"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mftool-fuzz-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/input." + target.fileExtension
        atexit { try? FileManager.default.removeItem(atPath: (FuzzSession.current.path as NSString).deletingLastPathComponent) }
        return FuzzSession(target: target, path: path)
    }()
}
