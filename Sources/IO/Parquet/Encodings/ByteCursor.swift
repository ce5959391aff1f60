/// Why a page or its values could not be decoded; the column reader adds the file, the column,
/// the row group and the page.
struct ParquetFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A read position in a page's bytes: every read checks the bytes left, so a page that claims
/// more than it holds ends in a ``ParquetFailure``.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws(ParquetFailure) -> UInt8 {
        guard position < bytes.count else { throw ParquetFailure("ends in the middle of a value") }
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    mutating func uleb() throws(ParquetFailure) -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<10 {
            let b = try byte()
            if index == 9 && b > 1 { break }
            result |= UInt64(b & 0x7f) << (7 * UInt64(index))
            if b & 0x80 == 0 { return result }
        }
        throw ParquetFailure("varint longer than 64 bits")
    }

    /// A zigzag-coded varint.
    mutating func zigzag() throws(ParquetFailure) -> Int64 {
        let v = try uleb()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func uint32() throws(ParquetFailure) -> UInt32 {
        let raw = try take(4, "a 4-byte length")
        return UInt32(raw[0]) | UInt32(raw[1]) << 8 | UInt32(raw[2]) << 16 | UInt32(raw[3]) << 24
    }

    /// The next `count` bytes, described as `what` when they are not there.
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetFailure) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw ParquetFailure("\(what()) needs \(count) bytes where \(remaining) are left")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// The bytes not read yet, all of them.
    mutating func rest() -> UnsafeRawBufferPointer {
        defer { position = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[position...])
    }
}

/// Values packed `width` bits each, least significant bit first, as Parquet's bit-packed runs,
/// boolean pages and delta miniblocks store them.
enum BitUnpacking {
    /// Appends `count` values of `width` (0…64) bits read from `bytes` to `out`. `bytes` must
    /// hold at least ⌈count·width / 8⌉ bytes (the caller checks); nothing past it is read.
    static func unpack<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, width: Int, count: Int, into out: inout [T]) {
        precondition(width >= 0 && width <= 64 && bytes.count >= (count * width + 7) / 8)
        guard width > 0 else {
            out.append(contentsOf: repeatElement(0, count: count))
            return
        }
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        for i in 0..<count {
            let bit = i * width
            let at = bit >> 3, shift = UInt64(bit & 7)
            var word = load(bytes, at) >> shift
            if shift + UInt64(width) > 64 { word |= UInt64(bytes[at + 8]) << (64 - shift) }
            out.append(T(truncatingIfNeeded: word & mask))
        }
    }

    /// Eight little-endian bytes at `at`, zero past the end of `bytes`.
    @inline(__always)
    static func load(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        if at + 8 <= bytes.count { return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        var word: UInt64 = 0
        for k in 0..<max(0, bytes.count - at) { word |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        return word
    }

    /// Bytes needed for `count` values of `width` bits, or nil when that overflows.
    static func byteCount(_ count: Int, width: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: width)
        return overflow ? nil : bits / 8 + (bits % 8 == 0 ? 0 : 1)
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with the decoders' typed error.
    func withPageBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ParquetFailure) -> R) throws(ParquetFailure) -> R {
        let result: Result<R, ParquetFailure> = withUnsafeBytes { raw in Result { () throws(ParquetFailure) in try body(raw) } }
        return try result.get()
    }
}
