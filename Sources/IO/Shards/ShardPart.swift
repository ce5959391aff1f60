import Foundation
import Matrices

/// What a part of a sharded command records about itself, so that `mftool merge` can check
/// that its parts belong together: the shard, the rows it covers, a fingerprint of the inputs
/// and the settings that must agree. HDF5 parts store it as root attributes (`shard`,
/// `shard_rows`, `shard_fingerprint`, `shard_settings`); JSON parts as an object under `part`.
public struct ShardPart: Sendable, Equatable {
    /// What a part holds; the raw value is what files record.
    public enum Kind: String, Sendable, CaseIterable {
        /// An HDF5 factor file's rows (`solve --shard`).
        case factors
        /// A JSON file of evaluation totals (`eval --shard`).
        case eval
        /// Recommendation lists (`recommend --shard`).
        case recommendations

        /// The kind named `text` in `file`, or an error listing the kinds there are.
        init(_ text: String, file: String) throws(IOError) {
            guard let kind = Kind(rawValue: text) else {
                throw IOError(file: file, location: "part", "is of kind '\(text)', which this version does not merge (it merges \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self = kind
        }
    }

    public var kind: Kind
    public var shard: Shard
    /// The rows of the input's row order this part covers.
    public var rows: Range<Int>
    /// The rows of the whole input.
    public var totalRows: Int
    /// Identifies the inputs (``Fingerprint``): parts of different inputs do not merge.
    public var fingerprint: String
    /// The settings every part must share, as a canonical JSON object.
    public var settings: String

    public init(kind: Kind, shard: Shard, rows: Range<Int>, totalRows: Int, fingerprint: String, settings: String) {
        self.kind = kind
        self.shard = shard
        self.rows = rows
        self.totalRows = totalRows
        self.fingerprint = fingerprint
        self.settings = settings
    }

    /// The attribute names of an HDF5 part.
    public static let attributeNames = ["shard_kind", "shard", "shard_rows", "shard_fingerprint", "shard_settings"]

    /// As a JSON object (the `part` member of a JSON part).
    public var json: [String: Any] {
        ["kind": kind.rawValue, "shard": shard.description, "rows": [rows.lowerBound, rows.upperBound, totalRows],
         "fingerprint": fingerprint, "settings": settings]
    }

    /// From the `part` member of a JSON part; `file` names it in errors.
    public init(json: Any?, file: String) throws(IOError) {
        guard let object = json as? [String: Any] else { throw IOError(file: file, location: "part", "is missing: not a part of a sharded command") }
        guard let kind = object["kind"] as? String, let text = object["shard"] as? String, let shard = Shard(text),
              let rows = object["rows"] as? [Int], rows.count == 3, rows[0] <= rows[1], rows[1] <= rows[2],
              let fingerprint = object["fingerprint"] as? String, let settings = object["settings"] as? String else {
            throw IOError(file: file, location: "part", "is malformed: expected kind, shard I/N, rows [start, end, total], fingerprint and settings")
        }
        self.init(kind: try Kind(kind, file: file), shard: shard, rows: rows[0]..<rows[1], totalRows: rows[2],
                  fingerprint: fingerprint, settings: settings)
    }

    /// Sets the part's attributes on the root of `file`.
    func record(in file: HDF5File) throws(IOError) {
        try file.setAttribute("shard_kind", on: "/", string: kind.rawValue)
        try file.setAttribute("shard", on: "/", string: shard.description)
        try file.setAttribute("shard_rows", on: "/", integers: [Int64(rows.lowerBound), Int64(rows.upperBound), Int64(totalRows)])
        try file.setAttribute("shard_fingerprint", on: "/", string: fingerprint)
        try file.setAttribute("shard_settings", on: "/", string: settings)
    }

    /// The part recorded on the root of `file`, nil when it records none.
    static func read(from file: HDF5File) throws(IOError) -> ShardPart? {
        guard file.hasAttribute("shard", on: "/") else { return nil }
        let text = try file.stringAttribute("shard", on: "/")
        let rows = try file.integerAttribute("shard_rows", on: "/")
        guard let shard = Shard(text), rows.count == 3, rows[0] >= 0, rows[0] <= rows[1], rows[1] <= rows[2] else {
            throw IOError(file: file.path, location: "/", "records a malformed shard ('\(text)', rows \(rows))")
        }
        return ShardPart(kind: try Kind(try file.stringAttribute("shard_kind", on: "/"), file: file.path), shard: shard,
                         rows: Int(rows[0])..<Int(rows[1]), totalRows: Int(rows[2]),
                         fingerprint: try file.stringAttribute("shard_fingerprint", on: "/"),
                         settings: try file.stringAttribute("shard_settings", on: "/"))
    }

    /// The part recorded in the HDF5 file at `path`, nil when it records none.
    public static func read(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> ShardPart? {
        try read(from: HDF5File.open(path, limits: limits))
    }

    /// The settings that differ between two records (`name=value` lines or a JSON object), as
    /// `name value (first part: value)`, in name order.
    static func settingsDifference(_ first: String, _ other: String) -> String {
        func parse(_ text: String) -> [String: String] {
            if let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                return object.mapValues { "\($0)" }
            }
            var out: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let pair = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                out[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
            return out
        }
        let (a, b) = (parse(first), parse(other))
        let names = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
        return names.map { "\($0) \(b[$0] ?? "none") (first part: \(a[$0] ?? "none"))" }.joined(separator: ", ")
    }

    /// `parts` (path, part) in shard order, after checking that they are the N parts of one
    /// run: one kind, count, fingerprint, settings and row total; every index once; the rows
    /// tiling 0 ..< total in shard order. Errors name the missing, repeated or odd part.
    public static func ordered(_ parts: [(path: String, part: ShardPart)]) throws(IOError) -> [(path: String, part: ShardPart)] {
        guard let (firstPath, first) = parts.first else { throw IOError(file: "merge", "no parts given") }
        for (path, p) in parts.dropFirst() {
            func differs(_ what: String, _ a: String, _ b: String) -> IOError {
                IOError(file: path, "is not a part of the same run as \(firstPath): its \(what) is \(b), not \(a)")
            }
            if p.kind != first.kind { throw differs("kind", first.kind.rawValue, p.kind.rawValue) }
            if p.shard.count != first.shard.count { throw differs("shard count", "\(first.shard.count)", "\(p.shard.count)") }
            if p.totalRows != first.totalRows { throw differs("row total", "\(first.totalRows)", "\(p.totalRows)") }
            if p.fingerprint != first.fingerprint {
                let (name, a, b) = Fingerprint.difference(first.fingerprint, p.fingerprint)
                throw IOError(file: path, "is not a part of the same run as \(firstPath): \(name): not the same input (fingerprint \(b), not \(a))")
            }
            if p.settings != first.settings {
                throw IOError(file: path, "is not a part of the same run as \(firstPath): its settings differ: \(settingsDifference(first.settings, p.settings))")
            }
        }
        var byIndex: [Int: String] = [:]
        for (path, p) in parts {
            if let other = byIndex[p.shard.index] {
                throw IOError(file: path, "repeats shard \(p.shard) of \(other)")
            }
            byIndex[p.shard.index] = path
        }
        let missing = (0..<first.shard.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let list = missing.prefix(10).map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")
            throw IOError(file: firstPath, "shard\(missing.count == 1 ? "" : "s") \(list)\(missing.count > 10 ? ", …" : "") of its run \(missing.count == 1 ? "is" : "are") missing")
        }
        let sorted = parts.sorted { $0.part.shard.index < $1.part.shard.index }
        var next = 0
        for (path, p) in sorted {
            guard p.rows.lowerBound == next else {
                throw IOError(file: path, "covers rows \(p.rows.lowerBound)..<\(p.rows.upperBound), expected to start at row \(next)")
            }
            next = p.rows.upperBound
        }
        guard next == first.totalRows else {
            throw IOError(file: sorted.last!.path, "ends at row \(next) of \(first.totalRows)")
        }
        return sorted
    }
}

/// A short fingerprint (FNV-1a, 64 bits, hex) of what identifies a run's inputs: every task of
/// an array computes the same one from the same files. It tells runs apart; it is no checksum
/// against tampering.
public struct Fingerprint: Sendable {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01b3
        }
    }

