import Dispatch
import Foundation
import Matrices

/// A fitted model's prediction terms: r̂_ui = μ + b_i + x_u·v_i (+ the user bias, as the last
/// factor component against a column of ones).
public struct FactorModel: Sendable {
    /// Users, m × w (w = k, or k + 1 with the user-bias column), in the precision they were read in.
    public var users: FactorMatrix
    /// Items as given, n × k, in the precision they were read in.
    public var items: FactorMatrix
    public var mean: Double
    public var itemBias: [Double]?
    /// Whether `users` has a trailing bias column.
    public var userBias: Bool

    public init(users: FactorMatrix, items: FactorMatrix, mean: Double = 0, itemBias: [Double]? = nil, userBias: Bool = false) throws(SolverError) {
        guard users.columns == items.columns + (userBias ? 1 : 0) else {
            throw .shapeMismatch("user factors have \(users.columns) columns, items \(items.columns)\(userBias ? " (+1 for the user bias)" : "")")
        }
        if let itemBias, itemBias.count != items.rows { throw .shapeMismatch("the item bias has \(itemBias.count) entries for \(items.rows) items") }
        self.users = users
        self.items = items
        self.mean = mean
        self.itemBias = itemBias
        self.userBias = userBias
    }

    public init(users: DenseMatrix<Double>, items: DenseMatrix<Double>, mean: Double = 0, itemBias: [Double]? = nil, userBias: Bool = false) throws(SolverError) {
        try self.init(users: .double(users), items: .double(items), mean: mean, itemBias: itemBias, userBias: userBias)
    }

    /// The predicted value for user u, item i, in Float64 whatever the factors' precision.
    @inlinable
    public func predict(_ u: Int, _ i: Int) -> Double {
        let k = items.columns
        var s = mean + (itemBias?[i] ?? 0) + (userBias ? users[u, k] : 0)
        for c in 0..<k { s += users[u, c] * items[i, c] }
        return s
    }
}

/// Rating-prediction errors over the stored test entries.
public struct RatingMetrics: Sendable, Equatable {
    public var rmse: Double
    public var mae: Double
    public var count: Int

    public init(model: FactorModel, test: CSRMatrix) {
        self.init(Self.totals(model: model, test: test))
    }

    /// The metrics of summed errors.
    public init(_ totals: RatingTotals) {
        rmse = totals.rmse
        mae = totals.mae
        count = totals.count
    }

    /// The exact sums of the squared and absolute errors over the test entries.
    public static func totals(model: FactorModel, test: CSRMatrix) -> RatingTotals {
        switch (model.users, model.items) {
        case let (.double(x), .double(v)): totals(model: model, users: x, items: v, test: test)
        case let (.double(x), .single(v)): totals(model: model, users: x, items: v, test: test)
        case let (.single(x), .double(v)): totals(model: model, users: x, items: v, test: test)
        case let (.single(x), .single(v)): totals(model: model, users: x, items: v, test: test)
        }
    }

    /// The sums over the test entries, every product in Float64 (Float32 entries convert exactly).
    private static func totals<U: BinaryFloatingPoint, V: BinaryFloatingPoint>(model: FactorModel, users: DenseMatrix<U>, items: DenseMatrix<V>,
                                                                              test: CSRMatrix) -> RatingTotals {
        var squared = ExactSum(), absolute = ExactSum()
        let k = items.columns, w = users.columns
        users.storage.withUnsafeBufferPointer { up in
            items.storage.withUnsafeBufferPointer { vp in
                for u in 0..<Swift.min(test.rows, users.rows) {
                    let x = up.baseAddress! + u * w
                    let base = model.mean + (model.userBias ? Double(x[k]) : 0)
                    for p in test.range(ofRow: u) {
                        let i = Int(test.indices[p])
                        let v = vp.baseAddress! + i * k
                        // Four partial sums: independent chains instead of one long one.
                        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
                        var c = 0
                        while c + 4 <= k {
                            s0 += Double(x[c]) * Double(v[c]); s1 += Double(x[c + 1]) * Double(v[c + 1])
                            s2 += Double(x[c + 2]) * Double(v[c + 2]); s3 += Double(x[c + 3]) * Double(v[c + 3])
                            c += 4
                        }
                        while c < k { s0 += Double(x[c]) * Double(v[c]); c += 1 }
                        let e = test.values[p] - (base + (model.itemBias?[i] ?? 0) + ((s0 + s1) + (s2 + s3)))
                        squared.add(e * e)
                        absolute.add(abs(e))
                    }
                }
            }
        }
        return RatingTotals(squaredError: squared, absoluteError: absolute, count: test.nnz)
    }
}

/// A user's test items, a row of a canonical CSR matrix (ascending): membership by binary
/// search, without building a hash set per user.
struct SortedItems {
    let items: ArraySlice<Int32>

    func contains(_ item: Int) -> Bool {
        var (lo, hi) = (items.startIndex, items.endIndex)
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(items[mid]) < item { lo = mid + 1 } else { hi = mid }
        }
        return lo < items.endIndex && Int(items[lo]) == item
    }
}

