import CZstd

/// The only caller of libzstd: the decompression of Parquet pages compressed with ZSTD, and
/// the compression of the pages mftool writes.
enum ZstdCalls {
    /// `input` compressed as one zstd frame at level 3 (zstd's default); nil when libzstd fails.
    static func compress(_ input: [UInt8]) -> [UInt8]? {
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else { return nil }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { target in
            input.withUnsafeBytes { source in
                ZSTD_compress(target.baseAddress, target.count, source.baseAddress, source.count, 3)
            }
        }
        guard ZSTD_isError(written) == 0 else { return nil }
        output.removeLast(output.count - written)
        return output
    }

    /// Decompresses the frames of `input` into `output`, which must come out exactly full; nil
    /// or what is wrong. libzstd checks its input and writes nothing past `output`'s capacity.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        guard let source = input.baseAddress, input.count > 0 else { return "no zstd data" }
        var spare: UInt8 = 0
        let produced = withUnsafeMutableBytes(of: &spare) { spareBytes in
            let target = output.count > 0 ? output : spareBytes
            return ZSTD_decompress(target.baseAddress, output.count, source, input.count)
        }
        if ZSTD_isError(produced) != 0 { return "damaged zstd data (\(String(cString: ZSTD_getErrorName(produced))))" }
        guard produced == output.count else { return "zstd data of \(produced) bytes where the page declares \(output.count)" }
        return nil
    }
}
