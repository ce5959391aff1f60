import Foundation

/// Writes an output file through a temporary file in the same folder, renamed into place only
/// when the whole write succeeded, so a failed run never leaves a half-written output.
///
/// The temporary file is `.NAME.tmp-TAG-PID-RANDOM`: removed on failure, on SIGINT and SIGTERM
/// (``TemporaryFiles``), and, when a killed run left one, by a later write to the same folder
/// once its writer is provably gone (``StaleTemporaries``).
/// An output that is a symbolic link is written through: its target is replaced, the link kept.
/// An output that is a FIFO or a character device is written through too, never replaced by a
/// regular file; a block device or a socket is refused.
enum AtomicOutput {
    static func write(to path: String, _ body: (String) throws(IOError) -> Void) throws(IOError) {
        switch SpecialFile(path) {
        case .stream?: return try writeThrough(to: path, body)
        case let .refused(kind)?: throw IOError(file: path, "is \(kind), not a file: give a file path for the output")
        case nil: break
        }
        let target = try resolvedTarget(path)
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw IOError(file: path, "cannot be written: the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw IOError(file: path, "cannot be written (\(String(cString: strerror(errno))))")
        }
        StaleTemporaries.remove(in: folder)
        let temporary = folder + "/" + WriterTag.temporaryName(for: url.lastPathComponent)
        let slot = TemporaryFiles.register(temporary)
        errno = 0
        do {
            try body(temporary)
        } catch {
            let reason = errno
            try? FileManager.default.removeItem(atPath: temporary)
            TemporaryFiles.unregister(slot)
            throw naming(error, temporary: temporary, output: path, reason: reason)
        }
        let pending = Pending(temporary: temporary, target: target, output: path, slot: slot)
        if let group = OutputGroup.current {
            group.pending.append(pending)
        } else {
            try pending.commit()
        }
    }

    /// Writes what `body` produces a block at a time into a ``FileSink``: by `write(2)`, so that
    /// a failure names the operating system's reason ("No space left on device").
    static func writeStream(to path: String, _ body: (FileSink) throws(IOError) -> Void) throws(IOError) {
        try write(to: path) { temporary throws(IOError) in
            let sink = try FileSink(file: temporary, output: path)
            try body(sink)
            try sink.close()
        }
    }

    /// Writes bytes produced in memory, as ``writeStream(to:_:)`` does.
    static func write(_ data: Data, to path: String) throws(IOError) {
        try writeStream(to: path) { sink throws(IOError) in try sink.write(data) }
    }

    /// A written temporary file waiting to be renamed onto its target.
    struct Pending {
        let temporary: String
        let target: String
        let output: String
        let slot: Int?

        func commit() throws(IOError) {
            defer { TemporaryFiles.unregister(slot) }
            guard rename(temporary, target) == 0 else {
                let reason = String(cString: strerror(errno))
                discard()
                throw IOError(file: output, "cannot be written (\(reason))")
            }
        }

        func discard() {
            try? FileManager.default.removeItem(atPath: temporary)
            TemporaryFiles.unregister(slot)
        }
    }

    /// The file a write to `path` replaces: `path`, or the end of its chain of symbolic links.
    static func resolvedTarget(_ path: String) throws(IOError) -> String {
        var current = path
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = destination.hasPrefix("/") ? destination
                : (URL(fileURLWithPath: current).deletingLastPathComponent().path + "/" + destination)
        }
        throw IOError(file: path, "cannot be written: too many levels of symbolic links")
    }

    /// A writer's error that names the hidden temporary file, restated for the output, with the
    /// operating system's reason when the message gives none.
    static func naming(_ error: IOError, temporary: String, output: String, reason: Int32) -> IOError {
        guard error.file == temporary else { return error }
        var message = error.message
        if !message.contains("("), reason != 0 { message += " (\(String(cString: strerror(reason))))" }
        return IOError(file: output, location: error.location, message)
    }
}

/// Writes a text file atomically (temporary file, then rename).
public enum TextOutput {
    public static func write(_ text: String, to path: String) throws(IOError) {
        try AtomicOutput.write(Data(text.utf8), to: path)
    }
}
