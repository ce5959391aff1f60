import Dispatch
import Foundation

/// Decoding a column: its chunk in each row group, page by page.
extension ParquetFile {
    /// Decodes the column named `name` whole. A column mftool does not read (nested, repeated,
    /// of an unknown type, encoding or codec) is refused naming it and what it uses; a damaged
    /// page names the row group and the page's byte offset.
    public func read(_ name: String) throws(IOError) -> ParquetColumn {
        let column = try column(named: name)
        if let refusal = column.refusal { throw IOError(file: path, "column '\(name)' \(refusal)") }
        guard let type = column.physicalType, ![.int96, .fixedLenByteArray].contains(type) else {
            let what = column.physicalRaw.map { ParquetPhysicalType(rawValue: $0)?.name ?? "physical type \($0)" } ?? "no physical type"
            throw IOError(file: path, "column '\(name)' has \(what), which mftool does not read")
        }
        let width = type == .byteArray ? 16 : 8
        try limits.check(rowCount, of: width, file: path, location: "column '\(name)'", what: "the footer")
        var parts: [ParquetValues] = []
        var nullRows: [Int] = []
        var firstRow = 0
        for (g, decoded) in decodeChunks(column, type: type).enumerated() {
            let chunk = try decoded.get()
            parts.append(chunk.values)
            nullRows += chunk.nullRows.map { $0 + firstRow }
            firstRow += Int(metadata.rowGroups[g].rowCount)
        }
        return ParquetColumn(name: name, physicalType: type, logicalType: column.logicalType, rowCount: rowCount,
                             values: parts.isEmpty ? .empty(type) : .concatenate(parts, type: type), nullRows: nullRows)
    }

    /// Every row group's chunk of `column`, decoded in parallel (row groups are independent)
    /// unless ``ReadLimits/parallel`` is off; the caller reports the first failure in file
    /// order, so the error does not depend on timing.
    private func decodeChunks(_ column: ParquetColumnSchema, type: ParquetPhysicalType) -> [Result<(values: ParquetValues, nullRows: [Int]), IOError>] {
        let groups = metadata.rowGroups
        var results = [Result<(values: ParquetValues, nullRows: [Int]), IOError>?](repeating: nil, count: groups.count)
        let file = UnsafeSendable(self)
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out)
            let decode: @Sendable (Int) -> Void = { g in
                let group = file.value.metadata.rowGroups[g]
                out.value[g] = Result { () throws(IOError) in
                    try file.value.readChunk(group.columns[column.leaf], column: column, type: type, group: g, rows: Int(group.rowCount))
                }
            }
            if limits.parallel {
                DispatchQueue.concurrentPerform(iterations: groups.count, execute: decode)
            } else {
                for g in groups.indices { decode(g) }
            }
        }
        return results.map { $0! }
    }

    /// Where a column chunk lies and how it is compressed, checked against the schema and the file.
    private func chunkRange(_ chunk: ParquetMetadata.ColumnChunk, column: ParquetColumnSchema, type: ParquetPhysicalType,
                            rows: Int, location: String) throws(IOError) -> (Range<Int>, ParquetCodec) {
        let name = column.name
        if chunk.encrypted { throw IOError(file: path, location: location, "column '\(name)' is encrypted, which mftool does not read") }
        if let other = chunk.filePath {
            throw IOError(file: path, location: location, "column '\(name)' is stored in another file ('\(other)'), which mftool does not read")
        }
        guard let meta = chunk.meta else { throw IOError(file: path, location: location, "column '\(name)' has no column metadata") }
        guard meta.physicalType == type.rawValue, meta.path == [name] else {
            throw IOError(file: path, location: location, "column chunk of \(meta.path.joined(separator: ".")) does not match column '\(name)' of the schema")
        }
        guard let codec = ParquetCodec(rawValue: meta.codec), PageDecompression.readable.contains(codec) else {
            throw IOError(file: path, location: location, "column '\(name)' is compressed with \(ParquetCodec.name(meta.codec)), which mftool does not read (it reads \(PageDecompression.readable.map(\.name).joined(separator: ", ")))")
        }
        guard meta.valueCount == Int64(rows) else {
            throw IOError(file: path, location: location, "column '\(name)' declares \(meta.valueCount) values in a row group of \(rows) rows")
        }
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        guard start >= 4, meta.compressedSize >= 0, start <= Int64(footerStart), meta.compressedSize <= Int64(footerStart) - start else {
            throw IOError(file: path, location: location, "column '\(name)' lies at \(start) + \(meta.compressedSize) bytes, outside the data before the footer at \(footerStart)")
        }
        return (Int(start)..<Int(start + meta.compressedSize), codec)
    }

    /// One row group's chunk of a column: its non-null values and its null rows (from the chunk's first row).
    private func readChunk(_ chunk: ParquetMetadata.ColumnChunk, column: ParquetColumnSchema, type: ParquetPhysicalType,
                           group: Int, rows: Int) throws(IOError) -> (values: ParquetValues, nullRows: [Int]) {
        let location = "column '\(column.name)', row group \(group)"
        let (range, codec) = try chunkRange(chunk, column: column, type: type, rows: rows, location: location)
        let result: Result<(ParquetValues, [Int]), IOError> = bytes.withUnsafeBytes { raw in
            Result { () throws(IOError) in
                var pages = ParquetPageReader(file: path, column: column, type: type, codec: codec, rows: rows, memory: limits.memory, location: location,
                                              bytes: UnsafeRawBufferPointer(rebasing: raw[..<range.upperBound]), position: range.lowerBound)
                return try pages.readAll()
            }
        }
        let (values, nulls) = try result.get()
        return (values, nulls)
    }
}
