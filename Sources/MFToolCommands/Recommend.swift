import ArgumentParser
import Foundation
import IO
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

        Examples:
          mftool recommend --users u.h5 --items v.h5 --train r.h5 --k 10 --out recs.csv
          mftool recommend --users u.h5 --items v.h5 --train r.h5 --user 42 --user 7 --out recs.jsonl
        """
    )

    @Option(help: "User factors.", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Known interactions to exclude.", completion: .file()) var train: String?
    @Option(name: .customLong("user"), help: "A user id to recommend for (repeatable; default: all users).") var userIDs: [String] = []
    @Option(help: "Items per user.") var k: Int = 10
    @Option(help: "Output: .csv, .jsonl or .h5.", completion: .file()) var out: String
    @Option(help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Precision of the scores: double (default) or single (Float32 GEMM; printed scores then carry Float32 rounding).")
    var precision: RidgeSolver.Precision = .double
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "No summary or progress line on stderr.") var quiet = false

    mutating func run() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        let (model, userMap, itemFile) = try Recommend.loadModel(users: users, items: items)
        let train = try self.train.map { try Eval.aligned($0, users: userMap, items: itemFile).0 }
        var rows: [Int] = []
        for id in userIDs {
            guard let row = userMap.index(of: id) else { throw ValidationError("no user '\(id)' in \(users)") }
            rows.append(row)
        }
        if userIDs.isEmpty { rows = Array(0..<userMap.count) }
        let started = Date()
        var evaluator = RankingEvaluator(cutoffs: [k])
        evaluator.threads = threads
        evaluator.precision = precision
        let progress = ProgressLine("recommend", unit: "users", quiet: quiet)
        evaluator.progress = progress.handler
        let lists = evaluator.recommend(model: model, users: rows, train: train, k: k)
        progress.finish()
        let itemIDs = itemFile.itemIDs ?? .positional(itemFile.factors.rows)
        let recs = RecommendationsFile.Lists(users: rows.map { userMap.ids[$0] },
                                             lists: lists.map { $0.map { (itemIDs.ids[$0.item], $0.score) } },
                                             integerUsers: userMap.allIntegers, integerItems: itemIDs.allIntegers)
        try RecommendationsFile.write(recs, k: k, to: out, provenance: provenance)
        report(users: rows.count, listed: lists.reduce(0) { $0 + $1.count }, seconds: Date().timeIntervalSince(started))
    }

    /// What the HDF5 output records of this run.
    var provenance: Provenance {
        Provenance(command: "recommend", settings: ["k": k, "user": userIDs.isEmpty ? nil : userIDs, "precision": precision.rawValue],
                   inputs: ["users": users, "items": items, "train": train])
    }

    /// The summary: a line on stderr, and with --json an object on stdout.
    func report(users count: Int, listed: Int, seconds: Double) {
        if json {
            Console.out(Console.json(["users": count, "k": k, "recommendations": listed, "out": out, "seconds": seconds]))
        }
        if !quiet { Console.error("recommended \(k) items for \(count) users → \(out)") }
    }

    /// The model a factor file describes, with its user ids and the item file.
    static func loadModel(users: String, items: String) throws -> (FactorModel, IDMap, ItemEmbeddings) {
        let itemFile = try EmbeddingsFile.read(FileSpec(items))
        let userFile = try FactorFile.read(FileSpec(users))
        let model = try FactorModel(users: userFile.factors, items: itemFile.factors, mean: userFile.mean,
                                    itemBias: userFile.resolvedItemBias(), userBias: userFile.userBias)
        return (model, userFile.ids ?? .positional(userFile.factors.rows), itemFile)
    }
}
