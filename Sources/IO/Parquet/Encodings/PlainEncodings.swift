/// The PLAIN and BYTE_STREAM_SPLIT encodings: fixed-width values little-endian one after
/// another (or their bytes in K streams of N), booleans one bit each, byte arrays each after
/// a 4-byte length.
enum PlainEncodings {
    /// `count` fixed-width values; the bytes must hold all of them.
    static func fixed<T: BitwiseCopyable>(_ cursor: inout ByteCursor, count: Int, as type: T.Type) throws(ParquetFailure) -> [T] {
        guard let size = MemoryBudget.bytes(count, MemoryLayout<T>.size) else { throw ParquetFailure("\(count) values overflow") }
        let raw = try cursor.take(size, "\(count) PLAIN values")
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if size > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw) }
            initialized = count
        }
    }

    /// `count` booleans packed a bit each, least significant first.
    static func booleans(_ cursor: inout ByteCursor, count: Int) throws(ParquetFailure) -> [Bool] {
        let raw = try cursor.take((count + 7) / 8, "\(count) PLAIN booleans")
        return (0..<count).map { raw[$0 >> 3] >> UInt8($0 & 7) & 1 == 1 }
    }

    /// `count` byte arrays, each a 4-byte little-endian length and its bytes.
    static func byteArrays(_ cursor: inout ByteCursor, count: Int) throws(ParquetFailure) -> ParquetByteArrays {
        guard count <= cursor.remaining / 4 else {
            throw ParquetFailure("\(count) byte arrays where \(cursor.remaining) bytes are left")
        }
        var arrays = ParquetByteArrays()
        arrays.reserve(count: count)
        for _ in 0..<count {
            let length = try cursor.uint32()
            arrays.append(try cursor.take(Int(length), "a byte array"))
        }
        return arrays
    }

    /// BYTE_STREAM_SPLIT: byte b of value i at b·count + i.
    static func streamSplit<T: BitwiseCopyable>(_ cursor: inout ByteCursor, count: Int, as type: T.Type) throws(ParquetFailure) -> [T] {
        let width = MemoryLayout<T>.size
        guard let size = MemoryBudget.bytes(count, width) else { throw ParquetFailure("\(count) values overflow") }
        let raw = try cursor.take(size, "\(count) BYTE_STREAM_SPLIT values")
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            for i in 0..<count {
                for b in 0..<width { out[i * width + b] = raw[b * count + i] }
            }
            initialized = count
        }
    }
}
