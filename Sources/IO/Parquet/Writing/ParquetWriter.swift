import Foundation

/// Writes a flat Parquet table into a ``FileSink``, a row group at a time: `PAR1`, each row
/// group's column chunks (one data page v1 each, PLAIN values, no levels since every column is
/// REQUIRED, compressed with ZSTD), then the footer (FileMetaData in Thrift's compact protocol)
/// with its length and `PAR1`. Strings are BYTE_ARRAY columns annotated STRING; key-value
/// metadata (such as provenance) goes into the footer. pandas, polars, DuckDB and Spark read it.
struct ParquetWriter {
    /// A column's name and its logical annotation (STRING for text; integers and doubles bare).
    struct Column {
        let name: String
        let type: ParquetPhysicalType
        var isString: Bool { type == .byteArray }
    }

    /// What the footer records of a written column chunk.
    private struct Chunk {
        let type: ParquetPhysicalType
        let values: Int
        let uncompressedSize: Int
        let compressedSize: Int
        let offset: Int
    }

    private let columns: [Column]
    private let sink: FileSink
    private let output: String
    private var offset = 0
    private var rowGroups: [(rows: Int, chunks: [Chunk])] = []

    /// Starts a table of `columns` in `sink`; errors name `output`.
    init(columns: [Column], sink: FileSink, output: String) throws(IOError) {
        self.columns = columns
        self.sink = sink
        self.output = output
        try put(Array("PAR1".utf8))
    }

    /// Appends one row group: a value array per column, in the columns' order and types, all of
    /// one length.
    mutating func append(rowGroup values: [ParquetValues]) throws(IOError) {
        precondition(values.count == columns.count, "one value array per column")
        let rows = values.first?.count ?? 0
        var chunks: [Chunk] = []
        for (column, columnValues) in zip(columns, values) {
            precondition(columnValues.count == rows && columnValues.physicalType == column.type, "column '\(column.name)'")
            chunks.append(try writeChunk(columnValues))
        }
        rowGroups.append((rows, chunks))
    }

    /// Writes the footer; `metadata` becomes the file's key-value metadata.
    mutating func finish(metadata: [(String, String)] = []) throws(IOError) {
        let footer = footerBytes(metadata: metadata)
        try put(footer)
        let length = UInt32(footer.count)
        try put((0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Array("PAR1".utf8))
    }

    private mutating func put(_ bytes: [UInt8]) throws(IOError) {
        try sink.write(bytes)
        offset += bytes.count
    }

    /// One column chunk: a data page header and the page's compressed PLAIN values.
    private mutating func writeChunk(_ values: ParquetValues) throws(IOError) -> Chunk {
        let plain = values.plainEncoded()
        guard let compressed = ZstdCalls.compress(plain) else {
            throw IOError(file: output, "cannot be written: zstd could not compress a column chunk of \(plain.count) bytes")
        }
        guard plain.count <= Int32.max, compressed.count <= Int32.max else {
            throw IOError(file: output, "cannot be written: a column chunk of \(plain.count) bytes is past Parquet's 2 GiB page limit")
        }
        var header = ThriftCompactWriter()
        header.i32(1, 0) // DATA_PAGE
        header.i32(2, Int32(plain.count))
        header.i32(3, Int32(compressed.count))
        header.beginStruct(5)
        header.i32(1, Int32(values.count))
        header.i32(2, ParquetEncoding.plain.rawValue)
        header.i32(3, ParquetEncoding.rle.rawValue)
        header.i32(4, ParquetEncoding.rle.rawValue)
        header.endStruct()
        header.finish()
        let chunk = Chunk(type: values.physicalType, values: values.count, uncompressedSize: header.bytes.count + plain.count,
                          compressedSize: header.bytes.count + compressed.count, offset: offset)
        try put(header.bytes)
        try put(compressed)
        return chunk
    }

    /// FileMetaData: version 1, the schema (a root and the flat REQUIRED columns), the rows,
    /// the row groups with their column chunks, the key-value metadata and `created_by`.
    private func footerBytes(metadata: [(String, String)]) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.i32(1, 1)
        w.beginList(2, of: .structure, count: columns.count + 1)
        w.beginElement()
        w.string(4, "schema")
        w.i32(5, Int32(columns.count))
        w.endStruct()
        for column in columns {
            w.beginElement()
            w.i32(1, column.type.rawValue)
            w.i32(3, 0) // REQUIRED
            w.string(4, column.name)
            if column.isString {
                w.i32(6, 0) // converted type UTF8
                w.beginStruct(10)
                w.beginStruct(1) // LogicalType.STRING
                w.endStruct()
                w.endStruct()
            }
            w.endStruct()
        }
        w.i64(3, Int64(rowGroups.reduce(0) { $0 + $1.rows }))
        w.beginList(4, of: .structure, count: rowGroups.count)
        for group in rowGroups { rowGroupMetadata(group, into: &w) }
        if !metadata.isEmpty {
            w.beginList(5, of: .structure, count: metadata.count)
            for (key, value) in metadata {
                w.beginElement()
                w.string(1, key)
                w.string(2, value)
                w.endStruct()
            }
        }
        w.string(6, "mftool")
        w.finish()
        return w.bytes
    }

