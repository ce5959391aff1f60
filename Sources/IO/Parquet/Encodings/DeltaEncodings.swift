/// The DELTA encodings: DELTA_BINARY_PACKED integers (a header of block size, miniblocks per
/// block, value count and first value; then per block a minimum delta, one bit width per
/// miniblock and the miniblocks' packed deltas), and the byte-array encodings built on it,
/// DELTA_LENGTH_BYTE_ARRAY (lengths, then the bytes one after another) and DELTA_BYTE_ARRAY
/// (prefix lengths shared with the previous value, then the suffixes as DELTA_LENGTH).
enum DeltaEncodings {
    /// Decodes one DELTA_BINARY_PACKED stream at `cursor`, which must declare `count` values,
    /// leaving the cursor after the last miniblock it used. Sums wrap, as the specification
    /// says; an INT32 column truncates the results. Every block consumes at least its minimum
    /// delta's byte and yields values, so the loop ends.
    static func binaryPacked(_ cursor: inout ByteCursor, count: Int) throws(ParquetFailure) -> [Int64] {
        let blockSize = try cursor.uleb(), miniblocks = try cursor.uleb(), total = try cursor.uleb()
        let first = try cursor.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetFailure("DELTA_BINARY_PACKED header of blocks of \(blockSize) values in \(miniblocks) miniblocks is invalid")
        }
        guard total == UInt64(count) else {
            throw ParquetFailure("DELTA_BINARY_PACKED stream of \(total) values where \(count) were expected")
        }
        var out: [Int64] = []
        out.reserveCapacity(count)
        guard count > 0 else { return out }
        out.append(first)
        var last = first
        let perMiniblock = Int(blockSize / miniblocks)
        var deltas: [UInt64] = []
        deltas.reserveCapacity(perMiniblock)
        while out.count < count {
            let minDelta = try cursor.zigzag()
            let widths = try cursor.take(Int(miniblocks), "DELTA_BINARY_PACKED bit widths")
            for m in 0..<Int(miniblocks) where out.count < count {
                let width = Int(widths[m])
                guard width <= 64 else { throw ParquetFailure("DELTA_BINARY_PACKED bit width \(width) above 64") }
                let n = min(perMiniblock, count - out.count)
                let used = BitUnpacking.byteCount(n, width: width)!
                guard used <= cursor.remaining else {
                    throw ParquetFailure("DELTA_BINARY_PACKED miniblock needs \(used) bytes where \(cursor.remaining) are left")
                }
                // A full miniblock is padded to perMiniblock values; the last may stop early.
                let packed = try cursor.take(min(perMiniblock * width / 8, cursor.remaining), "a miniblock")
                deltas.removeAll(keepingCapacity: true)
                BitUnpacking.unpack(packed, width: width, count: n, into: &deltas)
                for d in deltas {
                    last = last &+ minDelta &+ Int64(bitPattern: d)
                    out.append(last)
                }
            }
        }
        return out
    }

    /// Lengths for byte arrays: each between 0 and the bytes that could hold it.
    private static func lengths(_ cursor: inout ByteCursor, count: Int, what: String) throws(ParquetFailure) -> [Int] {
        let raw = try binaryPacked(&cursor, count: count)
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        for v in raw {
            guard v >= 0, v <= Int64(cursor.bytes.count) else { throw ParquetFailure("\(what) \(v) out of range") }
            lengths.append(Int(v))
        }
        return lengths
    }

    /// DELTA_LENGTH_BYTE_ARRAY: `count` lengths, then the values' bytes.
    static func lengthByteArrays(_ cursor: inout ByteCursor, count: Int) throws(ParquetFailure) -> ParquetByteArrays {
        let lengths = try lengths(&cursor, count: count, what: "DELTA_LENGTH_BYTE_ARRAY length")
        var arrays = ParquetByteArrays()
        arrays.reserve(count: count)
        for length in lengths { arrays.append(try cursor.take(length, "a byte array")) }
        return arrays
    }

    /// DELTA_BYTE_ARRAY: prefix lengths, then suffixes as DELTA_LENGTH_BYTE_ARRAY; each value is
    /// the previous value's prefix followed by its suffix.
    static func byteArrays(_ cursor: inout ByteCursor, count: Int) throws(ParquetFailure) -> ParquetByteArrays {
        let prefixes = try lengths(&cursor, count: count, what: "DELTA_BYTE_ARRAY prefix length")
        let suffixes = try lengthByteArrays(&cursor, count: count)
        var arrays = ParquetByteArrays()
        arrays.reserve(count: count)
        var previous: [UInt8] = []
        for i in 0..<count {
            guard prefixes[i] <= previous.count else {
                throw ParquetFailure("DELTA_BYTE_ARRAY prefix of \(prefixes[i]) bytes after a value of \(previous.count)")
            }
            var value = Array(previous[..<prefixes[i]])
            value += suffixes[i]
            arrays.append(value)
            previous = value
        }
        return arrays
    }
}
