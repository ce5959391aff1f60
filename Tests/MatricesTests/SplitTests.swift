import Matrices
import Testing

/// A random interactions matrix with timestamps, seeded.
func randomInteractions(users: Int, items: Int, seed: UInt64, withTimes: Bool = true) -> Interactions {
    var rng = SplitMix64(seed: seed)
    var m = CSRMatrix(rows: users, columns: items)
    var times: [Double] = []
    for u in 0..<users {
        let degree = Int(rng.next() % UInt64(items / 2))
        var row = Array(0..<items)
        rng.shuffle(&row)
        for j in row.prefix(degree).sorted() {
            m.indices.append(Int32(j))
            m.values.append(Double(1 + rng.next() % 5))
            times.append(Double(rng.next() % 50))  // few distinct values: ties happen
        }
        m.indptr[u + 1] = m.indices.count
    }
    return Interactions(matrix: m, userIDs: .positional(users), itemIDs: .positional(items), timestamps: withTimes ? times : nil)
}

@Suite("Train/test splits")
struct SplitTests {
    let x = randomInteractions(users: 60, items: 40, seed: 1)

    @Test("parts keep ids, cover every entry once and carry the timestamps")
    func parts() {
        let assignment = x.kFold(3, fold: 1, seed: 2).enumerated().map { UInt8($0.offset % 3) }
        let parts = x.parts(assignment, count: 3)
        #expect(parts.map(\.matrix.nnz).reduce(0, +) == x.matrix.nnz)
        for part in parts {
            #expect(part.userIDs == x.userIDs && part.itemIDs == x.itemIDs)
            #expect(part.timestamps?.count == part.matrix.nnz)
            #expect(part.matrix.hasStrictlyAscendingRows)
        }
        // Entry p of the original is the next entry of its part's row, with its own time.
        var next = [Int](repeating: 0, count: 3)
        for u in 0..<x.userCount {
            for k in 0..<3 { next[k] = parts[k].matrix.indptr[u] }
            for p in x.matrix.range(ofRow: u) {
                let k = Int(assignment[p]), q = next[k]
                #expect(parts[k].matrix.indices[q] == x.matrix.indices[p] && parts[k].timestamps![q] == x.timestamps![p])
                next[k] += 1
            }
        }
    }

    @Test("random holdout: round(f·n) per user, at most n − 1, deterministic for a seed")
    func randomHoldout() {
        let a = x.randomHoldout(fraction: 0.3, seed: 7)
        #expect(a == x.randomHoldout(fraction: 0.3, seed: 7))
        #expect(a != x.randomHoldout(fraction: 0.3, seed: 8))
        for u in 0..<x.userCount {
            let n = x.matrix.degree(ofRow: u)
            let held = x.matrix.range(ofRow: u).filter { a[$0] == 1 }.count
            #expect(held == max(0, min(Int((0.3 * Double(n)).rounded()), n - 1)))
        }
    }

