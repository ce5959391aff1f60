@testable import IO
import Testing

/// Runs `body` on `bytes` and returns its result or the failure's message.
func decoding<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetFailure) -> T) -> Result<T, ParquetFailure> {
    bytes.withUnsafeBytes { raw in Result { () throws(ParquetFailure) in try body(raw) } }
}

func failure<T>(_ result: Result<T, ParquetFailure>) -> String? {
    if case let .failure(error) = result { return error.message }
    return nil
}

@Suite("Parquet encodings from hand-made bytes, as the specification lays them out")
struct ParquetEncodingTests {
    @Test("RLE/bit-packed hybrid: a repeated run, a bit-packed run, padding past the count")
    func hybrid() throws {
        // Run of 3 × value 5 (header 3 << 1), then one bit-packed group (header 1 << 1 | 1) of
        // 8 values 0…7 at 3 bits: 0b10001000, 0b11000110, 0b11111010.
        let bytes: [UInt8] = [0x06, 0x05, 0x03, 0x88, 0xC6, 0xFA]
        let values = try decoding(bytes) { raw throws(ParquetFailure) in try RLEHybrid.decode(raw, width: 3, count: 10, what: "levels") }.get()
        #expect(values == [5, 5, 5, 0, 1, 2, 3, 4, 5, 6])
        #expect(failure(decoding(bytes) { raw throws(ParquetFailure) in try RLEHybrid.decode(raw, width: 3, count: 12, what: "levels") })
                == "levels end after 11 of 12 values")
        #expect(failure(decoding([0x06, 0x09]) { raw throws(ParquetFailure) in try RLEHybrid.decode(raw, width: 3, count: 3, what: "levels") })
                == "levels: repeated value 9 wider than 3 bits")
        // A run claiming 2^40 groups stops at the count, reading only what it needs.
        let huge: [UInt8] = [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0xFF]
        #expect(try decoding(huge) { raw throws(ParquetFailure) in try RLEHybrid.decode(raw, width: 1, count: 8, what: "levels") }.get()
                == Array(repeating: 1, count: 8))
    }

    @Test("DELTA_BINARY_PACKED: the specification's examples, and headers that lie")
    func deltaBinaryPacked() throws {
        // 1, 2, 3, 4, 5: block 128, 4 miniblocks, 5 values, first 1 (zigzag 2); min delta 1, widths 0.
        let ramp: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
        #expect(try decoding(ramp) { raw throws(ParquetFailure) in var c = ByteCursor(raw); return try DeltaEncodings.binaryPacked(&c, count: 5) }.get()
                == [1, 2, 3, 4, 5] as [Int64])
        // 7, 5, 3, 1, 2, 3, 4, 5: deltas -2 -2 -2 1 1 1 1, min delta -2, deltas - min = 0 0 0 3 3 3 3 at 2 bits.
        var mixed: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0]
        mixed += [0b1100_0000, 0b1111_1111] + Array(repeating: 0, count: 6)   // a 32-value miniblock of 2 bits: 8 bytes
        #expect(try decoding(mixed) { raw throws(ParquetFailure) in var c = ByteCursor(raw); return try DeltaEncodings.binaryPacked(&c, count: 8) }.get()
                == [7, 5, 3, 1, 2, 3, 4, 5] as [Int64])
        #expect(failure(decoding(ramp) { raw throws(ParquetFailure) in var c = ByteCursor(raw); return try DeltaEncodings.binaryPacked(&c, count: 6) })
                == "DELTA_BINARY_PACKED stream of 5 values where 6 were expected")
        let badBlock: [UInt8] = [0x03, 0x01, 0x05, 0x02]
        #expect(failure(decoding(badBlock) { raw throws(ParquetFailure) in var c = ByteCursor(raw); return try DeltaEncodings.binaryPacked(&c, count: 5) })
                == "DELTA_BINARY_PACKED header of blocks of 3 values in 1 miniblocks is invalid")
        // Width 20 claimed with no data after it.
        let cut: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 20, 0, 0, 0]
        #expect(failure(decoding(cut) { raw throws(ParquetFailure) in var c = ByteCursor(raw); return try DeltaEncodings.binaryPacked(&c, count: 5) })
                == "DELTA_BINARY_PACKED miniblock needs 10 bytes where 0 are left")
    }

    @Test("PLAIN, BYTE_STREAM_SPLIT and dictionary pages refuse values their bytes do not hold")
    func plainAndDictionary() throws {
        let floats: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0xC0, 0x40, 0x3F, 0x40]   // 1.5 and 3.0 split into 4 streams of 2
        let split = try decoding(floats) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.byteStreamSplit.rawValue, type: .float, count: 2, dictionary: nil)
        }.get()
        #expect(split == .float([1.5, 3.0]))
        #expect(failure(decoding([1, 2, 3, 4, 5, 6, 7]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.plain.rawValue, type: .int32, count: 2, dictionary: nil)
        }) == "2 PLAIN values needs 8 bytes where 7 are left")
        #expect(failure(decoding([0xFF, 0xFF, 0xFF, 0x7F, 0x61]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.plain.rawValue, type: .byteArray, count: 1, dictionary: nil)
        }) == "a byte array needs 2147483647 bytes where 1 are left")
        // Indices at bit width 2: a run of 2 × index 3 into a dictionary of 3 values.
        let dictionary = ParquetValues.int64([10, 20, 30])
        #expect(failure(decoding([0x02, 0x04, 0x03]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.rleDictionary.rawValue, type: .int64, count: 2, dictionary: dictionary)
        }) == "dictionary index 3 out of range: the dictionary holds 3 values")
        #expect(try decoding([0x02, 0x04, 0x02]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.rleDictionary.rawValue, type: .int64, count: 2, dictionary: dictionary)
        }.get() == .int64([30, 30]))
        #expect(failure(decoding([0x02, 0x04, 0x02]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.rleDictionary.rawValue, type: .int64, count: 2, dictionary: nil)
        }) == "has a dictionary-encoded page but no dictionary page")
        #expect(failure(decoding([]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: 11, type: .int64, count: 0, dictionary: nil)
        }) == "uses encoding 11, which mftool does not read")
        #expect(failure(decoding([]) { raw throws(ParquetFailure) in
            try ParquetValues.decode(raw, encoding: ParquetEncoding.deltaBinaryPacked.rawValue, type: .double, count: 0, dictionary: nil)
        }) == "has DOUBLE values encoded as DELTA_BINARY_PACKED, which that type cannot have")
    }
}
