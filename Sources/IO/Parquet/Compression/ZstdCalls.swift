import CZstd

/// The only caller of libzstd: the decompression of a Parquet page compressed with ZSTD.
enum ZstdCalls {
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