/// Top-K ranking metrics averaged over the users that have test items.
public struct RankingMetrics: Sendable, Equatable {
    /// K → metric name → mean value: precision, recall, ndcg, map, mrr, hit_rate, coverage.
    public var values: [Int: [String: Double]]
    /// Mean per-user AUC, when requested.
    public var auc: Double?
    /// Users with at least one test item (the denominator).
    public var usersEvaluated: Int
}

/// Scores users against every item in blocks (one GEMM per block, never an m × n matrix),
/// excludes training items, selects the top K partially, and accumulates the metrics.
public struct RankingEvaluator: Sendable {
    public var cutoffs: [Int]
    public var computeAUC = false
    /// The memory a ranking's working memory may take; refused by name past it.
    public var memory: MemoryLimit = .system
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var blockSize = 512
    /// Called with the users ranked so far (see ``ProgressHandler``); it does not change the
    /// rankings.
    public var progress: ProgressHandler? = nil
    /// Precision of the scores the ranking is made from: double (default) or single (the GEMM
    /// in Float32, faster; rankings differ only where scores tie to ~1e-7).
    public var precision: RidgeSolver.Precision = .double
    /// Items scored per GEMM (a panel's scores for a block of users stay in cache); blocks of
    /// 512 users × panels of 512 items are a shape single-threaded OpenBLAS runs fast
    /// (`tools/dense_kernel_bench.sh` prints the rates of the candidate shapes).
    var panelSize = 512
    /// Items in the sample that sets each user's score floor (see forEachRanked).
    var sampleSize = 2048
    /// Catalogues smaller than this are ranked without a sample.
    var samplingMinItems = 8192
    /// The sample rank taken as the floor (nil: chosen so that about 2K items pass it).
    var sampleRank: Int? = nil
    /// Whether sampled catalogues find each user's candidates with the 8-bit scan of
    /// `QuantizedScan` instead of scoring every item in the ranking's precision (nil: when this
    /// CPU has a fast kernel for it). The result is the same either way.
    var candidateScan: Bool? = nil
    /// Candidates the scan keeps per user before it gives up on the user (nil: its default).
    var scanCapacity: Int? = nil

    public init(cutoffs: [Int]) { self.cutoffs = cutoffs.sorted() }

    public func evaluate(model: FactorModel, test: CSRMatrix, train: CSRMatrix?) -> RankingMetrics {
        totals(model: model, test: test, train: train).metrics
    }

    /// The exact per-user sums of the metrics over the users with test items, the items any
    /// top-K list held, and the users counted: the same for any order or grouping of the users.
    public func totals(model: FactorModel, test: CSRMatrix, train: CSRMatrix?) -> RankingTotals {
        let n = model.items.rows
        let maxThreads = Swift.max(1, threads)
        var totals = [RankingTotals](repeating: RankingTotals(cutoffs: cutoffs, items: n, auc: computeAUC), count: maxThreads)
        var recommended = [[Bool]](repeating: [Bool](repeating: false, count: n * cutoffs.count), count: maxThreads)
        let users = (0..<test.rows).filter { test.degree(ofRow: $0) > 0 }
        totals.withUnsafeMutableBufferPointer { tp in
            recommended.withUnsafeMutableBufferPointer { rp in
                let out = UnsafeSendable((tp.baseAddress!, rp.baseAddress!, self, test))
                _ = forEachRanked(model: model, users: users, train: train, k: cutoffs.last ?? 10) { t, u, ranked in
                    let (totals, recommended, evaluator, test) = out.value
                    let isTest = SortedItems(items: test.indices[test.range(ofRow: u)])
                    evaluator.accumulate(ranked: ranked.map(\.item), isTest: isTest, testCount: test.degree(ofRow: u),
                                         totals: totals + t, recommended: recommended + t, n: n)
                    if evaluator.computeAUC {
                        let scores = RankingEvaluator.scoreRow(model: model, user: u, train: train)
                        totals[t].auc!.add(scores.withUnsafeBufferPointer { RankingEvaluator.auc(scores: $0, isTest: isTest) })
                    }
                }
            }
        }
        var merged = totals[0]
        for other in totals.dropFirst() { merged.merge(other) }
        for c in cutoffs.indices {
            merged.recommended[c] = (0..<n).filter { i in recommended.contains { $0[c * n + i] } }
        }
        return merged
    }

    /// The top `k` items and scores of each user in `users`, training items excluded.
    public func recommend(model: FactorModel, users: [Int], train: CSRMatrix?, k: Int) -> [[(item: Int, score: Double)]] {
        var lists = [[(item: Int, score: Double)]](repeating: [], count: model.users.rows)
        lists.withUnsafeMutableBufferPointer { lp in
            let out = UnsafeSendable(lp.baseAddress!)
            _ = forEachRanked(model: model, users: users, train: train, k: k) { _, u, ranked in
                out.value[u] = ranked
            }
        }
        return users.map { lists[$0] }
    }

