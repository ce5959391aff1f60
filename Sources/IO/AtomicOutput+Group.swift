import Foundation

/// Outputs that belong together (a split's train and test files): each is written to its
/// temporary file, and the renames happen only once all were written, one after the other.
/// Each output a rename replaces is kept under a hard link until every rename succeeded, so a
/// failed rename puts back the outputs already replaced: all are new, or all are old.
public final class OutputGroup: @unchecked Sendable {
    @TaskLocal static var current: OutputGroup?

    var pending: [AtomicOutput.Pending] = []

    private init() {}

    /// Runs `body`, whose atomic writes are held back, then renames all its outputs into place;
    /// if `body` fails, every temporary file it wrote is removed and no output is replaced.
    public static func writeTogether(_ body: () throws(IOError) -> Void) throws(IOError) {
        let group = OutputGroup()
        let result: Result<Void, IOError> = $current.withValue(group) {
            Result { () throws(IOError) in try body() }
        }
        do {
            try result.get()
        } catch {
            group.pending.forEach { $0.discard() }
            throw error
        }
        var committed: [(output: AtomicOutput.Pending, backup: Backup)] = []
        for (k, output) in group.pending.enumerated() {
            let backup = keep(output.target)
            do { try output.commit() } catch {
                if case let .kept(path) = backup { unlink(path) }
                group.pending[(k + 1)...].forEach { $0.discard() }
                restore(committed)
                throw error
            }
            committed.append((output, backup))
        }
        for case let (_, .kept(path)) in committed { unlink(path) }
    }

    /// What a rename is about to replace.
    enum Backup {
        /// No file: undoing the rename removes the new one.
        case none
        /// The old file, hard-linked here.
        case kept(String)
        /// A file that could not be linked (a file system without hard links): left as renamed.
        case lost
    }

    /// A hard link to the file at `target` beside it, named as a temporary file (so that the
    /// stale-temporary sweep removes it if the process dies).
    static func keep(_ target: String) -> Backup {
        var info = stat()
        guard lstat(target, &info) == 0 else { return .none }
        let url = URL(fileURLWithPath: target)
        let backup = url.deletingLastPathComponent().path + "/" + WriterTag.temporaryName(for: url.lastPathComponent)
        return link(target, backup) == 0 ? .kept(backup) : .lost
    }

    /// Puts back what `committed` replaced, last first: the kept file where there was one, no
    /// file where there was none.
    static func restore(_ committed: [(output: AtomicOutput.Pending, backup: Backup)]) {
        for (output, backup) in committed.reversed() {
            switch backup {
            case .none: unlink(output.target)
            case let .kept(path): rename(path, output.target)
            case .lost: break
            }
        }
    }

    /// Throws unless `outputs` are distinct files and none of them is one of `inputs` (compared
    /// by device and inode, so other spellings and links of a path count as the same file).
    public static func refuseOverlap(inputs: [String], outputs: [String]) throws(IOError) {
        var seen: [FileIdentity: String] = [:]
        for input in inputs { if let id = FileIdentity(input) { seen[id] = input } }
        var written: [String: String] = [:]
        for output in outputs {
            if let id = FileIdentity(output), let input = seen[id] {
                throw IOError(file: output, "is also the input \(input); write to another file")
            }
            let key = URL(fileURLWithPath: (try? AtomicOutput.resolvedTarget(output)) ?? output).standardizedFileURL.path
            if let other = written[key] { throw IOError(file: output, "is given twice as an output (also as \(other))") }
            written[key] = output
        }
    }
}

/// A file's device and inode.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
