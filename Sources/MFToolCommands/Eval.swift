import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool eval`: rating and top-K ranking metrics of user factors on held-out interactions.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate user factors on held-out interactions: RMSE/MAE and top-K ranking metrics.",
        discussion: """
        Predictions use the terms the factors were solved with, read from the factor file's \
        attributes: μ (--offset global-mean), the item bias file, the user bias column; \
        --like FILE takes them from another factor file (user factors from elsewhere, a \
        PyTorch dump, record none), and a user file that records other terms is then an error \
        unless --override. Ranking \
        scores every item in blocks of users with one GEMM each (never an m × n matrix); on \
        catalogues of 8,192 items or more and CPUs with AVX-512 VNNI, 8-bit integer scores with \
        an error bound pick the items that can make a user's list, and only those are scored \
        exactly (same lists, faster). It excludes \
        each user's training items when --train is given, and averages per user over the users \
        with test items. recall@K = hits / min(K, |test_u|); ndcg uses binary relevance; map is \
        normalized by min(K, |test_u|); coverage is the share of the catalogue in any top-K list; \
        ties are broken by item order. Every mean is of an exact sum, rounded once, so it does not \
        depend on the order users are summed in.

        With --shard I/N (one task of a job array) eval reads only shard I's rows of the test \
        file (canonical HDF5) and the whole training file, and writes to --out a JSON part with \
        the exact sums; `mftool merge` joins the N parts into the report unsharded eval prints, \
        bit for bit as long as every user's ranking is the same: BLAS may round a user's scores \
        differently in another block of users, which can only swap items whose scores tie \
        within that rounding (likelier with --precision single).

        Examples:
          mftool eval --users u.h5 --items v.h5 --test test.h5 --train train.h5 --k 10,20,100
          mftool eval --users u.h5 --items v.h5 --test test.h5 --metrics rmse,mae --json
          mftool eval --users u.h5 --items v.h5 --test test.h5 --train train.h5 --k 100 --metrics recall,ndcg --precision single --timings
          mftool eval --users u.h5 --items v.h5 --test test.h5 --train train.h5 --shard auto --out 'parts/eval-{shard}.json'
          mftool merge parts/eval-*.json
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "User factors (from solve or fit).", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Held-out interactions.", completion: .file()) var test: String
    @Option(help: "Training interactions to exclude from rankings.", completion: .file()) var train: String?
    @Option(help: "Cut-offs K, comma-separated.") var k: String = "10,20,100"
    @Option(help: "Metrics: rmse, mae, precision, recall, ndcg, map, mrr, hit_rate, coverage, auc (default: all but auc).")
    var metrics: String?
    @Option(help: "Worker threads (at most the cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Precision: double (default) or single (factors read as Float32, float64 files rounded: half the memory; Float32 ranking scores, faster; ties at ~1e-7 may order differently; rmse/mae of the rounded factors).")
    var precision: RidgeSolver.Precision = .double
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @OptionGroup(title: "Training settings") var like: LikeOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Print phase timings (read, rating metrics, ranking) and the threads used on stderr; in the JSON as *_seconds and threads.") var timings = false
    @Flag(name: .shortAndLong, help: "No progress line on stderr.") var quiet = false
    @OptionGroup(title: "Job arrays") var sharding: ShardOptions
    @Option(help: "Write the report as JSON to this file instead of stdout; with --shard, the part (exact sums) for `mftool merge` ({shard} becomes the shard's index).", completion: .file())
    var out: String?
    @OptionGroup(title: "Output") var output: OutputOptions

    /// The metrics eval knows, and those it reports by default.
    static let knownMetrics: Set<String> = ["rmse", "mae", "precision", "recall", "ndcg", "map", "mrr", "hit_rate", "coverage", "auc"]
    static let rankingMetrics: Set<String> = ["precision", "recall", "ndcg", "map", "mrr", "hit_rate", "coverage", "auc"]

    /// The cut-offs of --k.
    func cutoffs() throws -> [Int] {
        try k.split(separator: ",").map { text -> Int in
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)), v > 0 else {
                throw ValidationError("--k takes positive integers, comma-separated (got '\(k)')")
            }
            return v
        }
    }

    /// The metrics of --metrics, or the default ones.
    func wantedMetrics() throws -> Set<String> {
        let wanted = Set((metrics ?? "rmse,mae,precision,recall,ndcg,map,mrr,hit_rate,coverage").split(separator: ",").map(String.init))
        if let unknown = wanted.subtracting(Self.knownMetrics).sorted().first {
            throw ValidationError("unknown metric '\(unknown)': choose from \(Self.knownMetrics.sorted().joined(separator: ", "))")
        }
        return wanted
    }

    // Checked here, not in run(), so that a usage error shows eval's usage, not mftool's.
    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        _ = try cutoffs()
        _ = try wantedMetrics()
        if like.override && like.like == nil { throw ValidationError("--override goes with --like") }
    }

    mutating func run() throws {
        let cutoffs = try cutoffs(), wanted = try wantedMetrics()
        let shard = try sharding.resolved()
        if shard != nil && out == nil {
            throw ValidationError("--shard writes a part for `mftool merge`: give --out PART.json ({shard} becomes the shard's index)")
        }
        let outPath = try out.map { try sharding.output($0, shard: shard) }
        if let outPath { _ = try output.format(of: outPath, .report, option: "--out") }
        if let outPath { try OutputGroup.refuseOverlap(inputs: [users, items, test, train].compactMap { $0.map { FileSpec($0).path } }, outputs: [outPath]) }
        if let train { try Split.refuseMismatchedPair(train: train, test: test, limits: resources.limits) }
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        let t0 = Date()
        let loaded = try LoadedModel(users: FileSpec(users), items: FileSpec(items), alignment: alignment.alignment, like: like.file, reading: precision == .single ? .single : .double,
                                     limits: resources.limits)
        let ratingCaveat = !wanted.isDisjoint(with: ["rmse", "mae"]) && loaded.terms.objective?.loss == .implicit
        if ratingCaveat {
            Console.error("note: these factors minimize the implicit loss, which fits 0/1 preferences under confidence weights, not the values: RMSE and MAE against the test values say little about them; the ranking metrics do")
        }
        var notices = AlignmentNotices.printing()
        let (testSet, testRead) = try shard.map { try loaded.alignedShard(FileSpec(test), role: "test", shard: $0, notices: &notices) }
            ?? (try loaded.aligned(FileSpec(test), role: "test", notices: &notices), nil)
        let trainSet = try train.map { try loaded.aligned(FileSpec($0), role: "train", notices: &notices) }
        if shard == nil && testSet.matrix.nnz == 0 && !alignment.idMatching.allowEmpty { try Self.refuseEmpty(counts(testSet, trainSet).counts, test: test) }
        let t1 = Date()
        let (totals, t2) = try self.totals(model: loaded.model, test: testSet, train: trainSet, wanted: wanted, cutoffs: cutoffs)
        let t3 = Date()
        if let shard, let testRead, let outPath {
            let part = ShardPart(kind: .eval, shard: shard, rows: testRead.rows, totalRows: testRead.totalRows,
                                 fingerprint: fingerprint(loaded, test: testRead, train: trainSet), settings: partSettings(wanted, cutoffs: cutoffs))
            try Self.writePart(part, totals: totals, test: test, to: outPath)
            if !quiet { Console.error("eval shard \(shard): \(testSet.matrix.nnz) test interactions of rows \(testRead.rows) → \(outPath)") }
            return
        }
        var report = try Self.report(totals, metrics: wanted, test: test, allowEmpty: alignment.idMatching.allowEmpty)
        if ratingCaveat { report["rating_metrics_note"] = "implicit-loss factors fit 0/1 preferences, not the values" }
        if timings {
            report["read_seconds"] = t1.timeIntervalSince(t0)
            report["rating_seconds"] = t2.timeIntervalSince(t1)
            report["ranking_seconds"] = t3.timeIntervalSince(t2)
            report["threads"] = threads
            Console.error(String(format: "timings (\(threads) threads): read %.3f s, rating metrics %.3f s, ranking %.3f s",
                                 t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2)))
        }
        try Self.emit(report, json: json, out: outPath)
    }

    /// The counts of what the inputs held: per test entry (they add up over shards), and of
    /// the training file, which every shard reads whole.
    func counts(_ testSet: LoadedModel.Aligned, _ trainSet: LoadedModel.Aligned?) -> (counts: [String: Int], shared: [String: Int]) {
        let counts = ["test_interactions": testSet.matrix.nnz, "unknown_test_users": testSet.unknownUsers,
                      "dropped_test_interactions": testSet.droppedInteractions]
        var shared: [String: Int] = [:]
        if let trainSet {
            shared["unknown_train_users"] = trainSet.unknownUsers
            shared["dropped_train_interactions"] = trainSet.droppedInteractions
        }
        return (counts, shared)
    }

    /// The exact totals of the wanted metrics over the test users, and when the rating metrics
    /// were done.
    func totals(model: FactorModel, test: LoadedModel.Aligned, train: LoadedModel.Aligned?, wanted: Set<String>,
                cutoffs: [Int]) throws -> (EvaluationTotals, Date) {
        let (counts, shared) = counts(test, train)
        var totals = EvaluationTotals(rating: nil, ranking: nil, counts: counts, shared: shared)
        if wanted.contains("rmse") || wanted.contains("mae") { totals.rating = RatingMetrics.totals(model: model, test: test.matrix) }
        let ratingDone = Date()
        if !wanted.isDisjoint(with: Self.rankingMetrics) {
            var evaluator = RankingEvaluator(cutoffs: cutoffs)
            evaluator.memory = resources.limits.memory
            evaluator.threads = threads
            evaluator.precision = precision
            evaluator.computeAUC = wanted.contains("auc")
            let users = (0..<test.matrix.rows).reduce(0) { $0 + (test.matrix.degree(ofRow: $1) > 0 ? 1 : 0) }
            try evaluator.chargeWorkingMemory(model: model, users: users, k: cutoffs.last ?? 10, lists: false)
            let progress = ProgressLine("eval", unit: "users", quiet: quiet)
            evaluator.progress = progress.handler
            totals.ranking = evaluator.totals(model: model, test: test.matrix, train: train?.matrix)
            progress.finish()
        }
        return (totals, ratingDone)
    }
}

extension Eval {
    /// The report of `totals`, the one code path of eval and `mftool merge` of eval parts:
    /// the counts, the wanted metrics (means of exact sums, rounded once). An empty outcome
    /// is a data error naming `test` unless `allowEmpty`.
    static func report(_ totals: EvaluationTotals, metrics wanted: Set<String>, test: String, allowEmpty: Bool) throws -> [String: Any] {
        if !allowEmpty {
            if totals.counts["test_interactions"] == 0 { try refuseEmpty(totals.counts, test: test) }
            if let ranking = totals.ranking, ranking.usersEvaluated == 0 {
                throw DataError("\(test): 0 users evaluated: no user has test items outside the training items; pass --allow-empty to accept")
            }
        }
        var report: [String: Any] = [:]
        for (key, value) in totals.counts.merging(totals.shared, uniquingKeysWith: { a, _ in a }) { report[key] = value }
        if let rating = totals.rating {
            if wanted.contains("rmse") { report["rmse"] = rating.rmse }
            if wanted.contains("mae") { report["mae"] = rating.mae }
        }
        if let ranking = totals.ranking?.metrics {
            report["users_evaluated"] = ranking.usersEvaluated
            for (cutoff, values) in ranking.values {
                for (name, value) in values where wanted.contains(name) { report["\(name)@\(cutoff)"] = value }
            }
            if let auc = ranking.auc { report["auc"] = auc }
        }
        return report
    }

    /// No test interaction is left: a data error naming `test` and what was lost.
    static func refuseEmpty(_ counts: [String: Int], test: String) throws {
        throw DataError("\(test): no test interactions are left to evaluate (\(counts["unknown_test_users"] ?? 0) test users without factors, \(counts["dropped_test_interactions"] ?? 0) interactions on unknown items); pass --allow-empty to accept")
    }

    /// The report as JSON into `out`, else on stdout as JSON or as a table of sorted keys.
    static func emit(_ report: [String: Any], json: Bool, out: String?) throws {
        if let out { return try TextOutput.write(Console.json(report) + "\n", to: out) }
        guard !json else { return Console.out(Console.json(report)) }
        let width = max(20, report.keys.map(\.count).max() ?? 0)
        for key in report.keys.sorted() {
            let value = report[key]!
            let text = (value as? Double).map { String(format: "%.6f", $0) } ?? "\(value)"
            Console.out(key.padding(toLength: width, withPad: " ", startingAt: 0) + " " + text)
        }
    }
}