    /// A RowGroup: its column chunks, total uncompressed bytes and rows.
    private func rowGroupMetadata(_ group: (rows: Int, chunks: [Chunk]), into w: inout ThriftCompactWriter) {
        w.beginElement()
        w.beginList(1, of: .structure, count: group.chunks.count)
        for (column, chunk) in zip(columns, group.chunks) {
            w.beginElement()
            w.i64(2, Int64(chunk.offset))
            w.beginStruct(3)
            w.i32(1, chunk.type.rawValue)
            w.beginList(2, of: .i32, count: 2)
            w.element(ParquetEncoding.plain.rawValue)
            w.element(ParquetEncoding.rle.rawValue)
            w.beginList(3, of: .binary, count: 1)
            w.element(column.name)
            w.i32(4, ParquetCodec.zstd.rawValue)
            w.i64(5, Int64(chunk.values))
            w.i64(6, Int64(chunk.uncompressedSize))
            w.i64(7, Int64(chunk.compressedSize))
            w.i64(9, Int64(chunk.offset))
            w.endStruct()
            w.endStruct()
        }
        w.i64(2, Int64(group.chunks.reduce(0) { $0 + $1.uncompressedSize }))
        w.i64(3, Int64(group.rows))
        w.endStruct()
    }
}

extension ParquetWriter {
    /// Writes `columns` (names and values of one length) as a table of one row group at `path`,
    /// atomically.
    static func write(_ columns: [(name: String, values: ParquetValues)], to path: String) throws(IOError) {
        try AtomicOutput.writeStream(to: path) { sink throws(IOError) in
            var writer = try ParquetWriter(columns: columns.map { Column(name: $0.name, type: $0.values.physicalType) }, sink: sink, output: path)
            try writer.append(rowGroup: columns.map(\.values))
            try writer.finish()
        }
    }
}

extension ParquetValues {
    /// The physical type of the values.
    var physicalType: ParquetPhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .byteArray: .byteArray
        }
    }

    /// The values in Parquet's PLAIN encoding: little-endian numbers, byte arrays each after its
    /// 4-byte length, booleans one bit each from the lowest.
    func plainEncoded() -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        switch self {
        case let .boolean(v):
            out = [UInt8](repeating: 0, count: (v.count + 7) / 8)
            for (i, b) in v.enumerated() where b { out[i / 8] |= 1 << (i % 8) }
        case let .int32(v): out.reserveCapacity(4 * v.count); v.forEach { put($0) }
        case let .int64(v): out.reserveCapacity(8 * v.count); v.forEach { put($0) }
        case let .float(v): out.reserveCapacity(4 * v.count); v.forEach { put($0.bitPattern) }
        case let .double(v): out.reserveCapacity(8 * v.count); v.forEach { put($0.bitPattern) }
        case let .byteArray(v):
            out.reserveCapacity(4 * v.count + v.bytes.count)
            for i in 0..<v.count {
                put(UInt32(v.offsets[i + 1] - v.offsets[i]))
                out.append(contentsOf: v[i])
            }
        }
        return out
    }
}
