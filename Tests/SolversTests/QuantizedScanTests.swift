import Matrices
@testable import Solvers
import Testing

@Suite("Ranking through the 8-bit candidate scan")
struct QuantizedScanTests {
    /// Integer factors and biases, so every score is exact in any order and precision, and some
    /// item rows repeat (exact ties, broken by item number). Scales differ between users and
    /// items, so rounding to bytes loses information.
    func integerModel(users m: Int, items n: Int, k: Int, itemBias: Bool, userBias: Bool, seed: UInt64) throws -> FactorModel {
        var rng = SplitMix64(seed: seed)
        func int(_ range: Int) -> Double { Double(Int(rng.next() % UInt64(2 * range + 1)) - range) }
        var items = (0..<(n * k)).map { _ in int(9) }
        for i in stride(from: 5, to: n, by: 7) { for c in 0..<k { items[i * k + c] = items[(i - 5) * k + c] } }
        let w = k + (userBias ? 1 : 0)
        return try FactorModel(users: DenseMatrix(rows: m, columns: w, storage: (0..<(m * w)).map { _ in int(3) }),
                               items: DenseMatrix(rows: n, columns: k, storage: items), mean: 0.5,
                               itemBias: itemBias ? (0..<n).map { i in i % 7 == 5 ? 0 : int(20) } : nil, userBias: userBias)
    }

    func evaluator(scan: Bool, single: Bool, rank: Int? = nil, capacity: Int? = nil) -> RankingEvaluator {
        var evaluator = RankingEvaluator(cutoffs: [20])
        evaluator.threads = 2
        evaluator.blockSize = 29   // not a multiple of the kernel's 12-user tiles
        evaluator.samplingMinItems = 0
        evaluator.sampleSize = 128
        evaluator.sampleRank = rank
        evaluator.candidateScan = scan
        evaluator.scanCapacity = capacity
        evaluator.precision = single ? .single : .double
        return evaluator
    }

    func brute(_ model: FactorModel, user u: Int, train: CSRMatrix, k: Int) -> [(item: Int, score: Double)] {
        let known = Set(train.range(ofRow: u).map { Int(train.indices[$0]) })
        var pairs: [(item: Int, score: Double)] = []
        for i in 0..<model.items.rows where !known.contains(i) { pairs.append((i, model.predict(u, i))) }
        pairs.sort { a, b in a.score > b.score || (a.score == b.score && a.item < b.item) }
        return Array(pairs.prefix(k))
    }

    @Test("top-K lists and scores equal a brute-force ranking: exact ties, biases, training items, both precisions, a floor too high, overflowing candidates",
          arguments: [(false, false, false, nil, nil), (true, false, false, nil, nil), (false, true, true, nil, nil),
                      (true, true, false, nil, nil), (false, true, false, 1, nil), (true, false, true, nil, 3)] as [(Bool, Bool, Bool, Int?, Int?)])
    func matchesBruteForce(single: Bool, itemBias: Bool, userBias: Bool, rank: Int?, capacity: Int?) throws {
        let (R, _) = syntheticProblem(users: 90, items: 700, k: 3, density: 0.05, seed: 4)
        let model = try integerModel(users: 90, items: 700, k: 10, itemBias: itemBias, userBias: userBias, seed: 11)
        let chosen = Array(0..<90)
        let lists = evaluator(scan: true, single: single, rank: rank, capacity: capacity).recommend(model: model, users: chosen, train: R, k: 20)
        for (u, list) in zip(chosen, lists) {
            let expected = brute(model, user: u, train: R, k: 20)
            #expect(list.map(\.item) == expected.map(\.item), "user \(u)")
            #expect(list.map(\.score) == expected.map(\.score), "user \(u)")
        }
    }

