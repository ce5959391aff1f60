/// A bijection between external id tokens (user or item ids, as strings) and indices `0..<count`.
///
/// Ids keep the order in which they were added; ``sorted()`` reorders them (integers numerically
/// when every id is an integer, otherwise by string).
public struct IDMap: Sendable, Equatable {
    /// The ids, position = index.
    public private(set) var ids: IDList
    // Keyed by UTF-8 bytes: Swift's String equality merges canonically equivalent strings
    // ("é" and "e" + U+0301), which Python, pandas and h5py keep apart. Empty while the ids are
    // numbered (``IDList/numbering``): lookups then parse the id, so a file without ids that
    // declares millions of rows costs nothing per row.
    private var lookup: [IDKey: Int]
    /// Whether the ids stand for positions because the source carried none (a `.npz`, `.mtx`
    /// or `.npy` matrix, an HDF5 file without id datasets): such a map aligns to another only
    /// by position (see ``IDAlignment``).
    public private(set) var isPositional = false

    /// An empty map.
    public init() { ids = []; lookup = [:] }

    /// A map from a list of distinct ids; throws ``DuplicateIDError`` on a repeat.
    public init(_ ids: [String]) throws(DuplicateIDError) {
        try self.init(IDList(ids))
    }

    /// A map from a list of distinct ids: a numbered list needs no table and cannot repeat;
    /// stored strings are indexed, and a repeat throws ``DuplicateIDError``.
    public init(_ ids: IDList) throws(DuplicateIDError) {
        self.ids = ids
        lookup = [:]
        if ids.numbering == nil { lookup = try Self.table(ids) }
    }

    /// The ids `"0"`, `"1"`, …, `"count-1"`: the map of a matrix that carries no ids.
    public static func positional(_ count: Int) -> IDMap {
        var map = IDMap()
        map.ids = IDList(numbering: 0..<count)
        map.isPositional = true
        return map
    }

    /// Each id's index; throws on the first repeat.
    private static func table(_ ids: IDList) throws(DuplicateIDError) -> [IDKey: Int] {
        var lookup = Dictionary<IDKey, Int>(minimumCapacity: ids.count)
        for (k, id) in ids.enumerated() {
            if lookup.updateValue(k, forKey: IDKey(id)) != nil { throw DuplicateIDError(id: id, position: k) }
        }
        return lookup
    }

    /// The same ids, marked as standing for positions (`positional`) or as real ids.
    public func markedPositional(_ positional: Bool) -> IDMap {
        var map = self
        map.isPositional = positional
        return map
    }

    /// The number of ids.
    public var count: Int { ids.count }

    /// The index of `id`, or nil.
    public func index(of id: String) -> Int? {
        guard ids.numbering != nil else { return lookup[IDKey(id)] }
        return ids.numberedIndex(of: id)
    }

    /// The index of `id`, adding it at the end if new (numbered ids are then stored as strings).
    public mutating func insert(_ id: String) -> Int {
        if ids.numbering != nil {
            if let k = index(of: id) { return k }
            ids = IDList(Array(ids))
            lookup = try! Self.table(ids)   // numbered ids are distinct
        }
        let key = IDKey(id)
        if let k = lookup[key] { return k }
        ids.append(id)
        lookup[key] = ids.count - 1
        return ids.count - 1
    }

    /// Whether every id is a canonical decimal integer (what `int64` storage can hold exactly).
    public var allIntegers: Bool {
        ids.numbering != nil || ids.allSatisfy { id in Int64(id).map { String($0) == id } ?? false }
    }

    /// The ids as integers, for `int64` storage; only when ``allIntegers``.
    public var integers: [Int64] {
        if let range = ids.numbering { return range.map(Int64.init) }
        return ids.map { Int64($0)! }
    }

    /// The ids as unsigned integers, for `uint64` storage, when every id is a canonical
    /// non-negative decimal below 2^64 (ids past 2^63 - 1, which int64 cannot hold); nil
    /// otherwise.
    public var unsignedIntegers: [UInt64]? {
        if let range = ids.numbering { return range.map(UInt64.init) }
        var values: [UInt64] = []
        values.reserveCapacity(ids.count)
        for id in ids {
            guard let v = UInt64(id), String(v) == id else { return nil }
            values.append(v)
        }
        return values
    }

    /// The permutation that sorts the ids: `order[newIndex] = oldIndex`.
    public func sortingPermutation() -> [Int] {
        if ids.numbering != nil { return Array(ids.indices) }
        if allIntegers {
            let keys = ids.map { Int64($0)! }
            return keys.indices.sorted { keys[$0] < keys[$1] }
        }
        if let keys = unsignedIntegers { return keys.indices.sorted { keys[$0] < keys[$1] } }
        // Code-point order (= UTF-8 byte order), as Python's sorted() orders str.
        return ids.indices.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
    }

    /// Equal when the ids are the same byte for byte, in the same order.
    public static func == (a: IDMap, b: IDMap) -> Bool { a.ids == b.ids }
}

/// An id as a dictionary key compared by its UTF-8 bytes, not by Unicode canonical equivalence.
/// It keeps the String itself: ids up to 15 bytes are stored inline, with no allocation per key.
public struct IDKey: Hashable, Sendable {
    public let id: String

    public init(_ id: String) {
        var copy = id
        copy.makeContiguousUTF8()
        self.id = copy
    }

    public func hash(into hasher: inout Hasher) {
        var copy = id
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func == (a: IDKey, b: IDKey) -> Bool {
        var (x, y) = (a.id, b.id)
        return x.withUTF8 { p in y.withUTF8 { q in p.count == q.count && p.elementsEqual(q) } }
    }
}

/// An id that occurs twice in a list that must hold distinct ids.
public struct DuplicateIDError: Error, Equatable {
    /// The repeated id.
    public let id: String
    /// Its second position.
    public let position: Int
}
