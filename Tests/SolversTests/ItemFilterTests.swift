import Foundation
import Matrices
@testable import Solvers
import Testing

/// Candidate and exclusion lists in recommend, against a brute force over `FactorModel.predict`.
@Suite("Recommend with item filters against brute force")
struct ItemFilterTests {
    /// A random model with an item bias, a user bias and a mean.
    func model(users m: Int, items n: Int, k: Int, seed: UInt64) throws -> FactorModel {
        var rng = SplitMix64(seed: seed)
        func draw() -> Double { Double(rng.next() % 2_000_001) / 1_000_000 - 1 }
        let users = DenseMatrix(rows: m, columns: k + 1, storage: (0..<(m * (k + 1))).map { _ in draw() })
        let items = DenseMatrix(rows: n, columns: k, storage: (0..<(n * k)).map { _ in draw() })
        return try FactorModel(users: users, items: items, mean: 0.5, itemBias: (0..<n).map { _ in draw() / 4 }, userBias: true)
    }

    /// A random CSR matrix of m × n with about `perRow` entries per row.
    func sparse(rows m: Int, columns n: Int, perRow: Int, seed: UInt64) -> CSRMatrix {
        var rng = SplitMix64(seed: seed)
        var indptr = [0], indices: [Int32] = []
        for _ in 0..<m {
            let row = Set((0..<perRow).map { _ in Int32(rng.next() % UInt64(n)) }).sorted()
            indices += row
            indptr.append(indices.count)
        }
        return CSRMatrix(rows: m, columns: n, indptr: indptr, indices: indices, values: [Double](repeating: 1, count: indices.count))
    }

    func row(_ m: CSRMatrix?, _ u: Int) -> Set<Int> {
        guard let m, u < m.rows else { return [] }
        return Set(m.indices[m.range(ofRow: u)].map(Int.init))
    }

    /// The top k by predict over the items the filter and the training rows allow.
    func bruteForce(_ model: FactorModel, user u: Int, train: CSRMatrix?, filter: ItemFilter, k: Int) -> [(item: Int, score: Double)] {
        var allowed = Set(filter.candidates ?? Array(0..<model.items.rows)).subtracting(filter.excluded)
        if let userCandidates = filter.userCandidates { allowed.formIntersection(row(userCandidates, u)) }
        allowed.subtract(row(train, u))
        allowed.subtract(row(filter.userExcluded, u))
        let scored = allowed.map { (item: $0, score: model.predict(u, $0)) }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) }.prefix(k))
    }

    func expectMatches(_ model: FactorModel, evaluator: RankingEvaluator, train: CSRMatrix?, filter: ItemFilter, k: Int) {
        let users = Array(0..<model.users.rows)
        let lists = evaluator.recommend(model: model, users: users, train: train, k: k, filter: filter)
        for u in users {
            let expected = bruteForce(model, user: u, train: train, filter: filter, k: k)
            #expect(lists[u].map(\.item) == expected.map(\.item), "user \(u)")
            for (got, want) in zip(lists[u], expected) { #expect(abs(got.score - want.score) <= 1e-12 * Swift.max(1, abs(want.score))) }
        }
    }

    @Test("lists for everyone, per-user lists and training items combine", arguments: [false, true])
    func filters(sampled: Bool) throws {
        let (m, n, k) = (40, 600, 6)
        let model = try model(users: m, items: n, k: k, seed: 7)
        var evaluator = RankingEvaluator(cutoffs: [10])
        evaluator.threads = 3
        evaluator.blockSize = 16
        evaluator.panelSize = 64
        if sampled {
            // The sampled floors and, where the CPU has it, the candidate scan.
            evaluator.samplingMinItems = 100
            evaluator.sampleSize = 128
        }
        let train = sparse(rows: m, columns: n, perRow: 30, seed: 11)
        let candidates = (0..<n).filter { $0 % 3 != 1 }
        let excluded = Array(stride(from: 0, to: n, by: 7))
        let userExcluded = sparse(rows: m, columns: n, perRow: 50, seed: 13)
        let userCandidates = sparse(rows: m - 5, columns: n, perRow: 40, seed: 17)
        let filters = [
            ItemFilter(), ItemFilter(candidates: candidates), ItemFilter(excluded: excluded),
            ItemFilter(candidates: candidates, excluded: excluded, userExcluded: userExcluded),
            ItemFilter(userExcluded: userExcluded),
            ItemFilter(excluded: excluded, userCandidates: userCandidates, userExcluded: userExcluded),
            ItemFilter(candidates: Array(0..<12)),
        ]
        for filter in filters {
            for trainRows in [nil, train] { expectMatches(model, evaluator: evaluator, train: trainRows, filter: filter, k: 10) }
        }
    }

    @Test("the top scores among few candidates; a user whose candidates are all excluded gets none")
    func fewCandidates() throws {
        let model = try model(users: 3, items: 50, k: 4, seed: 3)
        let userCandidates = CSRMatrix(rows: 2, columns: 50, indptr: [0, 2, 3], indices: [5, 9, 9], values: [1, 1, 1])
        let filter = ItemFilter(userCandidates: userCandidates, userExcluded: CSRMatrix(rows: 2, columns: 50, indptr: [0, 0, 1], indices: [9], values: [1]))
        let lists = RankingEvaluator(cutoffs: [5]).recommend(model: model, users: [0, 1, 2], train: nil, k: 5, filter: filter)
        #expect(Set(lists[0].map(\.item)) == [5, 9])
        #expect(lists[1].isEmpty && lists[2].isEmpty)
    }
}
