import Matrices

/// What every thread of one ranking (`RankingEvaluator.forEachRanked`) reads: the users, the
/// items as rows of S with a ones column against the user bias (n × w, at `itemMatrix`), the
/// panels' visiting order, and the item sample whose scores set each user's floor.
struct RankingPlan<S: LinearAlgebraScalar> {
    let model: FactorModel
    let users: [Int]
    let train: CSRMatrix?
    /// Items, the row length of users and items, the list length K, and users per block.
    let n: Int, w: Int, k: Int, blockSize: Int
    let itemMatrix: UnsafePointer<S>
    let itemBias: [S]?
    /// Items per panel, and the panels in visiting order (odd visits scanned backwards).
    let panel: Int, order: [Int]
    /// Sampled items (0: no sample), and the rank within the sample taken as a user's floor.
    let sampleCount: Int, rank: Int
    /// The sampled items' rows (sampleCount × w), each item's position in the sample (−1: not
    /// sampled), and the sampled items' biases.
    let sampleMatrix: UnsafePointer<S>
    let samplePosition: [Int32]
    let sampleBias: [S]?
    /// The items as bytes for the candidate scan (nil: score every panel).
    let quantized: QuantizedItems?
    let scanCapacity: Int?
}

/// One thread's buffers for ranking blocks of users: the block's user rows, the scores of a
/// panel and of the sample, each user's floor and top-K list, and the candidate scan's buffers.
struct RankingWorkspace<S: LinearAlgebraScalar> {
    let plan: RankingPlan<S>
    /// The block's user rows (blockSize × w), a panel's scores (blockSize × panel), the sample's
    /// scores (blockSize × sampleCount), and one user's scores of every item (n; allocated when
    /// first needed).
    private let rows: UnsafeMutablePointer<S>, scores: UnsafeMutablePointer<S>, sampleScores: UnsafeMutablePointer<S>
    private var fullRow: UnsafeMutablePointer<S>?
    private var floors: [S]
    private var sampleTop: TopK
    private var heaps: [TopK]
    private var scan: QuantizedScan?

    init(plan: RankingPlan<S>) {
        self.plan = plan
        rows = Self.zeros(plan.blockSize * plan.w)
        scores = Self.zeros(plan.blockSize * plan.panel)
        sampleScores = Self.zeros(plan.blockSize * plan.sampleCount)
        floors = [S](repeating: -.infinity, count: plan.blockSize)
        sampleTop = TopK(capacity: plan.rank)
        heaps = [TopK](repeating: TopK(capacity: plan.k), count: plan.blockSize)
        scan = plan.quantized.map { QuantizedScan(items: $0, blockSize: plan.blockSize, k: plan.k, capacity: plan.scanCapacity) }
    }

    private static func zeros(_ count: Int) -> UnsafeMutablePointer<S> {
        let buffer = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, count))
        buffer.initialize(repeating: 0, count: Swift.max(1, count))
        return buffer
    }

    func deallocate() {
        for buffer in [rows, scores, sampleScores] + (fullRow.map { [$0] } ?? []) { buffer.deallocate() }
    }

    /// Ranks the users `block` of the plan and calls `body(thread, user, ranked)` for each, in order.
    mutating func rank(block: Range<Int>, thread t: Int, _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) {
        let users = plan.users[block]
        let w = plan.w
        for (r, u) in users.enumerated() {
            plan.model.users.copyRow(u, count: w, into: rows + r * w)
            heaps[r].reset()
        }
        if plan.sampleCount > 0 { sampleFloors(users) }
        if scan != nil {
            scan!.rank(model: plan.model, users: users, rows: rows, w: w, itemMatrix: plan.itemMatrix, itemBias: plan.itemBias,
                       train: plan.train, floors: floors, heaps: &heaps)
        } else {
            for (visit, p) in plan.order.enumerated() { offerPanel(p, backward: visit % 2 == 1, users: users) }
        }
        for (r, u) in users.enumerated() {
            rankInFullIfShort(r, user: u)
            body(t, u, heaps[r].sortedPairs(offset: plan.model.mean))
        }
    }

    /// Floors from the sample: its scores with the user's training items removed.
    private mutating func sampleFloors(_ users: ArraySlice<Int>) {
        let (w, count) = (plan.w, plan.sampleCount)
        S.gemmTransposedB(m: users.count, n: count, k: w, alpha: 1, a: rows, lda: w,
                          b: plan.sampleMatrix, ldb: w, beta: 0, c: sampleScores, ldc: count)
        for (r, u) in users.enumerated() {
            let row = sampleScores + r * count
            if let sampleBias = plan.sampleBias { for j in 0..<count { row[j] += sampleBias[j] } }
            if let train = plan.train, u < train.rows {
                for p in train.range(ofRow: u) {
                    let j = plan.samplePosition[Int(train.indices[p])]
                    if j >= 0 { row[Int(j)] = -.infinity }
                }
            }
            floors[r] = floor(ofSample: row)
        }
    }

    /// The rank-th best sampled score: by a vector kernel, or by the heap.
    private mutating func floor(ofSample row: UnsafeMutablePointer<S>) -> S {
        if let floor = S.kthLargest(row, count: plan.sampleCount, plan.rank) { return floor }
        sampleTop.reset()
        sampleTop.offerPanel(row, count: plan.sampleCount, offset: 0, backward: false, floor: -S.infinity)
        return sampleTop.count == plan.rank ? S(sampleTop.worstScore) : -.infinity
    }

    /// Scores the block against panel p (one GEMM) and offers each user the entries at or above
    /// its floor.
    private mutating func offerPanel(_ p: Int, backward: Bool, users: ArraySlice<Int>) {
        let (w, panel) = (plan.w, plan.panel)
        let p0 = p * panel, width = Swift.min(plan.n, p0 + panel) - p0
        S.gemmTransposedB(m: users.count, n: width, k: w, alpha: 1, a: rows, lda: w,
                          b: plan.itemMatrix + p0 * w, ldb: w, beta: 0, c: scores, ldc: panel)
        for (r, u) in users.enumerated() {
            let row = scores + r * panel
            if let itemBias = plan.itemBias { for i in 0..<width { row[i] += itemBias[p0 + i] } }
            if let train = plan.train { RankingEvaluator.exclude(train, user: u, from: row, items: p0..<(p0 + width)) }
            heaps[r].offerPanel(row, count: width, offset: p0, backward: backward, floor: floors[r])
        }
    }

    /// When the floor was too high for user u (row r of the block) or the scan left it out, so
    /// that its list is short: ranks every item without a floor.
    private mutating func rankInFullIfShort(_ r: Int, user u: Int) {
        let (n, w) = (plan.n, plan.w)
        let available = n - (plan.train.map { u < $0.rows ? $0.degree(ofRow: u) : 0 } ?? 0)
        guard (scan != nil || floors[r] > -.infinity) && heaps[r].count < Swift.min(plan.k, available) else { return }
        if fullRow == nil { fullRow = Self.zeros(n) }
        let row = fullRow!
        S.gemmTransposedB(m: 1, n: n, k: w, alpha: 1, a: rows + r * w, lda: w, b: plan.itemMatrix, ldb: w, beta: 0, c: row, ldc: n)
        if let itemBias = plan.itemBias { for i in 0..<n { row[i] += itemBias[i] } }
        if let train = plan.train { RankingEvaluator.exclude(train, user: u, from: row, items: 0..<n) }
        heaps[r].reset()
        heaps[r].offerPanel(row, count: n, offset: 0, backward: false, floor: -S.infinity)
    }
}
