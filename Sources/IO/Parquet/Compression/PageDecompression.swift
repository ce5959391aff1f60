/// A page's bytes as they were before compression, through the one wrapper of each codec's
/// library. The result must be exactly the size the page header declares: more or fewer bytes
/// mean a damaged page or a lying header.
enum PageDecompression {
    /// The codecs mftool reads.
    static let readable: [ParquetCodec] = [.uncompressed, .snappy, .gzip, .zstd]

    /// Decompresses `input` (compressed with `codec`) into `size` bytes. The caller has charged
    /// `size` to the memory budget.
    static func decompress(_ input: UnsafeRawBufferPointer, codec: ParquetCodec, size: Int) throws(ParquetFailure) -> [UInt8] {
        var problem: String?
        var output: [UInt8]
        switch codec {
        case .uncompressed:
            guard input.count == size else {
                throw ParquetFailure("uncompressed page of \(input.count) bytes declares \(size) bytes")
            }
            return Array(input)
        case .snappy:
            output = [UInt8](repeating: 0, count: size)
            problem = output.withUnsafeMutableBytes { SnappyCalls.decompress(input, into: $0) }
        case .gzip:
            // One byte more than declared, so that a stream that goes on past the size is seen.
            output = [UInt8](repeating: 0, count: size + 1)
            switch output.withUnsafeMutableBytes({ ZlibCalls.gzip(input, into: $0) }) {
            case let .complete(made) where made == size: output.removeLast()
            case let .complete(made): problem = "gzip data of \(made) bytes where the page declares \(size)"
            case .overflow: problem = "gzip data longer than the \(size) bytes the page declares"
            case .truncated: problem = "gzip data ends early"
            case let .damaged(message): problem = "damaged gzip data (\(message))"
            }
        case .zstd:
            output = [UInt8](repeating: 0, count: size)
            problem = output.withUnsafeMutableBytes { ZstdCalls.decompress(input, into: $0) }
        default:
            throw ParquetFailure("is compressed with \(codec.name), which mftool does not read")
        }
        if let problem { throw ParquetFailure(problem) }
        return output
    }
}
