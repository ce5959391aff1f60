import Matrices

extension InteractionsFile {
    /// What a sharded read returns: the shard's interactions, what canonicalizing them found,
    /// the rows of the file they are, and the file's row count.
    public struct ShardRead: Sendable {
        public var interactions: Interactions
        public var report: ConversionReport
        /// The file's major-axis rows read: users, or items of a CSC (item-major) file.
        public var rows: Range<Int>
        public var totalRows: Int
        /// Whether the file is item-major (CSC): the shard is a range of items.
        public var byItems: Bool
        /// What identifies the whole file for ``ShardPart/fingerprint``: its shape, stored
        /// entries, byte size and a hash of its bytes, which every task reads alike.
        public var identity: String
    }

    /// Reads only `shard`'s rows of canonical HDF5 interactions (hyperslabs of `indptr`,
    /// `indices`, `data` and the ids), canonicalized as ``read(_:options:progress:)`` does each
    /// row. Other formats hold no row index to cut by and are refused: convert them first.
    public static func read(_ spec: FileSpec, options: ReadOptions = ReadOptions(), shard: Shard) throws(IOError) -> ShardRead {
        let path = spec.path
        try InputFile.check(path)
        let format = options.format ?? FileFormat.detect(path)
        guard format == .hdf5 else {
            let name = options.format == nil && Parquet.isParquet(path) ? "Parquet" : format.rawValue
            throw IOError(file: path, "--shard reads canonical HDF5 by row ranges; this is \(name): run `mftool convert \(path) OUT.h5` once and shard that")
        }
        guard !options.canonical.sortIDs else {
            throw IOError(file: path, "--sort-ids renumbers the whole file and cannot apply to one shard; convert with --sort-ids first")
        }
        let file = try HDF5File.open(path, limits: options.limits)
        let shardRead = try file.readInteractions(group: spec.object, shard: shard)
        var report = ConversionReport()
        let interactions = try Canonicalizer.build(shardRead.parsed, options: options.canonical, file: path, report: &report)
        let byItems = try file.csrLayout(file.csrGroup(spec.object)).csc
        var content = Fingerprint()
        content.add(contentsOf: path)
        let identity = "rows=\(shardRead.totalRows) columns=\(shardRead.columns) nnz=\(shardRead.entries) bytes=\(InputFile.size(path)) content=\(content.value)"
        return ShardRead(interactions: interactions, report: report, rows: shardRead.rows, totalRows: shardRead.totalRows,
                         byItems: byItems, identity: identity)
    }

    /// The global mean of the values of the whole file as ``read(_:options:progress:)`` would
    /// return them, read by slabs of about `blockEntries` entries so that memory stays bounded:
    /// each slab is canonicalized like a shard and its values summed exactly, so the mean is
    /// the one an unsharded read computes (``Objective/globalMean(of:)``), bit for bit.
    public static func globalMean(_ spec: FileSpec, options: ReadOptions = ReadOptions(),
                                  blockEntries: Int = 1 << 22) throws(IOError) -> (mean: Double, count: Int) {
        let file = try HDF5File.open(spec.path, limits: options.limits)
        let group = try file.csrGroup(spec.object)
        let layout = try file.csrLayout(group)
        let whole = layout.csc ? layout.columns : layout.rows
        let prefix = group == "/" ? "/" : group + "/"
        let nnz = Int(try file.element(prefix + "indptr", at: whole))
        let blocks = Swift.max(1, Swift.min(whole, nnz / Swift.max(1, blockEntries) + 1))
        var sum = ExactSum()
        var count = 0
        for b in 0..<blocks {
            let part = try read(spec, options: options, shard: Shard(index: b, count: blocks)!)
            for v in part.interactions.matrix.values { sum.add(v) }
            count += part.interactions.matrix.nnz
        }
        return (count == 0 ? 0 : sum.value / Double(count), count)
    }
}