    @Test("normal factors: the scan and the full scoring give the same lists")
    func agreesWithPanels() throws {
        let (R, V) = syntheticProblem(users: 200, items: 1500, k: 16, density: 0.03, seed: 6)
        var rng = SplitMix64(seed: 8)
        let model = try FactorModel(users: DenseMatrix(rows: 200, columns: 16, storage: (0..<3200).map { _ in rng.normal() }), items: V,
                                    itemBias: (0..<1500).map { _ in 0.3 * rng.normal() })
        for single in [false, true] {
            let users = Array(0..<200)
            let scanned = evaluator(scan: true, single: single).recommend(model: model, users: users, train: R, k: 50)
            let scored = evaluator(scan: false, single: single).recommend(model: model, users: users, train: R, k: 50)
            for u in users {
                #expect(scanned[u].map(\.item) == scored[u].map(\.item), "user \(u), single \(single)")
                for (a, b) in zip(scanned[u], scored[u]) { #expect(abs(a.score - b.score) <= (single ? 1e-5 : 1e-12) * Swift.max(1, abs(b.score))) }
            }
        }
    }

    @Test("the VNNI kernel finds the same candidates as the portable one")
    func kernelVariants() throws {
        guard NativeKernels.hasFastQuantizedScan else { return }
        var rng = SplitMix64(seed: 3)
        let (k4, users, groups, cap) = (5, 27, 10, 60)
        let x = (0..<(users * k4 * 4)).map { _ in Int8(Int(rng.next() % 255) - 127) }
        let packed = (0..<(groups * k4 * 64)).map { _ in UInt8(rng.next() % 256) }
        let thresholds = (0..<users).map { r in Int32(r * 2000 - 20000) }   // from nearly all items to none
        var lists: [[Int32]] = []
        var totals: [[Int32]] = []
        for fast in [false, true] {
            var candidates = [Int32](repeating: -1, count: users * (cap + 16))
            var counts = [Int32](repeating: 0, count: users)
            NativeKernels.quantizedCandidates(fast: fast, k4: k4, users: users, x: x, packed: packed, groups: 2..<groups, thresholds: thresholds,
                                              candidates: &candidates, stride: cap + 16, cap: cap, counts: &counts)
            var list: [Int32] = []
            for r in 0..<users {
                let start = r * (cap + 16)
                list += candidates[start..<(start + Swift.min(cap, Int(counts[r])))]
            }
            lists.append(list)
            totals.append(counts)
        }
        #expect(lists[0] == lists[1])
        #expect(totals[0] == totals[1])
        // The portable variant against sums computed here, for user 13.
        var reaching = 0
        for i in 32..<(16 * groups) {
            let (g, lane) = (i / 16, i % 16)
            var sum: Int32 = 0
            for j in 0..<(k4 * 4) {
                let byte = Int32(packed[(g * k4 + j / 4) * 64 + lane * 4 + j % 4])
                sum += byte * Int32(x[13 * k4 * 4 + j])
            }
            if sum >= thresholds[13] { reaching += 1 }
        }
        #expect(Int(totals[0][13]) == reaching)
        #expect(totals[0].contains { $0 > Int32(cap) } && totals[0].contains { $0 == 0 })
    }

    @Test("selecting and sorting the best pairs: score descending, ties by item")
    func sortedBest() {
        var rng = SplitMix64(seed: 12)
        for count in [0, 1, 17, 300] {
            var scores = (0..<count).map { _ in Double(rng.next() % 40) }
            var items = (0..<count).map { Int32($0 * 7 % 1009) }
            var pairs: [(score: Double, item: Int32)] = Array(zip(scores, items))
            pairs.sort { a, b in a.score > b.score || (a.score == b.score && a.item < b.item) }
            let expected = pairs.prefix(25)
            let best = NativeKernels.sortedBest(scores: &scores, items: &items, count: count, k: 25)
            #expect(best == Swift.min(25, count))
            #expect(Array(scores.prefix(best)) == expected.map(\.score))
            #expect(Array(items.prefix(best)) == expected.map(\.item))
        }
    }
}
