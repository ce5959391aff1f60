import Foundation

/// Checks and first bytes of an input path, with POSIX calls: Foundation's `FileHandle` traps
/// on a folder, where `read(2)` fails with `EISDIR`.
enum InputFile {
    /// Throws unless `path` exists and is not a folder.
    static func check(_ path: String) throws(IOError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw IOError(file: path, "no such file") }
            throw IOError(file: path, "cannot be read (\(String(cString: strerror(errno))))")
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw IOError(file: path, "is a folder, expected a file") }
    }

    /// Whether `path` is a folder (or a link to one).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The size of `path` in bytes; 0 when it cannot be read.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Up to `count` first bytes of `path`; empty when it cannot be read. Opened non-blocking,
    /// so a FIFO without a writer yields nothing instead of blocking.
    static func head(_ path: String, _ count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = read(fd, &bytes, count)
        return Array(bytes.prefix(Swift.max(0, n)))
    }

    /// The whole file, memory-mapped when `mapped`. An empty file gives empty `Data` without
    /// going through Foundation, whose `Data(contentsOf:)` leaks its read buffer when a file
    /// yields no bytes.
    static func contents(_ path: String, mapped: Bool = false) throws(IOError) -> Data {
        var info = stat()
        if stat(path, &info) == 0, info.st_size == 0, head(path, 1).isEmpty { return Data() }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: mapped ? .alwaysMapped : [])
        } catch {
            throw IOError(file: path, "cannot be read (\(FileErrorText.describe(error)))")
        }
    }
}
