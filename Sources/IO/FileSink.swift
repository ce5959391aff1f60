import Foundation

/// An output written by `write(2)` a block at a time: a table of any length holds one block
/// of its bytes in memory, never the whole file. A failure names the operating system's
/// reason ("No space left on device", "File too large") and the output, not the temporary file.
final class FileSink {
    private var fd: Int32
    private let output: String
    private var buffer: [UInt8] = []
    /// Bytes gathered before they are written.
    static let blockSize = 1 << 20
    /// The most bytes held at once: the gathered block, or a piece handed over whole.
    private(set) var peakHeld = 0

    /// Creates (or truncates) `file` for writing; errors name `output`.
    init(file: String, output: String) throws(IOError) {
        self.output = output
        fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Self.failure(output) }
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Appends `text`, writing the block once it is full.
    func write(_ text: String) throws(IOError) {
        buffer.append(contentsOf: text.utf8)
        peakHeld = Swift.max(peakHeld, buffer.count)
        if buffer.count >= Self.blockSize { try flush() }
    }

    /// Appends `bytes` (a piece of a block or more is written as it is, after the block).
    func write(_ bytes: [UInt8]) throws(IOError) {
        if buffer.count + bytes.count > Self.blockSize { try flush() }
        guard bytes.count < Self.blockSize else {
            peakHeld = Swift.max(peakHeld, bytes.count)
            guard bytes.withUnsafeBytes({ writeAll($0) }) else { throw Self.failure(output) }
            return
        }
        buffer.append(contentsOf: bytes)
        peakHeld = Swift.max(peakHeld, buffer.count)
    }

    /// Writes whatever is gathered, then `data` as it is.
    func write(_ data: Data) throws(IOError) {
        peakHeld = Swift.max(peakHeld, data.count)
        try flush()
        let ok = data.withUnsafeBytes { writeAll($0) }
        guard ok else { throw Self.failure(output) }
    }

    /// Writes the gathered block.
    func flush() throws(IOError) {
        let ok = buffer.withUnsafeBytes { writeAll($0) }
        guard ok else { throw Self.failure(output) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the last block and closes the file; a failure of either is an error.
    func close() throws(IOError) {
        try flush()
        let result = Glibc.close(fd)
        fd = -1
        guard result == 0 else { throw Self.failure(output) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func failure(_ output: String) -> IOError {
        IOError(file: output, "cannot be written (\(String(cString: strerror(errno))))")
    }
}
