import CSnappy

/// The only caller of libsnappy: the decompression of a Parquet page compressed with SNAPPY.
enum SnappyCalls {
    /// Decompresses `input` into `output`, which must be exactly the declared size; nil with
    /// what is wrong otherwise. Snappy checks its input and writes nothing past `output`.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            return "damaged snappy data (no valid length)"
        }
        guard length == output.count else {
            return "snappy data of \(length) bytes where the page declares \(output.count)"
        }
        guard length > 0 else { return nil }
        var produced = output.count
        let status = snappy_uncompress(source, input.count, output.baseAddress!.assumingMemoryBound(to: CChar.self), &produced)
        guard status == SNAPPY_OK, produced == output.count else { return "damaged snappy data" }
        return nil
    }
}
