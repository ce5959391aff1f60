import Matrices
import Testing

@Suite("Row alignment to a factor file's users")
struct AlignmentTests {
    /// Users with ids "0"…"29", as a file carrying them stores them (not positions).
    let x: Interactions = {
        var x = randomInteractions(users: 30, items: 20, seed: 4)
        x.userIDs = x.userIDs.markedPositional(false)
        return x
    }()

    /// `data`'s rows renumbered to `users` by id, and the users `users` lacks.
    func aligned(_ data: Interactions, to users: IDMap) throws -> (CSRMatrix, Int) {
        let sides = IDAlignment.Sides(entity: "user", source: "the interactions", target: "the factors")
        let alignment = try IDAlignment.align(data.userIDs, to: users, sides, allowNoOverlap: true)
        return (data.rows(alignment), alignment.unknown)
    }

    /// Row u of `a` equals row r of `b` (columns and values).
    func sameRow(_ a: CSRMatrix, _ u: Int, _ b: CSRMatrix, _ r: Int) -> Bool {
        Array(a.range(ofRow: u).map { a.indices[$0] }) == Array(b.range(ofRow: r).map { b.indices[$0] })
            && Array(a.range(ofRow: u).map { a.values[$0] }) == Array(b.range(ofRow: r).map { b.values[$0] })
    }

    @Test("placingRows: each kept row lands on its target, dropped rows vanish, untargeted rows are empty")
    func placing() throws {
        var rng = SplitMix64(seed: 9)
        let rows = x.matrix.rows + 7
        var free = Array(0..<rows).shuffled(using: &rng)
        let targets = (0..<x.matrix.rows).map { r in r % 4 == 3 ? -1 : free.removeLast() }
        let placed = x.matrix.placingRows(at: targets, rows: rows)
        #expect(placed.rows == rows && placed.columns == x.matrix.columns)
        for (r, t) in targets.enumerated() where t >= 0 { #expect(sameRow(placed, t, x.matrix, r), "row \(r)") }
        let kept = targets.enumerated().filter { $0.element >= 0 }.map { x.matrix.degree(ofRow: $0.offset) }.reduce(0, +)
        #expect(placed.nnz == kept)
        #expect(Set(targets.filter { $0 >= 0 }).union(free.filter { placed.degree(ofRow: $0) == 0 }).count == rows)
    }

    @Test("the file's own users: the matrix unchanged")
    func identity() throws {
        let (aligned, unknown) = try aligned(x, to: x.userIDs)
        #expect(aligned == x.matrix && unknown == 0)
    }

    @Test("users reversed, one missing, one extra: rows move, the missing one is counted, the extra one is empty")
    func permuted() throws {
        var ids = Array(x.userIDs.ids.reversed().dropLast())   // user "0" has no factors
        ids.append("new")
        let (aligned, unknown) = try aligned(x, to: try IDMap(ids))
        #expect(unknown == 1)
        #expect(aligned.rows == ids.count && aligned.degree(ofRow: ids.count - 1) == 0)
        for (r, id) in ids.dropLast().enumerated() {
            #expect(sameRow(aligned, r, x.matrix, Int(id)!), "user \(id)")
        }
    }

    @Test("ids equal only up to Unicode equivalence are different users")
    func bytewise() throws {
        let composed = try IDMap(["\u{E9}", "b"])      // é as one scalar
        let decomposed = try IDMap(["e\u{301}", "b"])  // e + combining acute
        var m = CSRMatrix(rows: 2, columns: 1)
        m.indices = [0]
        m.values = [5]
        m.indptr = [0, 1, 1]
        let data = Interactions(matrix: m, userIDs: composed, itemIDs: .positional(1))
        let (aligned, unknown) = try aligned(data, to: decomposed)
        #expect(unknown == 1 && aligned.nnz == 0)
    }

    @Test("rows aligned to another user order: renumbered, unknown users counted, missing users empty")
    func renumbered() throws {
        let m = CSRMatrix(rows: 3, columns: 2, indptr: [0, 1, 3, 4], indices: [1, 0, 1, 0], values: [1, 2, 3, 4])
        let x = Interactions(matrix: m, userIDs: try IDMap(["a", "b", "c"]), itemIDs: .positional(2))
        let (rows, unknown) = try aligned(x, to: try IDMap(["c", "z", "a"]))
        #expect(unknown == 1)  // b
        #expect(rows.indptr == [0, 1, 1, 2] && rows.indices == [0, 1] && rows.values == [4, 1])
    }
}