    func accumulate(ranked: [Int], isTest: SortedItems, testCount: Int, totals: UnsafeMutablePointer<RankingTotals>,
                    recommended: UnsafeMutablePointer<[Bool]>, n: Int) {
        for (ci, k) in cutoffs.enumerated() {
            var hits = 0, dcg = 0.0, ap = 0.0, rr = 0.0
            for (r, item) in ranked.prefix(k).enumerated() {
                recommended.pointee[ci * n + item] = true
                guard isTest.contains(item) else { continue }
                hits += 1
                dcg += 1 / log2(Double(r + 2))
                ap += Double(hits) / Double(r + 1)
                if rr == 0 { rr = 1 / Double(r + 1) }
            }
            let ideal = Swift.min(k, testCount)
            var idcg = 0.0
            for r in 0..<ideal { idcg += 1 / log2(Double(r + 2)) }
            // In the order of RankingTotals.names.
            let terms = [Double(hits) / Double(k), Double(hits) / Double(ideal), idcg > 0 ? dcg / idcg : 0,
                         ap / Double(ideal), rr, hits > 0 ? 1 : 0]
            for (m, term) in terms.enumerated() { totals.pointee.sums[ci][m].add(term) }
        }
        totals.pointee.usersEvaluated += 1
    }

    /// The fraction of (test item, other candidate item) pairs ordered correctly; ties count ½.
    static func auc(scores: UnsafeBufferPointer<Double>, isTest: SortedItems) -> Double {
        var positives: [Double] = [], negatives: [Double] = []
        for i in scores.indices where scores[i] > -.infinity {
            if isTest.contains(i) { positives.append(scores[i]) } else { negatives.append(scores[i]) }
        }
        guard !positives.isEmpty, !negatives.isEmpty else { return 0.5 }
        negatives.sort()
        var correct = 0.0
        for s in positives {
            // negatives strictly below s, plus half of the ties
            var lo = 0, hi = negatives.count
            while lo < hi { let mid = (lo + hi) / 2; if negatives[mid] < s { lo = mid + 1 } else { hi = mid } }
            var tieEnd = lo
            while tieEnd < negatives.count && negatives[tieEnd] == s { tieEnd += 1 }
            correct += Double(lo) + 0.5 * Double(tieEnd - lo)
        }
        return correct / (Double(positives.count) * Double(negatives.count))
    }
}

/// The K best (item, score) pairs seen, by score descending, ties by item ascending: kept sorted,
/// best first, so an offer is a vectorized count of the better pairs and a shift (the C kernel
/// `NativeKernels.topKInsert`), and the worst kept score is the last.
struct TopK {
    let capacity: Int
    private(set) var count = 0
    private var items: [Int]
    private var scores: [Double]

    init(capacity: Int) {
        self.capacity = Swift.max(0, capacity)
        items = [Int](repeating: 0, count: self.capacity)
        scores = [Double](repeating: 0, count: self.capacity)
    }

    mutating func reset() { count = 0 }

    /// Replaces the kept pairs with up to `capacity` pairs already sorted best first.
    mutating func assignSorted(scores: UnsafePointer<Double>, items: UnsafePointer<Int32>, count: Int) {
        self.count = Swift.min(count, capacity)
        for t in 0..<self.count {
            self.items[t] = Int(items[t])
            self.scores[t] = scores[t]
        }
    }

    /// Whether (a, sa) ranks above (b, sb).
    @inline(__always) static func better(_ a: Int, _ sa: Double, _ b: Int, _ sb: Double) -> Bool { sa > sb || (sa == sb && a < b) }

    /// The worst kept score; only meaningful when `count` > 0.
    var worstScore: Double { scores[count - 1] }

    mutating func offer(_ item: Int, _ score: Double) {
        withStorage { $0.offer(item, score) }
    }

    /// Runs `body` on the kept pairs through pointers (one uniqueness check for many offers).
    mutating func withStorage<R>(_ body: (inout Storage) -> R) -> R {
        let capacity = capacity
        var n = count
        let result = items.withUnsafeMutableBufferPointer { ip in
            scores.withUnsafeMutableBufferPointer { sp in
                var storage = Storage(items: ip.baseAddress, scores: sp.baseAddress, count: n, capacity: capacity)
                defer { n = storage.count }
                return body(&storage)
            }
        }
        count = n
        return result
    }

    /// The kept pairs as pointers.
    struct Storage {
        let items: UnsafeMutablePointer<Int>?
        let scores: UnsafeMutablePointer<Double>?
        var count: Int
        let capacity: Int
        let variant = NativeKernelVariant.best

        var worstScore: Double { scores![count - 1] }

        @inline(__always)
        mutating func offer(_ item: Int, _ score: Double) {
            guard capacity > 0, let items, let scores else { return }
            count = items.withMemoryRebound(to: Int64.self, capacity: capacity) {
                NativeKernels.topKInsert(variant, scores: scores, items: $0, count: count, capacity: capacity, score: score, item: Int64(item))
            }
        }
    }

    /// The kept items, best first.
    func sorted() -> [Int] { Array(items[0..<count]) }

    /// The kept items and their scores (plus `offset`), best first.
    func sortedPairs(offset: Double = 0) -> [(item: Int, score: Double)] {
        (0..<count).map { (items[$0], scores[$0] + offset) }
    }
}