    @Test("leave-last-k: each user's k latest (ties by item order), users with k or fewer kept whole")
    func lastK() throws {
        let a = try x.lastK(2)
        let t = x.timestamps!
        for u in 0..<x.userCount {
            let range = x.matrix.range(ofRow: u)
            let test = range.filter { a[$0] == 1 }, train = range.filter { a[$0] == 0 }
            if range.count <= 2 { #expect(test.isEmpty); continue }
            #expect(test.count == 2)
            // No training entry is later than a test entry, and on equal times the test one comes later.
            for p in train { for q in test { #expect(t[p] < t[q] || (t[p] == t[q] && p < q)) } }
        }
        let hand = Interactions(matrix: CSRMatrix(rows: 1, columns: 4, indptr: [0, 4], indices: [0, 1, 2, 3], values: [1, 1, 1, 1]),
                                userIDs: .positional(1), itemIDs: .positional(4), timestamps: [30, 10, 30, 20])
        #expect(try hand.lastK(1) == [0, 0, 1, 0])
        #expect(try hand.lastK(2) == [1, 0, 1, 0])
        #expect(throws: SplitError.self) { try randomInteractions(users: 3, items: 4, seed: 1, withTimes: false).lastK(1) }
    }

    @Test("global time cut: at or after the cut is test; a fraction picks the matching cut")
    func timeCut() throws {
        let a = try x.timeCut(at: 25)
        for p in 0..<x.matrix.nnz { #expect((a[p] == 1) == (x.timestamps![p] >= 25)) }
        let cut = try x.cutTime(leavingLatest: 0.2)
        let share = Double(x.timestamps!.filter { $0 >= cut }.count) / Double(x.matrix.nnz)
        // Ties at the cut can only add to the test share; one time step holds about 2% of entries.
        #expect(share >= 0.2 - 1e-12 && share < 0.2 + 0.05)
        // The cut is the time at sorted position n − round(0.2·n): fewer entries are before it, more at or before it.
        let trainCount = x.matrix.nnz - Int((0.2 * Double(x.matrix.nnz)).rounded())
        #expect(x.timestamps!.filter { $0 < cut }.count <= trainCount && x.timestamps!.filter { $0 <= cut }.count > trainCount)
    }

    @Test("k-fold: the folds of one seed are disjoint, cover every entry and differ in size by at most one")
    func kFold() {
        var owner = [Int](repeating: -1, count: x.matrix.nnz)
        var sizes: [Int] = []
        for f in 0..<5 {
            let a = x.kFold(5, fold: f, seed: 3)
            sizes.append(a.filter { $0 == 1 }.count)
            for p in a.indices where a[p] == 1 {
                #expect(owner[p] == -1)
                owner[p] = f
            }
        }
        #expect(!owner.contains(-1))
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(x.kFold(5, fold: 0, seed: 3) != x.kFold(5, fold: 0, seed: 4))
    }

    @Test("strong generalization: N users leave training; their entries split into fold-in and test")
    func heldOutUsers() throws {
        let a = try x.heldOutUsers(10, testFraction: 0.2, seed: 4)
        #expect(a == (try x.heldOutUsers(10, testFraction: 0.2, seed: 4)))
        var held = 0
        for u in 0..<x.userCount {
            let parts = Set(x.matrix.range(ofRow: u).map { a[$0] })
            if parts.contains(1) || parts.contains(2) {
                held += 1
                #expect(!parts.contains(0))
                let n = x.matrix.degree(ofRow: u)
                let test = x.matrix.range(ofRow: u).filter { a[$0] == 2 }.count
                #expect(test == max(0, min(Int((0.2 * Double(n)).rounded()), n - 1)))
            }
        }
        #expect(held == 10)
        #expect(throws: SplitError.self) { try x.heldOutUsers(60, testFraction: 0.2, seed: 4) }
    }

    @Test("COO to CSR carries a per-triplet value: the latest time under sum, the last under last")
    func carrying() throws {
        let coo = COOMatrix(rows: 2, columns: 3, rowIndices: [1, 0, 1, 1], columnIndices: [2, 1, 2, 0], values: [1, 2, 3, 4])
        var duplicates = 0
        let summed = try coo.toCSR(duplicates: .sum, duplicateCount: &duplicates, carrying: [50, 10, 40, 30])
        #expect(summed.matrix.values == [2, 4, 4] && summed.carried == [10, 30, 50])
        let last = try coo.toCSR(duplicates: .last, duplicateCount: &duplicates, carrying: [50, 10, 40, 30])
        #expect(last.matrix.values == [2, 4, 3] && last.carried == [10, 30, 40])
    }

    // Long rows (radix sort: two passes, or one under 256 columns) and short rows (quicksort).
    @Test("renumbering columns (the parallel path past 2^20 entries) equals remapping triplets and sorting",
          arguments: [(3000, 900), (3000, 200), (40000, 900)])
    func renumberColumns(rows: Int, columns: Int) throws {
        var rng = SplitMix64(seed: 9)
        var r = [Int32](), c = [Int32](), v = [Double]()
        for t in 0..<1_300_000 { r.append(Int32(rng.next() % UInt64(rows))); c.append(Int32(rng.next() % UInt64(columns))); v.append(Double(t)) }
        var duplicates = 0
        let (csr, times) = try COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
            .toCSR(duplicates: .last, duplicateCount: &duplicates, carrying: v.map { -$0 })
        var target = (0..<columns).map(Int32.init)
        rng.shuffle(&target)
        let (renumbered, carried) = csr.renumberingColumns(target, columns: columns, carrying: times)
        var coo = csr.toCOO()
        coo.columnIndices = coo.columnIndices.map { target[Int($0)] }
        let (expected, expectedTimes) = try coo.toCSR(duplicates: .error, duplicateCount: &duplicates, carrying: times)
        #expect(renumbered == expected && carried == expectedTimes)
    }
}
