/// Parquet's RLE / bit-packed hybrid encoding, of definition levels, dictionary indices and
/// RLE booleans: runs each led by a varint, whose low bit says a repeated value (count = header
/// >> 1, the value in ⌈width / 8⌉ little-endian bytes) or bit-packed groups of 8 values (groups =
/// header >> 1).
enum RLEHybrid {
    /// Decodes exactly `count` values of `width` (0…32) bits from `bytes`; values the last run
    /// holds past `count` are padding. Each run consumes at least its header byte, so the loop
    /// ends; input that ends before `count` values is an error, as is a repeated value wider
    /// than `width`.
    static func decode(_ bytes: UnsafeRawBufferPointer, width: Int, count: Int, what: String) throws(ParquetFailure) -> [UInt32] {
        guard (0...32).contains(width) else { throw ParquetFailure("\(what): bit width \(width) above 32") }
        var out: [UInt32] = []
        out.reserveCapacity(count)
        var cursor = ByteCursor(bytes)
        let valueBytes = (width + 7) / 8
        while out.count < count {
            guard cursor.remaining > 0 else { throw ParquetFailure("\(what) end after \(out.count) of \(count) values") }
            let header = try cursor.uleb()
            let needed = count - out.count
            if header & 1 == 0 {
                let raw = try cursor.take(valueBytes, "\(what): a repeated value")
                var value: UInt32 = 0
                for k in 0..<valueBytes { value |= UInt32(raw[k]) << UInt32(8 * k) }
                guard width == 32 || value >> UInt32(width) == 0 else {
                    throw ParquetFailure("\(what): repeated value \(value) wider than \(width) bits")
                }
                out.append(contentsOf: repeatElement(value, count: Int(min(header >> 1, UInt64(needed)))))
            } else {
                let groups = header >> 1
                let values = groups > UInt64(needed / 8 + 1) ? needed : min(Int(groups) * 8, needed)
                guard let used = BitUnpacking.byteCount(values, width: width), used <= cursor.remaining else {
                    throw ParquetFailure("\(what): bit-packed run of \(groups) groups where \(cursor.remaining) bytes are left")
                }
                // The run's bytes: all ⌈groups · width⌉ of them, or what is left when a writer
                // stopped at the last value.
                let declared = groups <= UInt64(cursor.remaining) ? Int(groups) * width : cursor.remaining
                let run = try cursor.take(min(declared, cursor.remaining), "\(what): a bit-packed run")
                BitUnpacking.unpack(run, width: width, count: values, into: &out)
            }
        }
        return out
    }
}
