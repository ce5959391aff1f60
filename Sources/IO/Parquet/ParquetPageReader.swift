import Matrices

/// The pages of one column chunk, read in order: an optional dictionary page, then data pages
/// (v1 or v2) until the row group's rows are all read. Index pages are skipped. Each page's
/// header is decoded from the chunk's bytes only, its compressed bytes must lie inside the
/// chunk, its declared sizes are charged to the memory budget before decompression, and its
/// value count cannot exceed the rows left.
struct ParquetPageReader {
    let file: String
    let column: ParquetColumnSchema
    let type: ParquetPhysicalType
    let codec: ParquetCodec
    let rows: Int
    let location: String
    /// The file's bytes up to the chunk's end.
    let bytes: UnsafeRawBufferPointer
    /// The next page header's offset in the file.
    var position: Int

    private var dictionary: ParquetValues?
    private var parts: [ParquetValues] = []
    private var nullRows: [Int] = []
    private var rowsRead = 0
    /// The memory a decompressed page may take.
    private let memory: MemoryLimit

    init(file: String, column: ParquetColumnSchema, type: ParquetPhysicalType, codec: ParquetCodec, rows: Int,
         memory: MemoryLimit, location: String, bytes: UnsafeRawBufferPointer, position: Int) {
        self.file = file
        self.memory = memory
        self.column = column
        self.type = type
        self.codec = codec
        self.rows = rows
        self.location = location
        self.bytes = bytes
        self.position = position
    }

    /// Every page until the rows are read: the chunk's values and null rows.
    mutating func readAll() throws(IOError) -> (ParquetValues, [Int]) {
        while rowsRead < rows {
            guard position < bytes.count else {
                throw IOError(file: file, location: location, "the column chunk ends after \(rowsRead) of \(rows) rows")
            }
            let pageAt = position
            do throws(ParquetFailure) {
                try readPage()
            } catch {
                throw IOError(file: file, location: "\(location), page at byte \(pageAt)", error.message)
            }
        }
        return (parts.isEmpty ? .empty(type) : .concatenate(parts, type: type), nullRows)
    }

    /// Reads the page at `position` and moves past it.
    private mutating func readPage() throws(ParquetFailure) {
        var reader = ThriftCompactReader(bytes, at: position)
        let header: ParquetPageHeader
        do throws(ThriftError) { header = try ParquetPageHeader(thrift: &reader) } catch {
            throw ParquetFailure("has a damaged page header (byte \(error.offset)): \(error.message)")
        }
        let start = reader.position
        guard header.compressedSize >= 0, header.uncompressedSize >= 0, Int(header.compressedSize) <= bytes.count - start else {
            throw ParquetFailure("has a page of \(header.compressedSize) bytes where the chunk has \(bytes.count - start) left")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[start..<start + Int(header.compressedSize)])
        position = start + Int(header.compressedSize)
        switch header.type {
        case 0:
            guard let v1 = header.dataV1 else { throw ParquetFailure("has a DATA_PAGE without its header") }
            try readDataV1(v1, body: body, size: Int(header.uncompressedSize))
        case 3:
            guard let v2 = header.dataV2 else { throw ParquetFailure("has a DATA_PAGE_V2 without its header") }
            try readDataV2(v2, body: body, size: Int(header.uncompressedSize))
        case 2:
            guard let d = header.dictionary else { throw ParquetFailure("has a DICTIONARY_PAGE without its header") }
            try readDictionary(d, body: body, size: Int(header.uncompressedSize))
        case 1:
            return
        default:
            throw ParquetFailure("has a page of unknown type \(header.type)")
        }
    }

    private func decompress(_ body: UnsafeRawBufferPointer, size: Int) throws(ParquetFailure) -> [UInt8] {
        guard size <= memory.bytes else {
            throw ParquetFailure("has a page of \(size) bytes, more than the memory limit of \(MemoryLimit.describe(memory.bytes))")
        }
        return try PageDecompression.decompress(body, codec: codec, size: size)
    }

