/// Why a split cannot be made from these interactions.
public struct SplitError: Error, Equatable, CustomStringConvertible {
    /// What is missing or out of range.
    public let message: String
    public var description: String { message }
}

/// Train/test splits of interactions, all deterministic for a seed. Each returns an assignment
/// of every stored entry (in CSR order) to a part; ``Interactions/parts(_:count:)`` makes the
/// files, which keep every user and item id so factors solved on one part align with another.
extension Interactions {
    /// The interactions divided into `count` parts by `assignment` (one part number per entry);
    /// every part keeps all ids and carries the timestamps of its entries.
    public func parts(_ assignment: [UInt8], count: Int) -> [Interactions] {
        precondition(assignment.count == matrix.nnz)
        var matrices = (0..<count).map { _ in CSRMatrix(rows: matrix.rows, columns: matrix.columns) }
        var times: [[Double]] = Array(repeating: [], count: count)
        // Each part's nonempty rows and where they start: rows without entries cost nothing.
        var nonempty: [[Int]] = Array(repeating: [], count: count), starts: [[Int]] = Array(repeating: [], count: count)
        for u in matrix.nonemptyRows() {
            for p in matrix.range(ofRow: u) {
                let k = Int(assignment[p])
                if nonempty[k].last != u {
                    nonempty[k].append(u)
                    starts[k].append(matrices[k].indices.count)
                }
                matrices[k].indices.append(matrix.indices[p])
                matrices[k].values.append(matrix.values[p])
                if let timestamps { times[k].append(timestamps[p]) }
            }
        }
        for k in 0..<count {
            matrices[k].indptr = RowPointers(rows: matrix.rows, nonempty: nonempty[k], starts: starts[k], nnz: matrices[k].nnz)
        }
        return (0..<count).map { k in
            Interactions(matrix: matrices[k], userIDs: userIDs, itemIDs: itemIDs, timestamps: timestamps == nil ? nil : times[k])
        }
    }

    /// Random per-user holdout: round(`fraction` · n_u) of each user's entries, chosen uniformly,
    /// go to part 1 — at most n_u − 1, so a user keeps a training entry. Only the users marked in
    /// `among` (all when nil) are split; the others stay in part 0.
    public func randomHoldout(fraction: Double, seed: UInt64, among: [Bool]? = nil) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var assignment = [UInt8](repeating: 0, count: matrix.nnz)
        var positions: [Int] = []
        for u in matrix.nonemptyRows() where among?[u] ?? true {
            let range = matrix.range(ofRow: u)
            let n = range.count
            let held = Swift.min(Int((fraction * Double(n)).rounded()), n - 1)
            guard held > 0 else { continue }
            positions = Array(range)
            // Partial Fisher–Yates: the first `held` positions are a uniform sample.
            for i in 0..<held {
                let j = i + Int(rng.next() % UInt64(n - i))
                positions.swapAt(i, j)
                assignment[positions[i]] = 1
            }
        }
        return assignment
    }

    /// Leave-last-k-out: each user's `k` latest entries (ties broken by item order) go to part 1;
    /// users with k or fewer entries stay whole in part 0.
    public func lastK(_ k: Int) throws(SplitError) -> [UInt8] {
        let t = try requireTimestamps("leave-last-k-out")
        var assignment = [UInt8](repeating: 0, count: matrix.nnz)
        for u in matrix.nonemptyRows() {
            let range = matrix.range(ofRow: u)
            guard range.count > k else { continue }
            let latest = range.sorted { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 }.suffix(k)
            for p in latest { assignment[p] = 1 }
        }
        return assignment
    }

    /// Global time cut: entries at or after `cut` go to part 1.
    public func timeCut(at cut: Double) throws(SplitError) -> [UInt8] {
        try requireTimestamps("a time cut").map { $0 >= cut ? 1 : 0 }
    }

    /// The time at which a global cut leaves the latest `fraction` of all entries (up to ties)
    /// in the test part.
    public func cutTime(leavingLatest fraction: Double) throws(SplitError) -> Double {
        let t = try requireTimestamps("a time cut").sorted()
        guard !t.isEmpty else { throw SplitError(message: "no interactions to cut") }
        let first = Swift.min(Swift.max(Int((Double(t.count) * (1 - fraction)).rounded()), 0), t.count - 1)
        return t[first]
    }

    /// K-fold: the entries in a seeded random order are dealt round-robin to `folds` folds;
    /// fold `fold` is part 1. The folds of one seed are disjoint and cover every entry.
    public func kFold(_ folds: Int, fold: Int, seed: UInt64) -> [UInt8] {
        precondition(folds >= 2 && fold >= 0 && fold < folds)
        var order = Array(0..<matrix.nnz)
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&order)
        var assignment = [UInt8](repeating: 0, count: matrix.nnz)
        for (q, p) in order.enumerated() where q % folds == fold { assignment[p] = 1 }
        return assignment
    }

    /// Strong generalization (Liang et al. 2018): `count` users drawn at random among those with
    /// interactions are held out; their entries split by ``randomHoldout(fraction:seed:among:)``
    /// into fold-in (part 1) and test (part 2); every other entry is training (part 0).
    public func heldOutUsers(_ count: Int, testFraction: Double, seed: UInt64) throws(SplitError) -> [UInt8] {
        var candidates = matrix.nonemptyRows()
        guard count < candidates.count else {
            throw SplitError(message: "cannot hold out \(count) users: only \(candidates.count) users have interactions and some must remain for training")
        }
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&candidates)
        var held = [Bool](repeating: false, count: matrix.rows)
        for u in candidates.prefix(count) { held[u] = true }
        var assignment = randomHoldout(fraction: testFraction, seed: seed &+ 1, among: held)
        for u in matrix.nonemptyRows() {
            for p in matrix.range(ofRow: u) {
                assignment[p] = held[u] ? assignment[p] + 1 : 0
            }
        }
        return assignment
    }

    private func requireTimestamps(_ what: String) throws(SplitError) -> [Double] {
        guard let timestamps else {
            throw SplitError(message: "\(what) needs timestamps, and these interactions have none (read text with --time-col, or convert with it first)")
        }
        return timestamps
    }
}
