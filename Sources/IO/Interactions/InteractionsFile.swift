import Foundation
import Matrices
import ModelSettings

/// Reads and writes user × item interaction files in every format mftool knows.
public enum InteractionsFile {
    /// Options for reading: the format (detected by default), text layout, canonicalization, limits.
    public struct ReadOptions: Sendable, Equatable {
        /// Force a format instead of detecting it.
        public var format: FileFormat? = nil
        /// Layout of delimited text input.
        public var text = DelimitedOptions()
        /// Duplicates, id order and item alignment.
        public var canonical = CanonicalOptions()
        /// The memory the file's arrays may take, external links, threads.
        public var limits: ReadLimits
        public init(limits: ReadLimits = ReadLimits()) { self.limits = limits }
    }

    /// Reads interactions from `spec` (`FILE`, `FILE.h5:/group`, or a folder of Parquet part
    /// files) and canonicalizes them: rows sorted by user, columns ascending within a row, ids
    /// first-seen or sorted. `progress` sees the bytes of delimited text parsed.
    public static func read(_ spec: FileSpec, options: ReadOptions = ReadOptions(),
                            progress: ProgressHandler? = nil) throws(IOError) -> (Interactions, ConversionReport) {
        let path = spec.path
        let parsed = try parse(spec, options: options, progress: progress)
        var report = ConversionReport()
        let interactions = try Canonicalizer.build(parsed, options: options.canonical, file: path, report: &report)
        return (interactions, report)
    }

    /// The triplets of `spec` as its format holds them.
    private static func parse(_ spec: FileSpec, options: ReadOptions, progress: ProgressHandler?) throws(IOError) -> ParsedTriplets {
        let path = spec.path
        if InputFile.isFolder(path) { return try ParquetInteractions.read(path: path, options: options.text, limits: options.limits) }
        try InputFile.check(path)
        switch options.format ?? FileFormat.detect(path) {
        case .text where Parquet.isParquet(path):
            return try ParquetInteractions.read(path: path, options: options.text, limits: options.limits)
        case .text:
            if InputFile.head(path, 4096).contains(0) {
                throw IOError(file: path, "unknown format: binary content that is not HDF5, NumPy, .npz or Matrix Market")
            }
            return try DelimitedReader.read(path: path, options: options.text, parallel: options.limits.parallel, progress: progress)
        case .mtx: return try MatrixMarketReader.read(path: path)
        case .npz: return try NumPyReaders.readSparse(path: path, limits: options.limits)
        case .npy: return try NumPyReaders.readDenseInteractions(path: path)
        case .hdf5: return try HDF5File.open(path, limits: options.limits).readInteractions(group: spec.object)
        }
    }

    /// Writes interactions in `format`, by default the one the name's extension picks
    /// (``OutputFormat/resolve(_:kind:override:)``; a name that picks none is an error):
    /// `.h5` canonical HDF5, `.h5ad` an AnnData file, `.mtx` Matrix Market, `.csv`/`.tsv`
    /// triplets with a header. Written atomically. `provenance`, when given, goes on the root
    /// of an HDF5 output, and into `uns/mftool` of an AnnData one (the text formats have no
    /// place for it). `itemMajor` stores an HDF5 or AnnData output as CSC (`indptr` over items).
    public static func write(_ interactions: Interactions, to path: String, format: OutputFormat? = nil, compression: Int? = nil,
                             provenance: Provenance? = nil, itemMajor: Bool = false, memory: MemoryLimit = .system) throws(IOError) {
        let format = try OutputFormat.resolving(path, kind: .interactions, given: format)
        guard OutputKind.interactions.formats.contains(format) else {
            throw IOError(file: path, "interactions cannot be written as \(format.rawValue); write \(OutputKind.interactions.acceptedExtensions)")
        }
        switch format {
        case .hdf5, .h5ad:
            try checkStoredShape(interactions, format: format, path: path, memory: memory)
            try AtomicOutput.write(to: path) { temporary throws(IOError) in
                let file = try HDF5File.create(temporary)
                if format == .h5ad {
                    try file.writeAnnDataInteractions(interactions, compression: compression, csc: itemMajor,
                                                      records: provenance?.attributes ?? [])
                } else {
                    try file.writeInteractions(interactions, compression: compression, csc: itemMajor)
                }
                try provenance?.record(in: file)
                try file.flush()
            }
        case .mtx:
            try AtomicOutput.writeStream(to: path) { sink throws(IOError) in try TextWriters.matrixMarket(interactions.matrix, to: sink) }
        default:
            try AtomicOutput.writeStream(to: path) { sink throws(IOError) in
                try TextWriters.triplets(interactions, separator: format == .tsv ? "\t" : ",", to: sink)
            }
        }
    }
}

extension InteractionsFile {
    /// Refuses an HDF5 or AnnData output whose per-row arrays exceed `memory`: it stores
    /// a row pointer and an id for every row and column the matrix has, entries or not (the
    /// text formats store the entries only). Charged per row and column: a pointer made whole
    /// (8 bytes) and narrowed for the file (up to 8), and an id as an int64 (8) or, for AnnData's
    /// string index, as a String and its C copy (48).
    static func checkStoredShape(_ x: Interactions, format: OutputFormat, path: String, memory: MemoryLimit) throws(IOError) {
        let perRow = format == .h5ad ? 64 : 24
        let (bytes, overflow) = (x.userCount + x.itemCount + 2).multipliedReportingOverflow(by: perRow)
        guard overflow || bytes > memory.bytes else { return }
        let needed = overflow ? "more than 2^63 bytes" : MemoryLimit.describe(bytes)
        throw IOError(file: path, "would store a row pointer and an id for each of \(x.userCount) users and \(x.itemCount) items, which need \(needed) in memory, more than the memory limit of \(MemoryLimit.describe(memory.bytes)); write .mtx, .csv or .tsv, which store the entries only")
    }
}

/// Writers for the text formats.
enum TextWriters {
    /// Shortest text that reads back as the same Double.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15, !(v == 0 && v.sign == .minus) { return String(Int64(v)) }
        return "\(v)"
    }

    static func matrixMarket(_ m: CSRMatrix, to sink: FileSink) throws(IOError) {
        try sink.write("%%MatrixMarket matrix coordinate real general\n%\n\(m.rows) \(m.columns) \(m.nnz)\n")
        for u in m.nonemptyRows() {
            for p in m.range(ofRow: u) {
                try sink.write("\(u + 1) \(Int(m.indices[p]) + 1) \(number(m.values[p]))\n")
            }
        }
    }

    static func field(_ s: String, separator: Character) -> String {
        if s.contains(separator) || s.contains("\"") || s.contains("\n") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func triplets(_ x: Interactions, separator: Character, to sink: FileSink) throws(IOError) {
        let s = String(separator)
        let times = x.timestamps
        try sink.write("user\(s)item\(s)value" + (times == nil ? "\n" : "\(s)timestamp\n"))
        // Item fields are made once per item, unless items far outnumber the entries (a declared
        // shape): then once per entry. Users are made once per nonempty row.
        let m = x.matrix
        let itemFields = m.columns <= 2 * m.nnz + 1024 ? x.itemIDs.ids.map { field($0, separator: separator) } : nil
        for u in m.nonemptyRows() {
            let user = field(x.userIDs.ids[u], separator: separator)
            for p in m.range(ofRow: u) {
                let j = Int(m.indices[p])
                let item = itemFields?[j] ?? field(x.itemIDs.ids[j], separator: separator)
                var line = user + s + item + s + number(m.values[p])
                if let times { line += s + number(times[p]) }
                try sink.write(line + "\n")
            }
        }
    }
}