    private mutating func readDictionary(_ header: ParquetPageHeader.Dictionary, body: UnsafeRawBufferPointer, size: Int) throws(ParquetFailure) {
        guard dictionary == nil, parts.isEmpty else { throw ParquetFailure("has a second dictionary page or one after data pages") }
        guard header.encoding == ParquetEncoding.plain.rawValue || header.encoding == ParquetEncoding.plainDictionary.rawValue else {
            throw ParquetFailure("has a dictionary encoded as \(ParquetEncoding.name(header.encoding)), which mftool does not read")
        }
        let count = Int(header.valueCount)
        guard count >= 0 else { throw ParquetFailure("has a dictionary of \(count) values") }
        let page = try decompress(body, size: size)
        dictionary = try page.withPageBytes { raw throws(ParquetFailure) in
            var cursor = ByteCursor(raw)
            let values = try ParquetValues.plain(&cursor, type: type, count: count)
            return values
        }
    }

    /// Checks a data page's value count against the rows left.
    private func checkCount(_ count: Int32) throws(ParquetFailure) -> Int {
        guard count >= 0, Int(count) <= rows - rowsRead else {
            throw ParquetFailure("has a page of \(count) values where \(rows - rowsRead) rows are left in the row group")
        }
        return Int(count)
    }

    private mutating func readDataV1(_ header: ParquetPageHeader.DataV1, body: UnsafeRawBufferPointer, size: Int) throws(ParquetFailure) {
        let count = try checkCount(header.valueCount)
        let page = try decompress(body, size: size)
        try page.withPageBytes { raw throws(ParquetFailure) in
            var cursor = ByteCursor(raw)
            var levels: [UInt32]?
            if column.optional {
                guard header.definitionEncoding == ParquetEncoding.rle.rawValue else {
                    throw ParquetFailure("has definition levels encoded as \(ParquetEncoding.name(header.definitionEncoding)), which mftool does not read")
                }
                let length = Int(try cursor.uint32())
                let levelBytes = try cursor.take(length, "definition levels")
                levels = try RLEHybrid.decode(levelBytes, width: 1, count: count, what: "definition levels")
            }
            try addValues(cursor.rest(), encoding: header.encoding, count: count, levels: levels)
        }
    }

    private mutating func readDataV2(_ header: ParquetPageHeader.DataV2, body: UnsafeRawBufferPointer, size: Int) throws(ParquetFailure) {
        let count = try checkCount(header.valueCount)
        let defLength = Int(header.definitionLength), repLength = Int(header.repetitionLength)
        guard repLength == 0 else { throw ParquetFailure("has repetition levels, which a flat column cannot have") }
        guard defLength >= 0, defLength <= body.count, defLength <= size else {
            throw ParquetFailure("has \(defLength) bytes of definition levels in a page of \(body.count)")
        }
        var levels: [UInt32]?
        if column.optional {
            levels = try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: body[..<defLength]), width: 1, count: count, what: "definition levels")
        } else if defLength > 0 {
            throw ParquetFailure("has definition levels in a required column")
        }
        let rest = UnsafeRawBufferPointer(rebasing: body[defLength...])
        if header.isCompressed && codec != .uncompressed {
            let page = try decompress(rest, size: size - defLength)
            try page.withPageBytes { raw throws(ParquetFailure) in try addValues(raw, encoding: header.encoding, count: count, levels: levels) }
        } else {
            guard rest.count == size - defLength else {
                throw ParquetFailure("has \(rest.count) bytes of uncompressed values where the header declares \(size - defLength)")
            }
            try addValues(rest, encoding: header.encoding, count: count, levels: levels)
        }
    }

    /// Decodes a page's values (one per level 1, or `count` without levels) and records its nulls.
    private mutating func addValues(_ raw: UnsafeRawBufferPointer, encoding: Int32, count: Int, levels: [UInt32]?) throws(ParquetFailure) {
        var present = count
        if let levels {
            present = 0
            for (i, level) in levels.enumerated() {
                if level == 0 { nullRows.append(rowsRead + i) } else { present += 1 }
            }
        }
        let values = try ParquetValues.decode(raw, encoding: encoding, type: type, count: present, dictionary: dictionary)
        parts.append(values)
        rowsRead += count
    }
}
