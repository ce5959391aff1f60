import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool recommend`: top-K items per user from the factors, known items excluded.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recommend the top-K items for some or all users, excluding items they already have.",
        discussion: """
        Scores with the same terms as eval (μ, item bias, user bias from the factor file's \
        attributes); ties are broken by item order. Output by extension: .csv \
        (user,rank,item,score), .jsonl (one object per user), .h5 (user_ids; item_ids and scores, \
        users × K).

        Without --train or --exclude it refuses to run, since users' own items would lead \
        their lists; --include-seen allows that.

        --candidates and --exclude take an item id list (text with one id per line, a 1-D .npy, \
        FILE.h5:/DATASET, or Parquet of one column) that applies to every user, or a list per \
        user: a CSV with the header user,item (further columns ignored), or Parquet with user \
        and item columns (a file or a folder of parts); with per-user candidates, users the file \
        does not list get no items. \
        Ids the items file lacks are counted in the summary; a list none of whose ids match is \
        an error unless --allow-empty. Both combine with --train.

        With --shard I/N (one task of a job array) recommend lists shard I's users (whole \
        blocks of 512, so the scores are the bits an unsharded run computes) into an HDF5 part; \
        `mftool merge` joins the parts into the output unsharded recommend writes, in the \
        format of its --out.

        Examples:
          mftool recommend --users u.h5 --items v.h5 --train r.h5 --k 10 --out recs.csv
          mftool recommend --users u.h5 --items v.h5 --train r.h5 --user 42 --user 7 --out recs.jsonl
          mftool recommend --users u.h5 --items v.h5 --candidates in_stock.txt --exclude seen.csv --out recs.csv
          mftool recommend --users u.h5 --items v.h5 --include-seen --out all.csv     # seen items too
          mftool recommend --users u.h5 --items v.h5 --train r.h5 --shard auto --out 'parts/recs-{shard}.h5'
          mftool merge parts/recs-*.h5 --out recs.csv
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "User factors.", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Known interactions to exclude.", completion: .file()) var train: String?
    @Option(help: "Items that may be recommended: an id list, or a CSV of user,item.", completion: .file()) var candidates: String?
    @Option(help: "Items never recommended: an id list, or a CSV of user,item.", completion: .file()) var exclude: String?
    @Option(name: .customLong("user"), help: "A user id to recommend for (repeatable; default: all users).") var userIDs: [String] = []
    @Option(help: "Items per user.") var k: Int = 10
    @Option(help: "Output: .csv, .jsonl or .h5; with --shard, an .h5 part for `mftool merge` ({shard} becomes the shard's index).", completion: .file())
    var out: String
    @OptionGroup(title: "Output") var output: OutputOptions
    @Option(help: "Worker threads (at most the cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Precision of the scores: double (default) or single (factors read as Float32, float64 files rounded: half the memory; Float32 GEMM; printed scores then carry Float32 rounding).")
    var precision: RidgeSolver.Precision = .double
    @Flag(name: .customLong("include-seen"), help: "Without --train or --exclude: recommend items users already have, knowingly.")
    var includeSeen = false
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "No summary, notes or progress line on stderr.") var quiet = false
    @OptionGroup(title: "Job arrays") var sharding: ShardOptions

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        // The factors fit the training items best, so without them excluded every list would
        // lead with what the user already has.
        if train == nil && exclude == nil && !includeSeen {
            throw ValidationError("without --train or --exclude, the items users already have would be recommended: give the training interactions (--train FILE) or an --exclude list, or --include-seen to allow them")
        }
        if includeSeen && (train != nil || exclude != nil) {
            throw ValidationError("--include-seen contradicts --train and --exclude, which remove seen items")
        }
    }

    mutating func run() throws {
        let shard = try sharding.resolved()
        out = try sharding.output(out, shard: shard)
        if shard != nil && OutputFormat.named(byExtensionOf: out) != .hdf5 {
            throw ValidationError("--shard writes HDF5 parts, which `mftool merge` joins into CSV, JSONL or HDF5: give --out 'recs-{shard}.h5', not '\(out)'")
        }
        let format = try output.format(of: out, shard == nil ? .recommendations : .part, option: "--out")
        let inputs = [users, items, train, candidates, exclude].compactMap { $0.map { FileSpec($0).path } }
        try OutputGroup.refuseOverlap(inputs: inputs, outputs: [out])
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        let loaded = try LoadedModel(users: FileSpec(users), items: FileSpec(items), alignment: alignment.alignment, reading: precision == .single ? .single : .double,
                                     limits: resources.limits)
        let (model, userMap) = (loaded.model, loaded.userIDs)
        k = QueryList.capped(k, available: model.items.rows, what: "items", quiet: quiet)
        var notices = AlignmentNotices.printing()
        let trainSet = try self.train.map { try loaded.aligned(FileSpec($0), role: "train", notices: &notices) }
        let train = trainSet?.matrix
        let candidateList = try candidates.map { try loaded.itemList(FileSpec($0), role: "candidates", notices: &notices) }
        let excludeList = try exclude.map { try loaded.itemList(FileSpec($0), role: "exclude", notices: &notices) }
        var rows: [Int] = []
        for id in QueryList.distinct(userIDs, option: "--user", quiet: quiet) {
            guard let row = userMap.index(of: id) else { throw DataError("no user '\(id)' in \(users)") }
            rows.append(row)
        }
        if userIDs.isEmpty { rows = Array(0..<userMap.count) }
        var evaluator = RankingEvaluator(cutoffs: [k])
        evaluator.memory = resources.limits.memory
        let positions = shard.map { Self.positions(of: $0, users: rows.count, block: evaluator.blockSize) } ?? rows.indices
        let part = shard.map { ShardPart(kind: .recommendations, shard: $0, rows: positions, totalRows: rows.count,
                                         fingerprint: fingerprint(loaded, rows: rows), settings: partSettings) }
        rows = Array(rows[positions])
        evaluator.threads = threads
        evaluator.precision = precision
        let progress = ProgressLine("recommend", unit: "users", quiet: quiet)
        evaluator.progress = progress.handler
        try evaluator.chargeWorkingMemory(model: model, users: rows.count, k: k, lists: true)
        let filter = LoadedModel.filter(candidates: candidateList, exclude: excludeList)
        let lists = evaluator.recommend(model: model, users: rows, train: train, k: k, filter: filter)
        progress.finish()
        let itemIDs = loaded.itemIDs
        let recs = RecommendationsFile.Lists(users: rows.map { userMap.ids[$0] },
                                             lists: lists.map { $0.map { (itemIDs.ids[$0.item], $0.score) } },
                                             integerUsers: userMap.allIntegers, integerItems: itemIDs.allIntegers)
        try RecommendationsFile.write(recs, k: k, to: out, format: format, provenance: provenance, part: part)
        report(users: rows.count, listed: lists.reduce(0) { $0 + $1.count }, train: trainSet,
               lists: [("candidates", candidateList), ("exclude", excludeList)])
    }

    /// The positions in the list of users that `shard` recommends for: about equal numbers of
    /// the ranking's blocks of users, so that every block holds the users it holds in an
    /// unsharded run and the scores (GEMMs of a block) are the same bits.
    static func positions(of shard: Shard, users: Int, block: Int) -> Range<Int> {
        let blocks = (users + block - 1) / block
        let cut = shard.rows(of: blocks, nnz: 0) { _ in 0 }
        return Swift.min(users, cut.lowerBound * block)..<Swift.min(users, cut.upperBound * block)
    }

    /// The settings every part of a sharded run must share, as canonical JSON.
    var partSettings: String {
        Console.json(["k": k, "precision": precision.rawValue, "train": train != nil, "include_seen": includeSeen, "candidates": candidates != nil,
                      "exclude": exclude != nil, "drop_unknown_items": alignment.idMatching.dropUnknownItems,
                      "require_ids": alignment.idMatching.requireIDs, "allow_empty": alignment.idMatching.allowEmpty] as [String: Any])
    }

    /// What identifies the inputs of a sharded run: the factors and ids of users and items,
    /// the users chosen, and the bytes of the training file and of each item list.
    func fingerprint(_ loaded: LoadedModel, rows: [Int]) -> String {
        var model = Fingerprint(), users = Fingerprint()
        model.add(model: loaded)
        users.add(rows.map(String.init).joined(separator: ","))
        var parts = [(name: "factors", fingerprint: model), (name: "--user", fingerprint: users)]
        for (role, path) in [("--train", train), ("--candidates", candidates), ("--exclude", exclude)] {
            var file = Fingerprint()
            if let path { file.add(contentsOf: FileSpec(path).path) }
            parts.append((name: role, fingerprint: file))
        }
        return Fingerprint.labeled(parts)
    }

    /// What the HDF5 output records of this run.
    var provenance: Provenance {
        Provenance(command: "recommend", settings: ["k": k, "user": userIDs.isEmpty ? nil : userIDs, "precision": precision.rawValue, "threads": threads,
                                          "include_seen": includeSeen],
                   inputs: ["users": users, "items": items, "train": train, "candidates": candidates, "exclude": exclude])
    }

    /// The summary: a line on stderr, and with --json an object on stdout, with what the
    /// training file and the item lists lost to alignment.
    func report(users count: Int, listed: Int, train trainSet: LoadedModel.Aligned?, lists: [(String, ItemListInput?)]) {
        if !quiet {
            var line = "recommended \(k) items for \(count) users → \(out)"
            if let trainSet {
                line += " (\(trainSet.unknownUsers) train users without factors, \(trainSet.droppedInteractions) train interactions on unknown items dropped)"
            }
            Console.error(line)
            for case let (role, list?) in lists where list.unknownItems > 0 || list.unknownUsers > 0 {
                Console.error("--\(role): \(list.unknownItems) ids on items the items file lacks, \(list.unknownUsers) users without factors, left out")
            }
        }
        if json {
            var summary: [String: Any] = ["users": count, "k": k, "recommendations": listed, "out": out]
            if let trainSet {
                summary["unknown_train_users"] = trainSet.unknownUsers
                summary["dropped_train_interactions"] = trainSet.droppedInteractions
                summary["dropped_train_items"] = trainSet.droppedItems
            }
            for case let (role, list?) in lists {
                summary["unknown_\(role)_items"] = list.unknownItems
                if list.perUser != nil { summary["unknown_\(role)_users"] = list.unknownUsers }
            }
            Console.out(Console.json(summary))
        }
    }
}
