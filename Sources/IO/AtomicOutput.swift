import Foundation

/// Writes an output file through a temporary file in the same folder, renamed into place only
/// when the whole write succeeded, so a failed run never leaves a half-written output.
enum AtomicOutput {
    static func write(to path: String, _ body: (String) throws(IOError) -> Void) throws(IOError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw IOError(file: path, "cannot be written: the folder \(folder) does not exist")
        }
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try body(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw IOError(file: path, "cannot be written (\(reason))")
        }
    }

    /// Writes bytes produced in memory.
    static func write(_ data: Data, to path: String) throws(IOError) {
        try write(to: path) { temporary throws(IOError) in
            do { try data.write(to: URL(fileURLWithPath: temporary)) } catch {
                throw IOError(file: path, "cannot be written (\(FileErrorText.describe(error)))")
            }
        }
    }
}

/// Writes a text file atomically (temporary file, then rename).
public enum TextOutput {
    public static func write(_ text: String, to path: String) throws(IOError) {
        try AtomicOutput.write(Data(text.utf8), to: path)
    }
}
