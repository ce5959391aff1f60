import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool inspect`: what an interactions or embeddings file holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe an interactions or embeddings file: shape, nnz, density, values, degrees, ids.",
        discussion: """
        Interactions (text, .mtx, .npz, HDF5 CSR groups) get shape, nnz, density, value range, \
        per-user and per-item degree statistics and id samples; embeddings (.npy, HDF5 2-D \
        datasets) get shape, value range, row-norm statistics and item ids; user-factor files \
        (user_factors, from solve or fit) the same with their user ids and the settings they \
        record. HDF5 files also list their datasets with dtypes.

        Examples:
          mftool inspect ml100k.h5
          mftool inspect items.h5:/model/emb --json
          mftool inspect u.data
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case auto, interactions, embeddings, users }

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Argument(help: "File to describe (FILE or FILE.h5:/object).", completion: .file())
    var file: String

    @Option(help: "What the file holds: auto, interactions, embeddings (item factors) or users (user factors).")
    var kind: Kind = .auto

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup(title: "Input")
    var inputOptions: InteractionsInputOptions

    mutating func run() throws {
        let spec = FileSpec(file)
        var report: [(String, Any)] = [("file", file)]
        let datasets = try? HDF5Catalog.describe(spec.path, limits: resources.limits)
        if let datasets { report.append(("datasets", datasets)) }
        let content = kind != .auto ? kind : try Inspect.detect(spec, format: inputOptions.format, datasets: datasets ?? [], limits: resources.limits)
        if content == .users {
            report += Summary.userFactors(try FactorFile.read(spec, side: .users, limits: resources.limits))
        } else if content == .embeddings {
            let e = try EmbeddingsFile.read(spec, limits: resources.limits)
            report += Summary.embeddings(e)
        } else {
            let (x, dup) = try inputOptions.read(file, limits: resources.limits)
            try Summary.chargeStatistics(x.matrix, memory: resources.limits.memory)
            report += Summary.interactions(x)
            report.append(("duplicates", dup.duplicates))
        }
        if json {
            let values = report.map { ($0.0, ($0.1 as? IDSample)?.json ?? $0.1) }
            Console.out(Console.json(Dictionary(values, uniquingKeysWith: { a, _ in a })))
        } else {
            for (key, value) in report { Console.out(Summary.line(key, value)) }
        }
    }

    /// What a file holds: interactions, item embeddings (.npy, an HDF5 matrix) or user factors
    /// (an HDF5 file whose matrix is `user_factors`, named or the file's only factor dataset).
    static func detect(_ spec: FileSpec, format: FileFormat?, datasets: [[String: Any]], limits: ReadLimits) throws -> Kind {
        switch format ?? FileFormat.detect(spec.path) {
        case .npy: return .embeddings
        case .hdf5:
            if try HDF5Catalog.hasCSRGroup(spec, limits: limits) { return .interactions }
            if let object = spec.object { return object.hasSuffix("user_factors") ? .users : .embeddings }
            return try FactorFile.recordedSide(spec.path, limits: limits) == .users ? .users : .embeddings
        default: return .interactions
        }
    }
}

/// Statistics for `inspect`, as ordered key–value pairs.
enum Summary {
    static func stats(_ values: [Double]) -> [String: Double] {
        guard !values.isEmpty else { return [:] }
        let sorted = values.sorted()
        let mean = values.reduce(0, +) / Double(values.count)
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return ["min": sorted.first!, "median": median, "mean": mean, "max": sorted.last!]
    }

    /// `stats` of `count` degrees of which `nonzero` are those above 0: the zeros are counted,
    /// not written out (a file may declare millions of empty rows).
    static func degreeStats(_ nonzero: [Int], of count: Int) -> [String: Double] {
        guard count > 0 else { return [:] }
        let sorted = nonzero.sorted(), zeros = count - nonzero.count
        func at(_ k: Int) -> Double { k < zeros ? 0 : Double(sorted[k - zeros]) }
        let median = count % 2 == 1 ? at(count / 2) : (at(count / 2 - 1) + at(count / 2)) / 2
        return ["min": at(0), "median": median, "mean": Double(nonzero.reduce(0, +)) / Double(count), "max": at(count - 1)]
    }

    /// The degrees of the items that have entries: counted per item when there are no more
    /// items than about twice the entries, else from the sorted column indices.
    static func itemDegrees(_ m: CSRMatrix) -> [Int] {
        if m.columns <= 2 * m.nnz + 1024 {
            var degree = [Int](repeating: 0, count: m.columns)
            for j in m.indices { degree[Int(j)] += 1 }
            return degree.filter { $0 > 0 }
        }
        var degrees: [Int] = []
        var previous: Int32 = -1
        for j in m.indices.sorted() {
            if j == previous { degrees[degrees.count - 1] += 1 } else { degrees.append(1) }
            previous = j
        }
        return degrees
    }

    /// Throws, naming the sizes, when the statistics of `m` would exceed `memory`: a
    /// sorted copy of the values, the item indices sorted or counted, the degrees and their
    /// sorted copies.
    static func chargeStatistics(_ m: CSRMatrix, memory: MemoryLimit) throws {
        let users = Swift.min(m.rows, m.nnz), items = Swift.min(m.columns, WorkingMemory.cells(2, m.nnz) &+ 1024)
        try memory.charge([(m.nnz, 8 + 4 + 8), (users, 3 * 8), (items, 2 * 8)],
                                 what: "the statistics of \(m.nnz) interactions (sorted copies of the values and item indices, the degrees)")
    }

    static func interactions(_ x: Interactions) -> [(String, Any)] {
        let m = x.matrix
        let cells = Double(m.rows) * Double(m.columns)
        let userDegrees = m.nonemptyRows().map { m.degree(ofRow: $0) }
        let itemDegrees = itemDegrees(m)
        return [
            ("kind", "interactions"),
            ("shape", [m.rows, m.columns]),
            ("nnz", m.nnz),
            ("density", cells > 0 ? Double(m.nnz) / cells : 0),
            ("values", stats(m.values)),
            ("implicit", m.values.allSatisfy { $0 == 1 }),
            ("user_degree", degreeStats(userDegrees, of: m.rows)),
            ("item_degree", degreeStats(itemDegrees, of: m.columns)),
            ("empty_users", m.rows - userDegrees.count),
            ("empty_items", m.columns - itemDegrees.count),
            ("user_ids", IDSample(x.userIDs)),
            ("item_ids", IDSample(x.itemIDs)),
            ("timestamps", timeRange(x.timestamps)),
        ]
    }

    /// The first and last time of the entries, or "none" when the file has no time column (or
    /// no entries): `split --by time` and time-ordered training need one.
    static func timeRange(_ times: [Double]?) -> Any {
        guard let times, let first = times.min(), let last = times.max() else { return "none" }
        return ["min": first, "max": last]
    }

    static func embeddings(_ e: ItemEmbeddings) -> [(String, Any)] {
        let f = e.factors
        let norms = (0..<f.rows).map { i in f.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var out: [(String, Any)] = [
            ("kind", "embeddings"),
            ("shape", [f.rows, f.columns]),
            ("values", stats(f.storage)),
            ("row_norms", stats(norms)),
        ]
        out.append(("item_ids", IDSample(e.itemIDs)))
        return out
    }

    /// A user-factor file: its shape and values, user ids, and the settings it records.
    static func userFactors(_ f: FactorFile) -> [(String, Any)] {
        let m = f.factors
        let norms = (0..<m.rows).map { i in m.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var out: [(String, Any)] = [
            ("kind", "user factors"),
            ("shape", [m.rows, m.columns]),
            ("k", f.k),
            ("user_bias", f.userBias),
            ("values", stats(m.storage)),
            ("row_norms", stats(norms)),
            ("user_ids", IDSample(f.ids)),
        ]
        if let run = f.run { out.append(("method", run.method.rawValue)) }
        if let objective = f.objective {
            for row in Objective.settings where row.isRecorded(in: objective) {
                switch row.value(in: objective) {
                case let .number(d)?: out.append((row.attribute, d))
                case let .choice(c)?: out.append((row.attribute, c))
                case let .flag(b)?: out.append((row.attribute, b))
                case nil: break
                }
            }
        }
        if f.offset != .none { out.append(("global_mean", f.globalMean)) }
        if let version = f.version { out.append(("version", version)) }
        return out
    }

    static func line(_ key: String, _ value: Any) -> String {
        let text: String
        switch value {
        case let d as Double: text = format(d)
        case let s as [String: Double]:
            text = ["min", "median", "mean", "max"].compactMap { k in s[k].map { "\(k) \(format($0))" } }.joined(separator: ", ")
        case let a as [Int]: text = a.map(String.init).joined(separator: " × ")
        case let a as [String]: text = a.joined(separator: ", ") + (a.count == 5 ? ", …" : "")
        case let s as IDSample: text = s.ids.joined(separator: ", ") + (s.ids.count == 5 ? ", …" : "")
        case let d as [[String: Any]]:
            text = d.map { "\n  \($0["path"] ?? "") \($0["dtype"] ?? "") \(($0["shape"] as? [Int])?.map(String.init).joined(separator: "×") ?? "")" }.joined()
        default: text = "\(value)"
        }
        return key.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + text
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e12 { return String(Int64(d)) }
        return String(format: "%.6g", d)
    }
}

/// The first ids of a file, and whether all of its ids are integers: JSON then gives them as
/// numbers, as the `.jsonl` and HDF5 outputs store int64 ids.
struct IDSample {
    var ids: [String]
    var integers: Bool

    init(_ map: IDMap?) {
        ids = map.map { Array($0.ids.prefix(5)) } ?? []
        integers = map?.allIntegers ?? false
    }

    var json: Any { integers ? ids.map { Int64($0)! } as [Any] : ids as [Any] }
}

extension IDMap {
    /// One id as JSON gives it: a number when every id of the map is an integer.
    func jsonValue(_ id: String) -> Any { allIntegers ? Int64(id)! as Any : id as Any }
}
