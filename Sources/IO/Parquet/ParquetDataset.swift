import Foundation

/// A Parquet dataset as Spark, pandas (`partition_cols`), polars and pyarrow (`write_dataset`)
/// write one: a folder of part files, possibly below `key=value` folders (hive partitioning,
/// where a partition column's value is in the folder's name, not in the files). Parts are read
/// in the byte order of their paths below the folder. Names that start with `_` or `.`
/// (`_SUCCESS`, `_common_metadata`, `.part-0.parquet.crc`) are skipped; any other file must be
/// Parquet (by its `PAR1` magic or a `.parquet`/`.pq` name), so nothing is left out unsaid.
struct ParquetDataset {
    /// One part file and the partition values its folders give.
    struct Part {
        let path: String
        /// The `key=value` folders above the part, outermost first, values percent-decoded.
        let partitions: [(key: String, value: String)]
    }

    /// The value hive partitioning writes for a null.
    static let nullPartition = "__HIVE_DEFAULT_PARTITION__"

    let parts: [Part]

    /// The parts of the folder `path`, or `path` itself when it is a file.
    init(_ path: String) throws(IOError) {
        guard InputFile.isFolder(path) else {
            parts = [Part(path: path, partitions: [])]
            return
        }
        let relative = try Self.files(below: path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var parts: [Part] = []
        for name in relative {
            let file = path + "/" + name
            guard Parquet.isParquet(file) else {
                throw IOError(file: path, "is read as a Parquet dataset, but holds \(name), which is not a Parquet file; move it out, or name it with a leading _")
            }
            let partitions = name.split(separator: "/").dropLast().compactMap { component -> (key: String, value: String)? in
                guard let equals = component.firstIndex(of: "=") else { return nil }
                let value = String(component[component.index(after: equals)...])
                return (String(component[..<equals]), value.removingPercentEncoding ?? value)
            }
            parts.append(Part(path: file, partitions: partitions))
        }
        guard !parts.isEmpty else {
            throw IOError(file: path, "is a folder without Parquet part files; expected a file, or a folder of .parquet parts as Spark or pandas write them")
        }
        self.parts = parts
    }

    /// Folders nest at most this deep below the dataset (a link to a folder above would loop).
    static let maxDepth = 32

    /// The files below `folder` as paths relative to it, names starting with `_` or `.` (files
    /// and folders) left out.
    private static func files(below folder: String, prefix: String = "", depth: Int = 0) throws(IOError) -> [String] {
        guard depth <= maxDepth else {
            throw IOError(file: folder, "nests folders deeper than \(maxDepth) levels at \(prefix) (a link to a folder above it?)")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: prefix.isEmpty ? folder : folder + "/" + prefix) } catch {
            throw IOError(file: folder, "cannot be read (\(FileErrorText.describe(error)))")
        }
        var found: [String] = []
        for name in names where !name.hasPrefix("_") && !name.hasPrefix(".") {
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            if InputFile.isFolder(folder + "/" + relative) {
                found += try files(below: folder, prefix: relative, depth: depth + 1)
            } else {
                found.append(relative)
            }
        }
        return found
    }
}

/// A part's columns: the file's own, then the partition keys it lacks, as text columns that
/// repeat the folder's value for each of the part's rows (null rows for a null partition).
struct ParquetPartColumns {
    let file: ParquetFile
    let partitions: [(key: String, value: String)]

    init(_ part: ParquetDataset.Part, limits: ReadLimits) throws(IOError) {
        file = try ParquetFile(path: part.path, limits: limits)
        partitions = part.partitions
    }

    var names: [String] {
        let own = file.columns.map(\.name)
        var names = own
        for (key, _) in partitions where !names.contains(key) { names.append(key) }
        return names
    }

    func read(_ name: String) throws(IOError) -> ParquetColumn {
        guard !file.columns.contains(where: { $0.name == name }), let value = partitions.last(where: { $0.key == name })?.value else {
            return try file.read(name)
        }
        let rows = file.rowCount
        var text = ParquetByteArrays()
        if value == ParquetDataset.nullPartition {
            return ParquetColumn(name: name, physicalType: .byteArray, logicalType: .string, rowCount: rows,
                                 values: .byteArray(text), nullRows: Array(0..<rows))
        }
        try file.limits.check(rows, of: 8 + value.utf8.count, file: file.path, location: "partition '\(name)'", what: "the partition column")
        text.reserve(count: rows)
        for _ in 0..<rows { text.append(value.utf8) }
        return ParquetColumn(name: name, physicalType: .byteArray, logicalType: .string, rowCount: rows, values: .byteArray(text), nullRows: [])
    }
}
