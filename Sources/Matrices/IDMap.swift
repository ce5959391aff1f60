/// A bijection between external id tokens (user or item ids, as strings) and indices `0..<count`.
///
/// Ids keep the order in which they were added; ``sorted()`` reorders them (integers numerically
/// when every id is an integer, otherwise by string).
public struct IDMap: Sendable, Equatable {
    /// The ids, position = index.
    public private(set) var ids: [String]
    // Keyed by UTF-8 bytes: Swift's String equality merges canonically equivalent strings
    // ("é" and "e" + U+0301), which Python, pandas and h5py keep apart.
    private var lookup: [IDKey: Int]
    /// Whether the ids stand for positions because the source carried none (a `.npz`, `.mtx`
    /// or `.npy` matrix, an HDF5 file without id datasets): such a map aligns to another only
    /// by position (see ``IDAlignment``).
    public private(set) var isPositional = false

    /// An empty map.
    public init() { ids = []; lookup = [:] }

    /// A map from a list of distinct ids; throws ``DuplicateIDError`` on a repeat.
    public init(_ ids: [String]) throws(DuplicateIDError) {
        self.ids = ids
        lookup = Dictionary(minimumCapacity: ids.count)
        for (k, id) in ids.enumerated() {
            if lookup.updateValue(k, forKey: IDKey(id)) != nil { throw DuplicateIDError(id: id, position: k) }
        }
    }

    /// The ids `"0"`, `"1"`, …, `"count-1"`: the map of a matrix that carries no ids.
    public static func positional(_ count: Int) -> IDMap {
        // Distinct by construction.
        var map = try! IDMap((0..<count).map(String.init))
        map.isPositional = true
        return map
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
    public func index(of id: String) -> Int? { lookup[IDKey(id)] }

    /// The index of `id`, adding it at the end if new.
    public mutating func insert(_ id: String) -> Int {
        let key = IDKey(id)
        if let k = lookup[key] { return k }
        ids.append(id)
        lookup[key] = ids.count - 1
        return ids.count - 1
    }

    /// Whether every id is a canonical decimal integer (what `int64` storage can hold exactly).
    public var allIntegers: Bool { ids.allSatisfy { id in Int64(id).map { String($0) == id } ?? false } }

    /// The permutation that sorts the ids: `order[newIndex] = oldIndex`.
    public func sortingPermutation() -> [Int] {
        if allIntegers {
            let keys = ids.map { Int64($0)! }
            return keys.indices.sorted { keys[$0] < keys[$1] }
        }
        // Code-point order (= UTF-8 byte order), as Python's sorted() orders str.
        return ids.indices.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
    }

    /// Equal when the ids are the same byte for byte, in the same order.
    public static func == (a: IDMap, b: IDMap) -> Bool {
        a.ids.count == b.ids.count && zip(a.ids, b.ids).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }
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
