/// The row pointers of a ``CSRMatrix``: `rows + 1` offsets into its entries, row `u` holding
/// entries `self[u] ..< self[u + 1]`.
///
/// Stored whole while the rows are no more than about twice the entries. A matrix whose rows
/// far outnumber its entries (a file's header may declare millions of rows for three lines)
/// stores only the rows that hold entries and where each starts: an offset is then found by a
/// binary search of them, and iteration walks them in order, so that the declared rows cost
/// nothing until a caller asks for the whole array (``withUnsafeBufferPointer(_:)``,
/// ``dense()``).
public struct RowPointers: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    /// Every offset (whole), or the start of each row in `nonempty` (sparse).
    @usableFromInline var offsets: [Int]
    /// The rows that hold entries, ascending; nil when `offsets` is whole.
    @usableFromInline var nonempty: [Int]?
    /// The entry count: the offset of every row after the last nonempty one.
    @usableFromInline var total: Int
    /// `rows + 1`.
    public private(set) var count: Int

    /// Offsets stored whole: `offsets.count - 1` rows.
    public init(_ offsets: [Int]) {
        self.offsets = offsets
        nonempty = nil
        total = offsets.last ?? 0
        count = offsets.count
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The pointers of `rows` rows of which only `nonempty` (ascending) hold entries, row
    /// `nonempty[k]` from entry `starts[k]` (ascending), `nnz` in all: stored whole when the
    /// rows are no more than about twice the nonempty ones, else sparse.
    public init(rows: Int, nonempty: [Int], starts: [Int], nnz: Int) {
        precondition(nonempty.count == starts.count && (nonempty.last ?? -1) < rows && rows >= 0)
        if rows <= 2 * nonempty.count + 1024 {
            self.init(Self.whole(rows: rows, nonempty: nonempty, starts: starts, nnz: nnz))
        } else {
            self.init(starts)
            (self.nonempty, total, count) = (nonempty, nnz, rows + 1)
        }
    }

    /// Whether only the nonempty rows are stored.
    public var isSparse: Bool { nonempty != nil }

    /// The offsets this value keeps in memory: `rows + 1` when whole, the nonempty rows when
    /// sparse.
    public var storedCount: Int { offsets.count + (nonempty?.count ?? 0) }

    /// The rows holding entries, ascending, when sparse; nil when stored whole.
    public var storedNonemptyRows: [Int]? { nonempty }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable public subscript(position: Int) -> Int {
        get {
            guard let rows = nonempty else { return offsets[position] }
            precondition(position >= 0 && position < count, "RowPointers: index \(position) out of range")
            // The first nonempty row at or after `position` starts where `position` does.
            var (lo, hi) = (0, rows.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid] < position { lo = mid + 1 } else { hi = mid }
            }
            return lo < rows.count ? offsets[lo] : total
        }
        set {
            makeWhole()
            offsets[position] = newValue
        }
    }

    /// Stores the offsets whole (a caller is about to change one).
    public mutating func makeWhole() {
        guard nonempty != nil else { return }
        offsets = dense()
        nonempty = nil
    }

    /// Every offset, in an array of `count`; empty rows are filled a block at a time.
    public func dense() -> [Int] {
        guard let rows = nonempty else { return offsets }
        return Self.whole(rows: count - 1, nonempty: rows, starts: offsets, nnz: total)
    }

    /// Calls `body` with the whole offsets, made for the call when only the nonempty rows are
    /// stored.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Int>) throws -> R) rethrows -> R {
        if nonempty == nil { return try offsets.withUnsafeBufferPointer(body) }
        return try dense().withUnsafeBufferPointer(body)
    }

    public func makeIterator() -> Iterator { Iterator(pointers: self) }

    /// The offsets transformed in order, walking the stored rows once (Collection's own `map`
    /// would search them for every row).
    public func map<T>(_ transform: (Int) throws -> T) rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for offset in self { out.append(try transform(offset)) }
        return out
    }

    /// The offsets in order, with no search per row.
    public struct Iterator: IteratorProtocol {
        let pointers: RowPointers
        var row = 0, stored = 0

        public mutating func next() -> Int? {
            guard row < pointers.count else { return nil }
            defer { row += 1 }
            guard let rows = pointers.nonempty else { return pointers.offsets[row] }
            while stored < rows.count && rows[stored] < row { stored += 1 }
            return stored < rows.count ? pointers.offsets[stored] : pointers.total
        }
    }

    /// The rows holding entries, ascending: those of a sparse value, else each row whose end
    /// is past its start.
    func nonemptyRows() -> [Int] {
        if let rows = nonempty { return rows }
        var found: [Int] = []
        for u in 0..<(count - 1) where offsets[u + 1] > offsets[u] { found.append(u) }
        return found
    }

    /// `rows + 1` offsets: row `nonempty[k]` from `starts[k]`, the empty rows between written
    /// a block at a time, at memory speed.
    static func whole(rows: Int, nonempty: [Int], starts: [Int], nnz: Int) -> [Int] {
        [Int](unsafeUninitializedCapacity: rows + 1) { buffer, initialized in
            let p = buffer.baseAddress!
            var next = 0
            for (row, start) in zip(nonempty, starts) {
                fill(p + next, row + 1 - next, with: start)
                next = row + 1
            }
            fill(p + next, rows + 1 - next, with: nnz)
            initialized = rows + 1
        }
    }

    /// Writes `value` to the `count` slots from `p`, copying a doubling block: a long run of
    /// empty rows takes a few `memcpy`s, not a step per row.
    private static func fill(_ p: UnsafeMutablePointer<Int>, _ count: Int, with value: Int) {
        guard count > 0 else { return }
        p.initialize(to: value)
        var done = 1
        while done < count {
            let n = Swift.min(done, count - done)
            UnsafeMutableRawPointer(p + done).copyMemory(from: p, byteCount: n * MemoryLayout<Int>.stride)
            done += n
        }
    }
}

extension RowPointers: Equatable {
    /// Equal when every offset is, however each side stores them.
    public static func == (a: RowPointers, b: RowPointers) -> Bool {
        guard a.count == b.count else { return false }
        if let x = a.nonempty, let y = b.nonempty { return x == y && a.offsets == b.offsets && a.total == b.total }
        if a.nonempty == nil && b.nonempty == nil { return a.offsets == b.offsets }
        return a.elementsEqual(b)
    }

    public static func == (a: RowPointers, b: [Int]) -> Bool { a == RowPointers(b) }
    public static func == (a: [Int], b: RowPointers) -> Bool { RowPointers(a) == b }
}