    public mutating func add(_ text: String) {
        var copy = text + "\u{0}"
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Adds the values' bit patterns a word at a time (FNV-1a over 64-bit words: a large item
    /// matrix hashes at memory speed).
    public mutating func add(_ values: [Double]) {
        for v in values {
            hash ^= v.bitPattern
            hash &*= 0x0000_0100_0000_01b3
        }
    }

    /// Adds a factor matrix's values as Float64 bit patterns: the same for a float32 file read
    /// into Float32 or into Float64.
    public mutating func add(_ matrix: FactorMatrix) {
        switch matrix {
        case let .double(m): add(m.storage)
        case let .single(m):
            for v in m.storage {
                hash ^= Double(v).bitPattern
                hash &*= 0x0000_0100_0000_01b3
            }
        }
    }

    public mutating func add(_ ids: IDMap) {
        for id in ids.ids { add(id) }
    }

    /// Adds the bytes of the file at `path` (nothing when it cannot be read), a word at a time:
    /// what determines a run's result is the content, which a shape and a size do not pin
    /// down (one changed value keeps both).
    public mutating func add(contentsOf path: String) {
        if InputFile.isFolder(path) {
            // A folder (of Parquet parts): every file below it, by name, in byte order.
            let names = ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for name in names where !InputFile.isFolder(path + "/" + name) {
                add("file \(name)")
                add(contentsOf: path + "/" + name)
            }
            return
        }
        guard let data = try? InputFile.contents(path, mapped: true) else { add("unreadable \(path)"); return }
        data.withUnsafeBytes { raw in
            let words = raw.count / 8
            for w in 0..<words {
                hash ^= raw.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self)
                hash &*= 0x0000_0100_0000_01b3
            }
            add(UnsafeRawBufferPointer(rebasing: raw[(8 * words)...]))
        }
        add("bytes=\(data.count)")
    }

    /// A part's fingerprint as named hashes, "name:hex name:hex" (names without spaces), so
    /// that a merge can say which input differs.
    public static func labeled(_ parts: [(name: String, fingerprint: Fingerprint)]) -> String {
        parts.map { "\($0.name):\($0.fingerprint.value)" }.joined(separator: " ")
    }

    /// The first named input whose hash differs between two labeled fingerprints, with both
    /// hashes; for unlabeled (older) fingerprints, "the inputs" and the whole strings.
    static func difference(_ a: String, _ b: String) -> (name: String, a: String, b: String) {
        func fields(_ s: String) -> [(String, String)] {
            s.split(separator: " ").map { token in
                let pair = token.split(separator: ":", maxSplits: 1).map(String.init)
                return pair.count == 2 ? (pair[0], pair[1]) : ("", pair[0])
            }
        }
        let (x, y) = (fields(a), fields(b))
        if x.map(\.0) == y.map(\.0), !x.contains(where: { $0.0.isEmpty }) {
            for (p, q) in zip(x, y) where p.1 != q.1 { return (p.0, p.1, q.1) }
        }
        return ("the inputs", a, b)
    }

    public var value: String {
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
