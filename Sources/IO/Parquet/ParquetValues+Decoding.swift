/// One page's values: the encodings mftool reads, by physical type.
extension ParquetValues {
    /// The encodings ``decode(_:encoding:type:count:dictionary:)`` reads.
    static let readableEncodings: [ParquetEncoding] = [.plain, .plainDictionary, .rleDictionary, .rle, .deltaBinaryPacked,
                                                       .deltaLengthByteArray, .deltaByteArray, .byteStreamSplit]

    /// Decodes `count` values of `type` encoded as `encoding` from `bytes`. Dictionary
    /// encodings need `dictionary`. Byte arrays must be UTF-8. An encoding the type cannot have
    /// is an error naming both.
    static func decode(_ bytes: UnsafeRawBufferPointer, encoding raw: Int32, type: ParquetPhysicalType, count: Int,
                       dictionary: ParquetValues?) throws(ParquetFailure) -> ParquetValues {
        guard let encoding = ParquetEncoding(rawValue: raw), readableEncodings.contains(encoding) else {
            throw ParquetFailure("uses \(ParquetEncoding.name(raw)), which mftool does not read")
        }
        var cursor = ByteCursor(bytes)
        let unsupported = ParquetFailure("has \(type.name) values encoded as \(encoding.name), which that type cannot have")
        let values: ParquetValues
        switch encoding {
        case .plain:
            values = try plain(&cursor, type: type, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetFailure("has a dictionary-encoded page but no dictionary page") }
            guard count > 0 else { return .empty(type) }
            let width = Int(try cursor.byte())
            let indices = try RLEHybrid.decode(cursor.rest(), width: width, count: count, what: "dictionary indices")
            return try dictionary.gather(indices)
        case .rle:
            guard type == .boolean else { throw unsupported }
            let length = Int(try cursor.uint32())
            let runs = try cursor.take(length, "RLE booleans")
            values = .boolean(try RLEHybrid.decode(runs, width: 1, count: count, what: "RLE booleans").map { $0 == 1 })
        case .deltaBinaryPacked:
            guard type == .int32 || type == .int64 else { throw unsupported }
            let decoded = try DeltaEncodings.binaryPacked(&cursor, count: count)
            values = type == .int32 ? .int32(decoded.map { Int32(truncatingIfNeeded: $0) }) : .int64(decoded)
        case .deltaLengthByteArray, .deltaByteArray:
            guard type == .byteArray else { throw unsupported }
            values = .byteArray(encoding == .deltaByteArray ? try DeltaEncodings.byteArrays(&cursor, count: count)
                                                           : try DeltaEncodings.lengthByteArrays(&cursor, count: count))
        case .byteStreamSplit:
            switch type {
            case .int32: values = .int32(try PlainEncodings.streamSplit(&cursor, count: count, as: Int32.self))
            case .int64: values = .int64(try PlainEncodings.streamSplit(&cursor, count: count, as: Int64.self))
            case .float: values = .float(try PlainEncodings.streamSplit(&cursor, count: count, as: Float.self))
            case .double: values = .double(try PlainEncodings.streamSplit(&cursor, count: count, as: Double.self))
            default: throw unsupported
            }
        case .bitPacked:
            throw unsupported
        }
        try values.checkUTF8()
        return values
    }

    /// PLAIN values of `type`, as data pages and dictionary pages store them.
    static func plain(_ cursor: inout ByteCursor, type: ParquetPhysicalType, count: Int) throws(ParquetFailure) -> ParquetValues {
        switch type {
        case .boolean: return .boolean(try PlainEncodings.booleans(&cursor, count: count))
        case .int32: return .int32(try PlainEncodings.fixed(&cursor, count: count, as: Int32.self))
        case .int64: return .int64(try PlainEncodings.fixed(&cursor, count: count, as: Int64.self))
        case .float: return .float(try PlainEncodings.fixed(&cursor, count: count, as: Float.self))
        case .double: return .double(try PlainEncodings.fixed(&cursor, count: count, as: Double.self))
        case .byteArray:
            let values = ParquetValues.byteArray(try PlainEncodings.byteArrays(&cursor, count: count))
            try values.checkUTF8()
            return values
        case .int96, .fixedLenByteArray:
            throw ParquetFailure("has physical type \(type.name), which mftool does not read")
        }
    }

    /// Throws unless every byte-array value is UTF-8 text.
    func checkUTF8() throws(ParquetFailure) {
        guard case let .byteArray(arrays) = self, let bad = arrays.firstInvalidUTF8() else { return }
        throw ParquetFailure("value \(bad) of the page is not valid UTF-8 text")
    }
}
