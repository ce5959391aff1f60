import Foundation
import Matrices

/// Writes top-K recommendation lists: CSV (`user,rank,item,score`), JSON lines, or HDF5
/// (`user_ids`, `item_ids` m × K, `scores` m × K; short lists padded with "" and NaN).
public enum RecommendationsFile {
    public static func write(users: [String], lists: [[(item: String, score: Double)]], k: Int, to path: String) throws(IOError) {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") {
            var out = ""
            for (user, list) in zip(users, lists) {
                let object: [String: Any] = ["user": user, "items": list.map(\.item), "scores": list.map(\.score)]
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
            try AtomicOutput.write(Data(out.utf8), to: path)
        } else if FileFormat.byExtension(path) == .hdf5 {
            try AtomicOutput.write(to: path) { temporary throws(IOError) in
                let file = try HDF5File.create(temporary)
                var items = [String](repeating: "", count: users.count * k)
                var scores = [Double](repeating: .nan, count: users.count * k)
                for (r, list) in lists.enumerated() {
                    for (c, entry) in list.prefix(k).enumerated() { items[r * k + c] = entry.item; scores[r * k + c] = entry.score }
                }
                try file.writeStrings("/user_ids", users)
                try file.writeStrings("/item_ids", items, shape: [users.count, k])
                try file.write("/scores", scores, shape: [users.count, k])
                try file.flush()
            }
        } else {
            var out = "user,rank,item,score\n"
            for (user, list) in zip(users, lists) {
                for (r, entry) in list.enumerated() {
                    out += "\(TextWriters.field(user, separator: ",")),\(r + 1),\(TextWriters.field(entry.item, separator: ",")),\(entry.score)\n"
                }
            }
            try AtomicOutput.write(Data(out.utf8), to: path)
        }
    }
}
