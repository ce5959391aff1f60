import Foundation

/// A Parquet file, read by mftool itself: the `PAR1` magic at both ends, the footer's length and
/// its FileMetaData (Thrift compact protocol), and the schema's top-level columns. Columns are
/// decoded on request (``read(_:)``). What mftool does not read is refused with one line naming
/// the column and what it uses: encrypted footers and columns, nested groups, repeated fields,
/// unknown types, encodings and codecs. Every offset and size the footer declares is checked
/// against the file before it is used.
public struct ParquetFile {
    public let path: String
    /// The file's bytes, memory-mapped.
    let bytes: Data
    let metadata: ParquetMetadata
    /// Where the footer starts: column chunks must end before it.
    let footerStart: Int
    /// The top-level columns in schema order.
    public let columns: [ParquetColumnSchema]
    /// The memory its columns may take, and whether row groups are decoded on several threads.
    public let limits: ReadLimits

    /// Rows in the file.
    public var rowCount: Int { Int(metadata.rowCount) }

    public init(path: String, limits: ReadLimits = ReadLimits()) throws(IOError) {
        self.path = path
        self.limits = limits
        try InputFile.check(path)
        bytes = try InputFile.contents(path, mapped: true)
        (metadata, footerStart) = try Self.footer(bytes, file: path)
        let leaves: Int
        (columns, leaves) = try Self.flatten(metadata.schema, file: path)
        for (g, group) in metadata.rowGroups.enumerated() where group.columns.count != leaves {
            throw IOError(file: path, location: "footer", "row group \(g) has \(group.columns.count) column chunks where the schema has \(leaves) columns")
        }
        guard metadata.rowCount >= 0, metadata.rowGroups.allSatisfy({ $0.rowCount >= 0 }),
              metadata.rowGroups.reduce(0, { $0 &+ $1.rowCount }) == metadata.rowCount else {
            throw IOError(file: path, location: "footer", "the row groups' row counts do not add up to the file's \(metadata.rowCount) rows")
        }
    }

    /// The column named `name`; a name the file lacks is an error listing the names it has.
    public func column(named name: String) throws(IOError) -> ParquetColumnSchema {
        guard let column = columns.first(where: { $0.name == name }) else {
            throw IOError(file: path, "has no column '\(name)'; its columns are \(columns.map { "'\($0.name)'" }.joined(separator: ", "))")
        }
        return column
    }

    /// Decodes the FileMetaData at the end of `bytes`: `PAR1`, the footer, its 4-byte length, `PAR1`.
    static func footer(_ bytes: Data, file: String) throws(IOError) -> (ParquetMetadata, Int) {
        let count = bytes.count
        let tail = count >= 4 ? Array(bytes[(count - 4)...]) : []
        if tail == Array("PARE".utf8) {
            throw IOError(file: file, "has an encrypted footer (PARE), which mftool does not read")
        }
        guard count >= 12, Array(bytes[..<4]) == Array("PAR1".utf8), tail == Array("PAR1".utf8) else {
            throw IOError(file: file, "is not a Parquet file: no PAR1 magic at \(count >= 4 && Array(bytes[..<4]) == Array("PAR1".utf8) ? "its end (truncated?)" : "its start")")
        }
        let length = bytes[(count - 8)..<(count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard length <= count - 12 else {
            throw IOError(file: file, location: "footer", "length \(length) is more than the \(count - 12) bytes between the magics")
        }
        let start = count - 8 - length
        let decoded: Result<ParquetMetadata, ThriftError> = bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[..<(count - 8)]), at: start)
            return Result { () throws(ThriftError) in try ParquetMetadata(thrift: &reader) }
        }
        switch decoded {
        case let .success(metadata):
            if metadata.encrypted {
                throw IOError(file: file, location: "footer", "declares encrypted columns, which mftool does not read")
            }
            return (metadata, start)
        case let .failure(error):
            throw IOError(file: file, location: "footer at byte \(error.offset)", "damaged: \(error.message)")
        }
    }

    /// The top-level columns of the schema (a depth-first list whose first element is the root)
    /// and the number of leaf columns, which each row group has a chunk for.
    /// Groups and repeated fields are kept, with the reason they cannot be read, so that only
    /// reading them is an error; their leaves are counted to place the flat columns' chunks.
    static func flatten(_ schema: [ParquetMetadata.SchemaElement], file: String) throws(IOError) -> ([ParquetColumnSchema], leaves: Int) {
        let damaged = { (message: String) in IOError(file: file, location: "footer", "schema \(message)") }
        guard let root = schema.first, let rootChildren = root.childCount, rootChildren >= 0 else {
            throw damaged("has no root group")
        }
        var index = 1, leaves = 0
        var columns: [ParquetColumnSchema] = []
        for _ in 0..<rootChildren {
            guard index < schema.count else { throw damaged("declares more columns than it lists") }
            let element = schema[index]
            let firstLeaf = leaves
            let subtree = try subtreeLeaves(schema, at: &index, depth: 1, damaged: damaged)
            leaves += subtree
            let logical = element.logicalType ?? element.convertedType.map(ParquetLogicalType.converted)
            var refusal: String?
            if let children = element.childCount, children > 0 || element.physicalType == nil {
                refusal = "is a nested group of \(subtree) columns (\(logical?.name ?? "a struct")), which mftool does not read"
            } else if element.repetition == 2 {
                refusal = "is a repeated field (a list), which mftool does not read"
            }
            columns.append(ParquetColumnSchema(name: element.name, physicalRaw: element.physicalType, logicalType: logical,
                                               optional: element.repetition == 1, refusal: refusal, leaf: firstLeaf))
        }
        guard index == schema.count else { throw damaged("lists \(schema.count - index) elements outside the root") }
        return (columns, leaves)
    }

    /// The leaves under `schema[index]`, moving `index` past its subtree.
    private static func subtreeLeaves(_ schema: [ParquetMetadata.SchemaElement], at index: inout Int, depth: Int,
                                      damaged: (String) -> IOError) throws(IOError) -> Int {
        guard depth <= 64 else { throw damaged("nested deeper than 64 levels") }
        guard index < schema.count else { throw damaged("declares more children than it lists") }
        let element = schema[index]
        index += 1
        guard let children = element.childCount, children != 0 || element.physicalType == nil else { return 1 }
        guard children > 0 else { throw damaged("group '\(element.name)' declares \(children) children") }
        var total = 0
        for _ in 0..<children { total += try subtreeLeaves(schema, at: &index, depth: depth + 1, damaged: damaged) }
        return total
    }
}
