import Foundation
import Matrices

/// Writes top-K recommendation lists: CSV (`user,rank,item,score`), JSON lines, or HDF5
/// (`user_ids`, `item_ids` m × K, `scores` m × K; short lists padded with NaN scores and the
/// item id -1, or "" for string ids). Ids keep their type: when every id of a side is an
/// integer (as `IDMap.allIntegers` decides for the whole side), JSON and HDF5 store integers,
/// else strings. `Lists.labels` renames the sides for other lists of ids: `similar` writes
/// `item,rank,neighbor,score`, `neighbors`, and `item_ids`/`neighbor_ids`.
public enum RecommendationsFile {
    /// What the two sides are called: the CSV header's first and third columns, the JSON keys
    /// (the result side plural) and the HDF5 datasets (`<name>_ids`).
    public struct Labels: Sendable {
        public var query: String
        public var result: String

        public init(query: String, result: String) {
            self.query = query
            self.result = result
        }

        public static let recommendations = Labels(query: "user", result: "item")
    }

    /// The lists to write: one user id and one list of (item id, score) per user.
    public struct Lists: Sendable {
        public var users: [String]
        public var lists: [[(item: String, score: Double)]]
        /// Whether user ids, and item ids, are written as integers.
        public var integerUsers: Bool
        public var integerItems: Bool
        public var labels: Labels

        public init(users: [String], lists: [[(item: String, score: Double)]], integerUsers: Bool, integerItems: Bool,
                    labels: Labels = .recommendations) {
            self.labels = labels
            self.users = users
            self.lists = lists
            self.integerUsers = integerUsers
            self.integerItems = integerItems
        }
    }

    public static func write(_ recs: Lists, k: Int, to path: String, provenance: Provenance? = nil) throws(IOError) {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") {
            try AtomicOutput.write(jsonLines(recs), to: path)
        } else if FileFormat.byExtension(path) == .hdf5 {
            try AtomicOutput.write(to: path) { temporary throws(IOError) in
                let file = try HDF5File.create(temporary)
                try writeHDF5(recs, k: k, to: file)
                try provenance?.record(in: file)
                try file.flush()
            }
        } else {
            var out = "\(recs.labels.query),rank,\(recs.labels.result),score\n"
            for (user, list) in zip(recs.users, recs.lists) {
                for (r, entry) in list.enumerated() {
                    out += "\(TextWriters.field(user, separator: ",")),\(r + 1),\(TextWriters.field(entry.item, separator: ",")),\(entry.score)\n"
                }
            }
            try AtomicOutput.write(Data(out.utf8), to: path)
        }
    }

    /// One JSON object per user: `user`, `items`, `scores`.
    static func jsonLines(_ recs: Lists) -> Data {
        func id(_ s: String, _ integer: Bool) -> Any { integer ? (Int64(s).map { $0 as Any } ?? s) : s }
        var out = ""
        for (user, list) in zip(recs.users, recs.lists) {
            let object: [String: Any] = [recs.labels.query: id(user, recs.integerUsers), recs.labels.result + "s": list.map { id($0.item, recs.integerItems) },
                                         "scores": list.map(\.score)]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return Data(out.utf8)
    }

    static func writeHDF5(_ recs: Lists, k: Int, to file: HDF5File) throws(IOError) {
        let m = recs.users.count
        var items = [String](repeating: "", count: m * k)
        var scores = [Double](repeating: .nan, count: m * k)
        for (r, list) in recs.lists.enumerated() {
            for (c, entry) in list.prefix(k).enumerated() { items[r * k + c] = entry.item; scores[r * k + c] = entry.score }
        }
        if recs.integerUsers {
            try file.write("/\(recs.labels.query)_ids", recs.users.map { Int64($0) ?? -1 }, shape: [m])
        } else {
            try file.writeStrings("/\(recs.labels.query)_ids", recs.users)
        }
        if recs.integerItems {
            try file.write("/\(recs.labels.result)_ids", items.map { Int64($0) ?? -1 }, shape: [m, k])
        } else {
            try file.writeStrings("/\(recs.labels.result)_ids", items, shape: [m, k])
        }
        try file.write("/scores", scores, shape: [m, k])
    }
}
