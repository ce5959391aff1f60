import Foundation

/// Outputs that belong together (a split's train and test files): each is written to its
/// temporary file, and the renames happen only once all were written, one after the other,
/// so a failure leaves every old output in place.
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
        for (k, output) in group.pending.enumerated() {
            do { try output.commit() } catch {
                group.pending[(k + 1)...].forEach { $0.discard() }
                throw error
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
