import ArgumentParser
import Foundation
import IO
import Matrices
import Solvers

/// `mftool eval`: rating and top-K ranking metrics of user factors on held-out interactions.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate user factors on held-out interactions: RMSE/MAE and top-K ranking metrics.",
        discussion: """
        Predictions use the terms the factors were solved with, read from the factor file's \
        attributes: μ (--offset global-mean), the item bias file, the user bias column. Ranking \
        scores every item in blocks of users with one GEMM each (never an m × n matrix); on \
        catalogues of 8,192 items or more and CPUs with AVX-512 VNNI, 8-bit integer scores with \
        an error bound pick the items that can make a user's list, and only those are scored \
        exactly (same lists, faster). It excludes \
        each user's training items when --train is given, and averages per user over the users \
        with test items. recall@K = hits / min(K, |test_u|); ndcg uses binary relevance; map is \
        normalized by min(K, |test_u|); coverage is the share of the catalogue in any top-K list; \
        ties are broken by item order.

        Examples:
          mftool eval --users u.h5 --items v.h5 --test test.h5 --train train.h5 --k 10,20,100
          mftool eval --users u.h5 --items v.h5 --test test.h5 --metrics rmse,mae --json
          mftool eval --users u.h5 --items v.h5 --test test.h5 --train train.h5 --k 100 --metrics recall,ndcg --precision single --timings
        """
    )

    @Option(help: "User factors (from solve or fit).", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Held-out interactions.", completion: .file()) var test: String
    @Option(help: "Training interactions to exclude from rankings.", completion: .file()) var train: String?
    @Option(help: "Cut-offs K, comma-separated.") var k: String = "10,20,100"
    @Option(help: "Metrics: rmse, mae, precision, recall, ndcg, map, mrr, hit_rate, coverage, auc (default: all but auc).")
    var metrics: String?
    @Option(help: "Worker threads (at most the cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Precision of the ranking scores: double (default) or single (Float32 scores, faster; ties at ~1e-7 may order differently).")
    var precision: RidgeSolver.Precision = .double
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Print phase timings (read, rating metrics, ranking) and the threads used on stderr; in the JSON as *_seconds and threads.") var timings = false
    @Flag(name: .shortAndLong, help: "No progress line on stderr.") var quiet = false

    mutating func run() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        let cutoffs = try k.split(separator: ",").map { text -> Int in
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)), v > 0 else { throw ValidationError("--k takes positive integers, comma-separated") }
            return v
        }
        let wanted = Set((metrics ?? "rmse,mae,precision,recall,ndcg,map,mrr,hit_rate,coverage").split(separator: ",").map(String.init))
        let known: Set<String> = ["rmse", "mae", "precision", "recall", "ndcg", "map", "mrr", "hit_rate", "coverage", "auc"]
        if let unknown = wanted.subtracting(known).first { throw ValidationError("unknown metric '\(unknown)'") }
        if let train { try Split.refuseMismatchedPair(train: train, test: test) }
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        let t0 = Date()
        let loaded = try LoadedModel(users: users, items: items, options: alignment)
        let model = loaded.model
        var notices = AlignmentNotices()
        let testSet = try loaded.aligned(test, role: "test", notices: &notices)
        let trainSet = try train.map { try loaded.aligned($0, role: "train", notices: &notices) }
        let testMatrix = testSet.matrix, trainMatrix = trainSet?.matrix
        if testMatrix.nnz == 0 && !alignment.allowEmpty {
            throw DataError("\(test): no test interactions are left to evaluate (\(testSet.unknownUsers) test users without factors, \(testSet.droppedInteractions) interactions on unknown items); pass --allow-empty to accept")
        }
        var report: [String: Any] = ["test_interactions": testMatrix.nnz, "unknown_test_users": testSet.unknownUsers,
                                     "dropped_test_interactions": testSet.droppedInteractions]
        if let trainSet {
            report["unknown_train_users"] = trainSet.unknownUsers
            report["dropped_train_interactions"] = trainSet.droppedInteractions
        }
        let t1 = Date()
        if wanted.contains("rmse") || wanted.contains("mae") {
            let r = RatingMetrics(model: model, test: testMatrix)
            if wanted.contains("rmse") { report["rmse"] = r.rmse }
            if wanted.contains("mae") { report["mae"] = r.mae }
        }
        let rankingNames = wanted.intersection(["precision", "recall", "ndcg", "map", "mrr", "hit_rate", "coverage", "auc"])
        let t2 = Date()
        if !rankingNames.isEmpty {
            var evaluator = RankingEvaluator(cutoffs: cutoffs)
            evaluator.threads = threads
            evaluator.precision = precision
            evaluator.computeAUC = wanted.contains("auc")
            let progress = ProgressLine("eval", unit: "users", quiet: quiet)
            evaluator.progress = progress.handler
            let ranking = evaluator.evaluate(model: model, test: testMatrix, train: trainMatrix)
            progress.finish()
            if ranking.usersEvaluated == 0 && !alignment.allowEmpty {
                throw DataError("\(test): 0 users evaluated: no user has test items outside the training items; pass --allow-empty to accept")
            }
            report["users_evaluated"] = ranking.usersEvaluated
            for (cutoff, values) in ranking.values {
                for (name, value) in values where rankingNames.contains(name) { report["\(name)@\(cutoff)"] = value }
            }
            if let auc = ranking.auc { report["auc"] = auc }
        }
        let t3 = Date()
        if timings {
            report["read_seconds"] = t1.timeIntervalSince(t0)
            report["rating_seconds"] = t2.timeIntervalSince(t1)
            report["ranking_seconds"] = t3.timeIntervalSince(t2)
            report["threads"] = threads
            Console.error(String(format: "timings (\(threads) threads): read %.3f s, rating metrics %.3f s, ranking %.3f s",
                                 t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2)))
        }
        printReport(report)
    }

    /// The report as JSON, or as a table of sorted keys.
    func printReport(_ report: [String: Any]) {
        guard !json else { return Console.out(Console.json(report)) }
        let width = max(20, report.keys.map(\.count).max() ?? 0)
        for key in report.keys.sorted() {
            let value = report[key]!
            let text = (value as? Double).map { String(format: "%.6f", $0) } ?? "\(value)"
            Console.out(key.padding(toLength: width, withPad: " ", startingAt: 0) + " " + text)
        }
    }
}
