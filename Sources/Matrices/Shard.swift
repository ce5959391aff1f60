/// One of `count` contiguous row ranges that a sharded command works on: shard `index` of a
/// job array. Every task computes every range from the matrix's row pointers alone, so the
/// tasks of an array need no coordination and their parts tile the rows exactly.
public struct Shard: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 0-based: 0 ..< count.
    public let index: Int
    public let count: Int

    /// Nil unless 0 ≤ index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// `I/N`, as on the command line.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The index, zero-padded to the width of the largest index: parts then sort by name.
    public var paddedIndex: String {
        let width = String(count - 1).count
        let digits = String(index)
        return String(repeating: "0", count: width - digits.count) + digits
    }

    /// This shard's rows of a matrix with `rows` rows and `nnz` stored entries, whose row
    /// pointer `pointer(r)` (0 ≤ r ≤ rows) is read on demand. The rows are cut so that every
    /// shard holds about the same stored entries plus one per row (a user without entries
    /// still costs a solve): boundary s is the first row r with pointer(r) + r ≥
    /// ⌈s · (nnz + rows) / count⌉, found by binary search, so a task reads about 2·log₂(rows)
    /// pointers. Shards past the rows are empty.
    public func rows<E: Error>(of rows: Int, nnz: Int, pointer: (Int) throws(E) -> Int) throws(E) -> Range<Int> {
        let start = try boundary(index, rows: rows, nnz: nnz, pointer: pointer)
        let end = try boundary(index + 1, rows: rows, nnz: nnz, pointer: pointer)
        return start..<end
    }

    /// Boundary `s` of the cut (see ``rows(of:nnz:pointer:)``): 0 for s = 0, `rows` for s = count.
    func boundary<E: Error>(_ s: Int, rows: Int, nnz: Int, pointer: (Int) throws(E) -> Int) throws(E) -> Int {
        if s == 0 { return 0 }
        if s == count { return rows }
        let total = Int128(nnz) + Int128(rows)
        let target = (Int128(s) * total + Int128(count - 1)) / Int128(count)
        var (low, high) = (0, rows)
        while low < high {
            let mid = low + (high - low) / 2
            if Int128(try pointer(mid)) + Int128(mid) >= target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// `path` with every `{shard}` replaced by ``paddedIndex``.
    public func expand(_ path: String) -> String {
        path.replacing("{shard}", with: paddedIndex)
    }
}
