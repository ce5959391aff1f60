import IO
import Matrices
import Solvers

/// The files of a fold-in problem: interactions and the fixed item matrix, with what reading
/// them takes. ``load(objective:shard:notices:)`` does what `mftool solve` does before it
/// solves: reads both files, aligns the interactions' items to the embeddings' by id (by
/// position when a side has no ids and the counts agree, said in a notice), reads the item bias,
/// and builds the ``RidgeProblem``.
public struct ProblemInput {
    public var interactions: FileSpec
    /// Item embeddings: `FILE.h5[:/DATASET]`, `FILE.npy` or Parquet.
    public var items: FileSpec
    /// Ids of the items' rows, for embeddings without ids.
    public var itemIDs: FileSpec? = nil
    /// A fixed item bias: `FILE.h5:/DATASET` or a 1-D `.npy`.
    public var itemBias: FileSpec? = nil
    /// How the interactions are read (format, text layout, duplicates, item order) and the
    /// limits every file is read under.
    public var read: InteractionsFile.ReadOptions

    public init(interactions: FileSpec, items: FileSpec, read: InteractionsFile.ReadOptions = InteractionsFile.ReadOptions()) {
        self.interactions = interactions
        self.items = items
        self.read = read
    }

    /// The problem of `objective`, or with `shard` only that shard's rows of the interactions
    /// (``InteractionsFile/read(_:options:shard:)``); under a global-mean offset without a fixed
    /// mean, a shard's μ is the whole file's, read by slabs. How ids were matched goes to
    /// `notices`.
    public func load(objective: Objective, shard: Shard? = nil, notices: inout AlignmentNotices) throws -> LoadedProblem {
        let limits = read.limits
        let items = try EmbeddingsFile.read(self.items, ids: itemIDs, limits: limits)
        var options = read
        if options.canonical.itemOrder == nil {
            options.canonical.itemOrder = items.itemIDs ?? .positional(items.factors.rows)
            options.canonical.itemOrderSource = self.items.path
        }
        var objective = objective
        let x: Interactions, report: ConversionReport, shardRead: InteractionsFile.ShardRead?
        if let shard {
            let read = try InteractionsFile.read(interactions, options: options, shard: shard)
            if read.byItems {
                throw DataError("\(interactions) is item-major (CSC): its shards are items; solve users from the user-major file, or pass --side items")
            }
            if objective.offset == .globalMean && objective.fixedMean == nil {
                objective.fixedMean = try InteractionsFile.globalMean(interactions, options: options).mean
            }
            (x, report, shardRead) = (read.interactions, read.report, read)
        } else {
            (x, report) = try InteractionsFile.read(interactions, options: options)
            shardRead = nil
        }
        notices.add(report.notices)
        guard x.itemCount == items.factors.rows else {
            throw DataError("\(interactions) has \(x.itemCount) items (ordered by --item-ids-from) but \(self.items) has \(items.factors.rows) rows")
        }
        let bias = try itemBias.map { try EmbeddingsFile.readVector($0, limits: limits) }
        let problem = try RidgeProblem(interactions: x.matrix, items: items.factors, objective: objective, itemBias: bias)
        return LoadedProblem(interactions: x, items: items, report: report, shard: shardRead, problem: problem)
    }
}

/// Interactions and item embeddings read for one problem, and the problem; with a shard, what
/// the shard read.
public struct LoadedProblem {
    public var interactions: Interactions
    public var items: ItemEmbeddings
    /// What reading the interactions dropped, merged or renumbered.
    public var report: ConversionReport
    public var shard: InteractionsFile.ShardRead?
    /// The ridge problem of the interactions against the embeddings, under the objective given.
    public var problem: RidgeProblem

    /// The part record of a sharded run's output: the shard, its rows, and a fingerprint of the
    /// interactions file, the items (values and ids) and `extra` inputs' identities.
    public func part(_ shard: Shard, kind: ShardPart.Kind, settings: String, extra: [String] = []) -> ShardPart? {
        guard let read = self.shard else { return nil }
        var interactions = Fingerprint(), itemMatrix = Fingerprint()
        interactions.add(read.identity)
        itemMatrix.add(items.factors.storage)
        if let ids = items.itemIDs { itemMatrix.add(ids) }
        var parts = [(name: "interactions", fingerprint: interactions), (name: "items", fingerprint: itemMatrix)]
        for e in extra {
            var other = Fingerprint()
            other.add(e)
            parts.append((name: "other", fingerprint: other))
        }
        return ShardPart(kind: kind, shard: shard, rows: read.rows, totalRows: read.totalRows,
                         fingerprint: Fingerprint.labeled(parts), settings: settings)
    }
}
