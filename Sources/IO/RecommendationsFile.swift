import Foundation
import Matrices

/// Writes top-K recommendation lists: CSV (`user,rank,item,score`), JSON lines, Parquet (the
/// CSV's columns, ZSTD) or HDF5 (`user_ids`, `item_ids` m × K, `scores` m × K; short lists
/// padded with NaN scores and the item id -1, or "" for string ids). Ids keep their type: when
/// every id of a side is an integer (as `IDMap.allIntegers` decides for the whole side), JSON,
/// Parquet and HDF5 store integers, else strings. `Lists.labels` renames the sides for other
/// lists of ids: `similar` writes `item,rank,neighbor,score`, `neighbors`, and
/// `item_ids`/`neighbor_ids`.
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

    /// Writes `recs` in `format`, by default the one the extension of `path` picks (`.csv`,
    /// `.jsonl`, `.h5`; any other name is an error). With `part` (HDF5 only), the file is a
    /// part of a sharded run: it also records the part (``ShardPart``) and each list's length
    /// (`list_lengths`), for ``readPart(_:)``.
    public static func write(_ recs: Lists, k: Int, to path: String, format: OutputFormat? = nil, provenance: Provenance? = nil,
                             part: ShardPart? = nil) throws(IOError) {
        let format = try OutputFormat.resolving(path, kind: .recommendations, given: format)
        guard OutputKind.recommendations.formats.contains(format), part == nil || format == .hdf5 else {
            throw IOError(file: path, "recommendation lists cannot be written as \(format.rawValue)\(part == nil ? "" : " parts"); write \(part == nil ? OutputKind.recommendations.acceptedExtensions : ".h5")")
        }
        if format == .parquet {
            try AtomicOutput.writeStream(to: path) { sink throws(IOError) in try parquet(recs, to: sink, output: path, provenance: provenance) }
        } else if format == .jsonl {
            try AtomicOutput.writeStream(to: path) { sink throws(IOError) in try jsonLines(recs, to: sink) }
        } else if format == .hdf5 {
            try AtomicOutput.write(to: path) { temporary throws(IOError) in
                let file = try HDF5File.create(temporary)
                try writeHDF5(recs, k: k, to: file)
                try provenance?.record(in: file)
                if let part {
                    try part.record(in: file)
                    try file.write("/list_lengths", recs.lists.map { Int64($0.count) }, shape: [recs.lists.count])
                }
                try file.flush()
            }
        } else {
            try AtomicOutput.writeStream(to: path) { sink throws(IOError) in try csv(recs, to: sink) }
        }
    }

    /// `user,rank,item,score`, one line per entry.
    static func csv(_ recs: Lists, to sink: FileSink) throws(IOError) {
        try sink.write("\(recs.labels.query),rank,\(recs.labels.result),score\n")
        for (user, list) in zip(recs.users, recs.lists) {
            let field = TextWriters.field(user, separator: ",")
            for (r, entry) in list.enumerated() {
                try sink.write("\(field),\(r + 1),\(TextWriters.field(entry.item, separator: ",")),\(entry.score)\n")
            }
        }
    }

    /// Rows a Parquet row group holds at most, unless one list alone is longer.
    static let parquetRowGroupRows = 1 << 17

    /// The lists as a Parquet table of the CSV's columns: ids as INT64 when every id of the side
    /// is an integer, else STRING; rank as INT32 from 1; score as DOUBLE. Row groups hold whole
    /// lists; the footer keeps the provenance as key-value metadata.
    static func parquet(_ recs: Lists, to sink: FileSink, output: String, provenance: Provenance?) throws(IOError) {
        let integerUsers = recs.integerUsers && recs.users.allSatisfy { Int64($0) != nil }
        let integerItems = recs.integerItems && recs.lists.allSatisfy { $0.allSatisfy { Int64($0.item) != nil } }
        let columns = [ParquetWriter.Column(name: recs.labels.query, type: integerUsers ? .int64 : .byteArray),
                       ParquetWriter.Column(name: "rank", type: .int32),
                       ParquetWriter.Column(name: recs.labels.result, type: integerItems ? .int64 : .byteArray),
                       ParquetWriter.Column(name: "score", type: .double)]
        var writer = try ParquetWriter(columns: columns, sink: sink, output: output)
        var start = 0
        while start < recs.users.count {
            var (end, rows) = (start, 0)
            while end < recs.users.count, rows == 0 || rows + recs.lists[end].count <= parquetRowGroupRows {
                rows += recs.lists[end].count
                end += 1
            }
            if rows > 0 {
                try writer.append(rowGroup: parquetRowGroup(recs, users: start..<end, integerUsers: integerUsers, integerItems: integerItems))
            }
            start = end
        }
        try writer.finish(metadata: provenance?.records ?? [])
    }

    /// The columns of the rows of `users`' lists.
    private static func parquetRowGroup(_ recs: Lists, users: Range<Int>, integerUsers: Bool, integerItems: Bool) -> [ParquetValues] {
        var (userNumbers, itemNumbers, ranks, scores) = ([Int64](), [Int64](), [Int32](), [Double]())
        var (userNames, itemNames) = (ParquetByteArrays(), ParquetByteArrays())
        for u in users {
            for (r, entry) in recs.lists[u].enumerated() {
                if integerUsers { userNumbers.append(Int64(recs.users[u])!) } else { userNames.append(recs.users[u].utf8) }
                if integerItems { itemNumbers.append(Int64(entry.item)!) } else { itemNames.append(entry.item.utf8) }
                ranks.append(Int32(r + 1))
                scores.append(entry.score)
            }
        }
        return [integerUsers ? .int64(userNumbers) : .byteArray(userNames), .int32(ranks),
                integerItems ? .int64(itemNumbers) : .byteArray(itemNames), .double(scores)]
    }

    /// One JSON object per user: `user`, `items`, `scores`.
    static func jsonLines(_ recs: Lists, to sink: FileSink) throws(IOError) {
        func id(_ s: String, _ integer: Bool) -> Any { integer ? (Int64(s).map { $0 as Any } ?? s) : s }
        for (user, list) in zip(recs.users, recs.lists) {
            let object: [String: Any] = [recs.labels.query: id(user, recs.integerUsers), recs.labels.result + "s": list.map { id($0.item, recs.integerItems) },
                                         "scores": list.map(\.score)]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            try sink.write(String(decoding: data, as: UTF8.self) + "\n")
        }
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

extension RecommendationsFile {
    /// A part of a sharded `recommend`: its lists, list length K, part record and provenance.
    public struct Part: Sendable {
        public var lists: Lists
        public var k: Int
        public var part: ShardPart
        /// The provenance attributes by name (``Provenance/attributeNames``).
        public var provenance: [String: String]
    }

    /// Reads a part written by ``write(_:k:to:provenance:part:)``: `user_ids`, `item_ids` and
    /// `scores` (m × K), `list_lengths` and the part record. Errors name the file and dataset.
    public static func readPart(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> Part {
        let file = try HDF5File.open(path, limits: limits)
        guard let part = try ShardPart.read(from: file) else {
            throw IOError(file: path, "is not a part of a sharded run (no shard attributes)")
        }
        guard part.kind == .recommendations else { throw IOError(file: path, "holds a \(part.kind) part, not recommendations") }
        let scores = try file.read("/scores", as: Double.self)
        guard scores.shape.count == 2, scores.shape[0] == part.rows.count else {
            throw IOError(file: path, location: "/scores", "has shape \(scores.shape), expected \(part.rows.count) users × K")
        }
        let (m, k) = (scores.shape[0], scores.shape[1])
        let userInfo = try file.info("/user_ids"), itemInfo = try file.info("/item_ids")
        guard userInfo.shape == [m] else { throw IOError(file: path, location: "/user_ids", "has shape \(userInfo.shape), expected [\(m)]") }
        guard itemInfo.shape == [m, k] else { throw IOError(file: path, location: "/item_ids", "has shape \(itemInfo.shape), expected [\(m), \(k)]") }
        let lengths = try file.read("/list_lengths", as: Int64.self).values
        guard lengths.count == m, lengths.allSatisfy({ $0 >= 0 && $0 <= k }) else {
            throw IOError(file: path, location: "/list_lengths", "does not hold one length of 0…\(k) per user")
        }
        let users = try file.readStrings("/user_ids")
        let items = try itemStrings(file, count: m * k, kind: itemInfo.kind)
        var lists: [[(item: String, score: Double)]] = []
        lists.reserveCapacity(m)
        for r in 0..<m { lists.append((0..<Int(lengths[r])).map { (items[r * k + $0], scores.values[r * k + $0]) }) }
        let recs = Lists(users: users, lists: lists, integerUsers: isInteger(userInfo.kind), integerItems: isInteger(itemInfo.kind))
        var provenance: [String: String] = [:]
        for name in Provenance.attributeNames where file.hasAttribute(name, on: "/") {
            provenance[name] = try file.stringAttribute(name, on: "/")
        }
        return Part(lists: recs, k: k, part: part, provenance: provenance)
    }

    private static func isInteger(_ kind: HDF5ElementKind) -> Bool {
        if case .integer = kind { return true }
        return false
    }

    /// The m × K item ids as strings: integers, or the variable-length strings a part holds.
    private static func itemStrings(_ file: HDF5File, count: Int, kind: HDF5ElementKind) throws(IOError) -> [String] {
        if isInteger(kind) { return try file.read("/item_ids", as: Int64.self).values.map { String($0) } }
        return try file.withDataset("/item_ids") { d throws(IOError) in
            guard let type = d.datasetType(), type.isVariableString, let strings = d.readVariableStrings(count: count, fileType: type),
                  strings.count == count else {
                throw IOError(file: file.path, location: "/item_ids", "expected integers or variable-length strings")
            }
            return try file.validUTF8(strings, object: "/item_ids")
        }
    }
}
