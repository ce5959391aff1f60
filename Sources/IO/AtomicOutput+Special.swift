import Foundation

extension AtomicOutput {
    /// What an existing output path is, when it is not a regular file or a folder.
    enum SpecialFile {
        /// A FIFO or a character device (a terminal, /dev/null, a pipe given as /dev/stdout):
        /// written through, never replaced.
        case stream(String)
        /// A block device or a socket: refused.
        case refused(String)

        /// Follows symbolic links, as opening the path does; nil for a regular file, a folder
        /// or no file at all.
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFIFO: self = .stream("a FIFO")
            case S_IFCHR: self = .stream("a character device")
            case S_IFBLK: self = .refused("a block device")
            case S_IFSOCK: self = .refused("a socket")
            default: return nil
            }
        }
    }

    /// Writes an output that is a FIFO or a character device through, without replacing it: the
    /// whole output is written to a temporary file first (in TMPDIR: the device's folder may not
    /// be writable), so that a failed write sends nothing, then copied into the special file.
    static func writeThrough(to path: String, _ body: (String) throws(IOError) -> Void) throws(IOError) {
        let temporary = NSTemporaryDirectory() + "/" + WriterTag.temporaryName(for: "mftool-output")
        let slot = TemporaryFiles.register(temporary)
        defer {
            unlink(temporary)
            TemporaryFiles.unregister(slot)
        }
        errno = 0
        do { try body(temporary) } catch {
            throw naming(error, temporary: temporary, output: path, reason: errno)
        }
        let source = open(temporary, O_RDONLY)
        let sink = open(path, O_WRONLY)
        defer {
            if source >= 0 { close(source) }
            if sink >= 0 { close(sink) }
        }
        guard source >= 0, sink >= 0 else { throw IOError(file: path, "cannot be written (\(String(cString: strerror(errno))))") }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = Glibc.read(source, &buffer, buffer.count)
            guard n > 0 else {
                if n < 0 { throw IOError(file: path, "cannot be written (\(String(cString: strerror(errno))))") }
                return
            }
            var done = 0
            while done < n {
                let w = buffer.withUnsafeBytes { Glibc.write(sink, $0.baseAddress! + done, n - done) }
                guard w > 0 else { throw IOError(file: path, "cannot be written (\(String(cString: strerror(errno))))") }
                done += w
            }
        }
    }
}
