import ArgumentParser
import Foundation
import IO
import Matrices

/// `mftool inspect`: what an interactions or embeddings file holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe an interactions or embeddings file: shape, nnz, density, values, degrees, ids.",
        discussion: """
        Interactions (text, .mtx, .npz, HDF5 CSR groups) get shape, nnz, density, value range, \
        per-user and per-item degree statistics and id samples; embeddings (.npy, HDF5 2-D \
        datasets) get shape, value range and row-norm statistics. HDF5 files also list their \
        datasets with dtypes.

        Examples:
          mftool inspect ml100k.h5
          mftool inspect items.h5:/model/emb --json
          mftool inspect u.data
        """
    )

    enum Kind: String, ExpressibleByArgument { case auto, interactions, embeddings }

    @Argument(help: "File to describe (FILE or FILE.h5:/object).")
    var file: String

    @Option(help: "What the file holds: auto, interactions or embeddings.")
    var kind: Kind = .auto

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup(title: "Input")
    var inputOptions: InteractionsInputOptions

    mutating func run() throws {
        let spec = FileSpec(file)
        let isEmbeddings: Bool
        switch kind {
        case .interactions: isEmbeddings = false
        case .embeddings: isEmbeddings = true
        case .auto: isEmbeddings = try Inspect.looksLikeEmbeddings(spec, format: inputOptions.format)
        }
        var report: [(String, Any)] = [("file", file)]
        if let datasets = try? HDF5Catalog.describe(spec.path) { report.append(("datasets", datasets)) }
        if isEmbeddings {
            let e = try EmbeddingsFile.read(spec)
            report += Summary.embeddings(e)
        } else {
            let (x, dup) = try inputOptions.read(file)
            report += Summary.interactions(x)
            report.append(("duplicates", dup.duplicates))
        }
        if json {
            print(Console.json(Dictionary(report, uniquingKeysWith: { a, _ in a })))
        } else {
            for (key, value) in report { print(Summary.line(key, value)) }
        }
    }

    static func looksLikeEmbeddings(_ spec: FileSpec, format: FileFormat?) throws -> Bool {
        switch format ?? FileFormat.detect(spec.path) {
        case .npy: return true
        case .hdf5: return !(try HDF5Catalog.hasCSRGroup(spec))
        default: return false
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

    static func interactions(_ x: Interactions) -> [(String, Any)] {
        let m = x.matrix
        let cells = Double(m.rows) * Double(m.columns)
        let userDegrees = (0..<m.rows).map { Double(m.degree(ofRow: $0)) }
        var itemDegree = [Double](repeating: 0, count: m.columns)
        for j in m.indices { itemDegree[Int(j)] += 1 }
        return [
            ("kind", "interactions"),
            ("shape", [m.rows, m.columns]),
            ("nnz", m.nnz),
            ("density", cells > 0 ? Double(m.nnz) / cells : 0),
            ("values", stats(m.values)),
            ("implicit", m.values.allSatisfy { $0 == 1 }),
            ("user_degree", stats(userDegrees)),
            ("item_degree", stats(itemDegree)),
            ("empty_users", userDegrees.filter { $0 == 0 }.count),
            ("empty_items", itemDegree.filter { $0 == 0 }.count),
            ("user_ids", Array(x.userIDs.ids.prefix(5))),
            ("item_ids", Array(x.itemIDs.ids.prefix(5))),
        ]
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
        out.append(("item_ids", e.itemIDs.map { Array($0.ids.prefix(5)) } ?? []))
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
