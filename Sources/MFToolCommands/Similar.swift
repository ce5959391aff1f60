import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

extension RankingEvaluator.Similarity: ExpressibleByArgument {}

/// `mftool similar`: the nearest items of items, or users of users, by cosine or inner product.
struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The top-K most similar items of some or all items (or users of users), by cosine or inner product.",
        discussion: """
        Item vectors are the rows of --items (the item bias is not part of them); user vectors \
        are the factors of --users without the user-bias column. An item (user) is never its own \
        neighbour; ties are broken by row order. With --all every row is a query, ranked as \
        recommend ranks users: blocks of queries against panels of rows, one GEMM each.

        Output by extension: .csv (item,rank,neighbor,score, or user,…), .jsonl (one object per \
        query: item or user, neighbors, scores), .h5 (item_ids or user_ids; neighbor_ids and \
        scores, queries × K).

        Examples:
          mftool similar --items v.h5 --item 42 --item 7 --k 10 --out similar.csv
          mftool similar --items v.h5 --all --k 20 --out similar.h5
          mftool similar --users u.h5 --user alice --metric inner --out neighbours.jsonl
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "Item embeddings: neighbours among items.", completion: .file()) var items: String?
    @Option(help: "User factors: neighbours among users.", completion: .file()) var users: String?
    @Option(name: .customLong("item-ids"), help: "Ids of the --items rows, for embeddings without ids (.npy).", completion: .file())
    var itemIDs: String?
    @Option(name: .customLong("item"), help: "An item id to find neighbours of (repeatable).") var itemQueries: [String] = []
    @Option(name: .customLong("user"), help: "A user id to find neighbours of (repeatable).") var userQueries: [String] = []
    @Flag(help: "Every row is a query.") var all = false
    @Option(help: "Neighbours per query.") var k: Int = 10
    @Option(help: "cosine (default) or inner (product).") var metric: RankingEvaluator.Similarity = .cosine
    @Option(help: "Output: .csv, .jsonl or .h5.", completion: .file()) var out: String
    @OptionGroup(title: "Output") var output: OutputOptions
    @Option(help: "Worker threads (at most the cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Precision of the scores: double (default) or single (Float32 GEMM; printed scores then carry Float32 rounding). Under single, inner reads the vectors as Float32 (float64 files rounded) and cosine keeps a file's precision until each row is scaled, so tiny or huge rows keep their direction.")
    var precision: RidgeSolver.Precision = .double
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "No summary, notes or progress line on stderr.") var quiet = false

    func validate() throws {
        guard (items == nil) != (users == nil) else { throw ValidationError("give one of --items and --users") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        let queries = items != nil ? itemQueries : userQueries
        guard all != !queries.isEmpty else {
            throw ValidationError("give \(items != nil ? "--item" : "--user") ID (repeatable) or --all")
        }
        if items != nil && !userQueries.isEmpty || users != nil && !itemQueries.isEmpty {
            throw ValidationError("--item goes with --items, --user with --users")
        }
    }

    /// The side's vectors and ids, and the file they came from, the user-bias column left out.
    /// Under --precision single, inner products read them as Float32; cosine keeps the file's
    /// precision (float32 files stay Float32), since rows are scaled before they are rounded.
    func vectors() throws -> (FactorMatrix, IDMap, String, entity: String) {
        let reading: FactorReading = precision == .double ? .double : metric == .inner ? .single : .asStored
        if let items {
            let (factors, ids) = try EmbeddingsFile.readFactors(FileSpec(items), ids: itemIDs.map { FileSpec($0) }, reading: reading,
                                                             limits: resources.limits)
            return (factors, ids ?? .positional(factors.rows), items, "item")
        }
        let file = try FactorFile.read(FileSpec(users!), reading: reading, limits: resources.limits)
        let factors = file.matrix.leading(columns: file.k)
        return (factors, file.ids ?? .positional(factors.rows), users!, "user")
    }

    mutating func run() throws {
        let format = try output.format(of: out, .recommendations, option: "--out")
        let (vectors, ids, path, entity) = try vectors()
        guard vectors.rows > 0 else { throw IOError(file: FileSpec(path).path, "holds 0 \(entity)s (no rows): there is nothing to compare") }
        var rows = Array(0..<ids.count)
        k = QueryList.capped(k, available: vectors.rows - 1, what: "other \(entity)s", quiet: quiet)
        if !all {
            rows = try QueryList.distinct(items != nil ? itemQueries : userQueries, option: items != nil ? "--item" : "--user", quiet: quiet).map { id in
                guard let row = ids.index(of: id) else { throw DataError("no \(entity) '\(id)' in \(path)") }
                return row
            }
        }
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        var evaluator = RankingEvaluator(cutoffs: [k])
        evaluator.memory = resources.limits.memory
        evaluator.threads = threads
        evaluator.precision = precision
        let progress = ProgressLine("similar", unit: "\(entity)s", quiet: quiet)
        evaluator.progress = progress.handler
        try evaluator.chargeSimilar(vectors: vectors, queries: rows.count, metric: metric, k: k, entity: "\(entity)s")
        let lists = evaluator.similar(vectors: consume vectors, rows: rows, metric: metric, k: k)
        progress.finish()
        let recs = RecommendationsFile.Lists(users: rows.map { ids.ids[$0] }, lists: lists.map { $0.map { (ids.ids[$0.item], $0.score) } },
                                             integerUsers: ids.allIntegers, integerItems: ids.allIntegers,
                                             labels: RecommendationsFile.Labels(query: entity, result: "neighbor"))
        let provenance = Provenance(command: "similar", settings: ["k": k, "metric": metric.rawValue, "all": all, "precision": precision.rawValue],
                                    inputs: ["items": items, "users": users])
        try RecommendationsFile.write(recs, k: k, to: out, format: format, provenance: provenance)
        let listed = lists.reduce(0) { $0 + $1.count }
        if !quiet { Console.error("\(listed) \(metric.rawValue) neighbours of \(rows.count) \(entity)s → \(out)") }
        if json { Console.out(Console.json(["queries": rows.count, "k": k, "neighbors": listed, "metric": metric.rawValue, "out": out])) }
    }
}
