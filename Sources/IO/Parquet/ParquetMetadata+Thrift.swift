/// Decoding of the footer and page headers from the Thrift compact protocol, by parquet.thrift's
/// field ids. A required field that is missing reads as its placeholder (-1, empty) and is
/// refused where it is used.
extension ParquetMetadata {
    init(thrift r: inout ThriftCompactReader) throws(ThriftError) {
        self.init()
        var decoded = self
        try r.readStruct { r, f throws(ThriftError) in
            switch f.id {
            case 1: decoded.version = try r.i32(f)
            case 2: decoded.schema = try r.list(f, of: .structure) { r throws(ThriftError) in try SchemaElement(thrift: &r) }
            case 3: decoded.rowCount = try r.i64(f)
            case 4: decoded.rowGroups = try r.list(f, of: .structure) { r throws(ThriftError) in try RowGroup(thrift: &r) }
            case 8: decoded.encrypted = true; try r.skip(f)
            default: try r.skip(f)   // key-value metadata, created_by, column orders, …
            }
        }
        self = decoded
    }
}

extension ParquetMetadata.SchemaElement {
    init(thrift r: inout ThriftCompactReader) throws(ThriftError) {
        self.init()
        var e = self
        try r.readStruct { r, f throws(ThriftError) in
            switch f.id {
            case 1: e.physicalType = try r.i32(f)
            case 3: e.repetition = try r.i32(f)
            case 4: e.name = try r.string(f)
            case 5: e.childCount = try r.i32(f)
            case 6: e.convertedType = try r.i32(f)
            case 10: e.logicalType = try ParquetLogicalType(thrift: &r, f)
            default: try r.skip(f)
            }
        }
        self = e
    }
}

extension ParquetLogicalType {
    /// The LogicalType union: exactly one member set.
    init(thrift r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) {
        var result: ParquetLogicalType?
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: result = .string; try r.skip(f)
            case 6: result = .date; try r.skip(f)
            case 8: result = try Self.timestamp(&r, f)
            case 10: result = try Self.integer(&r, f)
            default:
                let names: [Int16: String] = [2: "MAP", 3: "LIST", 4: "ENUM", 5: "DECIMAL", 7: "TIME", 11: "UNKNOWN",
                                              12: "JSON", 13: "BSON", 14: "UUID", 15: "FLOAT16", 16: "VARIANT",
                                              17: "GEOMETRY", 18: "GEOGRAPHY"]
                result = .other(names[f.id] ?? "logical type \(f.id)")
                try r.skip(f)
            }
        }
        guard let result else { throw r.failure("logical type with no member set") }
        self = result
    }

    private static func timestamp(_ r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) -> ParquetLogicalType {
        var adjusted = false
        var unit: TimeUnit?
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: adjusted = try r.bool(f)
            case 2:
                try r.structure(f) { r, u throws(ThriftError) in
                    switch u.id {
                    case 1: unit = .millis
                    case 2: unit = .micros
                    case 3: unit = .nanos
                    default: break
                    }
                    try r.skip(u)
                }
            default: try r.skip(f)
            }
        }
        guard let unit else { return .other("TIMESTAMP of an unknown unit") }
        return .timestamp(unit, adjustedToUTC: adjusted)
    }

    private static func integer(_ r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) -> ParquetLogicalType {
        var bits: Int8 = 0
        var signed = true
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: bits = try r.i8(f)
            case 2: signed = try r.bool(f)
            default: try r.skip(f)
            }
        }
        guard [8, 16, 32, 64].contains(bits) else { return .other("INT(\(bits))") }
        return .integer(bits: Int(bits), signed: signed)
    }
}

extension ParquetMetadata.RowGroup {
    init(thrift r: inout ThriftCompactReader) throws(ThriftError) {
        self.init()
        var g = self
        try r.readStruct { r, f throws(ThriftError) in
            switch f.id {
            case 1: g.columns = try r.list(f, of: .structure) { r throws(ThriftError) in try ParquetMetadata.ColumnChunk(thrift: &r) }
            case 3: g.rowCount = try r.i64(f)
            default: try r.skip(f)
            }
        }
        self = g
    }
}

extension ParquetMetadata.ColumnChunk {
    init(thrift r: inout ThriftCompactReader) throws(ThriftError) {
        self.init()
        var c = self
        try r.readStruct { r, f throws(ThriftError) in
            switch f.id {
            case 1: c.filePath = try r.string(f)
            case 3: c.meta = try ParquetMetadata.ColumnMeta(thrift: &r, f)
            case 8, 9: c.encrypted = true; try r.skip(f)
            default: try r.skip(f)
            }
        }
        self = c
    }
}

extension ParquetMetadata.ColumnMeta {
    init(thrift r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) {
        self.init()
        var m = self
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: m.physicalType = try r.i32(f)
            case 2: m.encodings = try r.list(f, of: .i32) { r throws(ThriftError) in try r.i32() }
            case 3: m.path = try r.list(f, of: .binary) { r throws(ThriftError) in try r.string() }
            case 4: m.codec = try r.i32(f)
            case 5: m.valueCount = try r.i64(f)
            case 7: m.compressedSize = try r.i64(f)
            case 9: m.dataPageOffset = try r.i64(f)
            case 11: m.dictionaryPageOffset = try r.i64(f)
            default: try r.skip(f)
            }
        }
        self = m
    }
}

extension ParquetPageHeader {
    init(thrift r: inout ThriftCompactReader) throws(ThriftError) {
        self.init()
        var h = self
        try r.readStruct { r, f throws(ThriftError) in
            switch f.id {
            case 1: h.type = try r.i32(f)
            case 2: h.uncompressedSize = try r.i32(f)
            case 3: h.compressedSize = try r.i32(f)
            case 5: h.dataV1 = try DataV1(thrift: &r, f)
            case 7: h.dictionary = try Dictionary(thrift: &r, f)
            case 8: h.dataV2 = try DataV2(thrift: &r, f)
            default: try r.skip(f)   // crc, index page header
            }
        }
        self = h
    }
}

extension ParquetPageHeader.DataV1 {
    init(thrift r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) {
        self.init()
        var d = self
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: d.valueCount = try r.i32(f)
            case 2: d.encoding = try r.i32(f)
            case 3: d.definitionEncoding = try r.i32(f)
            case 4: d.repetitionEncoding = try r.i32(f)
            default: try r.skip(f)   // statistics
            }
        }
        self = d
    }
}

extension ParquetPageHeader.Dictionary {
    init(thrift r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) {
        self.init()
        var d = self
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: d.valueCount = try r.i32(f)
            case 2: d.encoding = try r.i32(f)
            default: try r.skip(f)   // is_sorted
            }
        }
        self = d
    }
}

extension ParquetPageHeader.DataV2 {
    init(thrift r: inout ThriftCompactReader, _ field: ThriftCompactReader.Field) throws(ThriftError) {
        self.init()
        var d = self
        try r.structure(field) { r, f throws(ThriftError) in
            switch f.id {
            case 1: d.valueCount = try r.i32(f)
            case 2: d.nullCount = try r.i32(f)
            case 3: d.rowCount = try r.i32(f)
            case 4: d.encoding = try r.i32(f)
            case 5: d.definitionLength = try r.i32(f)
            case 6: d.repetitionLength = try r.i32(f)
            case 7: d.isCompressed = try r.bool(f)
            default: try r.skip(f)   // statistics
            }
        }
        self = d
    }
}
