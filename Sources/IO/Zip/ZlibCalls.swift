import CZlib

/// The only caller of zlib: inflation of a raw deflate stream (a zip member's data) or of gzip
/// data (a Parquet page), and CRC-32.
enum ZlibCalls {
    /// How an inflation ended.
    enum Inflation: Equatable {
        /// The stream ended after producing this many bytes.
        case complete(Int)
        /// The input ran out before the stream's end.
        case truncated
        /// The stream produced more bytes than the output holds.
        case overflow
        /// zlib refused the data (its message).
        case damaged(String)
    }

    /// Inflates the whole raw deflate stream `input` into `output`, reading no byte past
    /// `input` and writing none past `output`.
    static func rawDeflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Inflation {
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { return .damaged("zlib could not start") }
        defer { inflateEnd(&stream) }
        return inflateAll(&stream, input, into: output, members: false)
    }

    /// Inflates the gzip data `input` (one member, or several one after another, as some writers
    /// append) into `output`; the same bounds as ``rawDeflate(_:into:)``.
    static func gzip(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Inflation {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { return .damaged("zlib could not start") }
        defer { inflateEnd(&stream) }
        return inflateAll(&stream, input, into: output, members: true)
    }

    /// The loop of both: every call to `inflate` either moves data or ends the loop, so a
    /// stream that never ends cannot spin. With `members`, input left after a stream's end
    /// starts the next member.
    private static func inflateAll(_ stream: inout z_stream, _ input: UnsafeRawBufferPointer,
                                   into output: UnsafeMutableRawBufferPointer, members: Bool) -> Inflation {
        var consumed = 0, produced = 0
        while true {
            let inChunk = min(input.count - consumed, Int(UInt32.max))
            let outChunk = min(output.count - produced, Int(UInt32.max))
            guard outChunk > 0 else { return .overflow }
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + consumed })
            stream.avail_in = UInt32(inChunk)
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self) + produced
            stream.avail_out = UInt32(outChunk)
            let status = inflate(&stream, Z_NO_FLUSH)
            let used = inChunk - Int(stream.avail_in), made = outChunk - Int(stream.avail_out)
            consumed += used
            produced += made
            switch status {
            case Z_STREAM_END:
                guard members && consumed < input.count else { return .complete(produced) }
                guard inflateReset(&stream) == Z_OK else { return .damaged("zlib could not restart") }
            case Z_OK, Z_BUF_ERROR:
                if used == 0 && made == 0 {
                    return consumed == input.count ? .truncated : .damaged("no progress")
                }
            default:
                return .damaged(stream.msg.map { String(cString: $0) } ?? "error \(status)")
            }
        }
    }

    /// The CRC-32 of `bytes`, as a zip directory records it.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, Int(UInt32.max))
            crc = crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
