import Dispatch
import Matrices

extension RankingEvaluator {
    /// Scores `users` against every item and calls `body(thread, user, ranked)` with the user's
    /// top `k` items (training items excluded) and their predicted values, best first (ties by
    /// item order); runs on `threads` threads and returns how many ran.
    ///
    /// Users go in blocks of `blockSize` and items in panels: one GEMM scores a block against a
    /// panel (the scores stay in cache, never m × n of them), and every user's top-K list takes
    /// the panel's entries that reach its floor and its worst kept score, found by a vectorized
    /// scan. Large catalogues first score a fixed, stratified sample of items: a user's floor is
    /// the sample's score of rank about 2K·sample/n, which about 2K items reach, so the list
    /// fills with good items at once and few entries are ever inserted. A user whose floor
    /// turns out too high (fewer than K items reach it, which a sample makes rare) is ranked
    /// again without one, so the result is exact either way. Panels are visited from both ends
    /// inward, those from the back scanned backwards, which suits item orders that follow the
    /// scores (by popularity, say) in either direction.
    ///
    /// With a sample, and on CPUs with AVX-512 VNNI (`candidateScan`), the panels' GEMMs give
    /// way to `QuantizedScan`: 8-bit integer scores, four times the multiply-adds per
    /// instruction, with a bound on their error, pick the items that can reach the floor, and
    /// only those are scored exactly; the lists are the same.
    func forEachRanked(model: FactorModel, users: [Int], train: CSRMatrix?, k: Int,
                       _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) -> Int {
        switch precision {
        case .double: forEachRanked(Double.self, model: model, users: users, train: train, k: k, body)
        case .single: forEachRanked(Float.self, model: model, users: users, train: train, k: k, body)
        }
    }

    /// The sampled items (sorted; empty when the catalogue is ranked without a sample) and the
    /// rank within the sample taken as each user's floor.
    func sample(items n: Int, k: Int) -> (items: [Int], rank: Int) {
        let size = Swift.min(sampleSize, n / 4)
        guard n >= samplingMinItems, k > 0, size >= 16 else { return ([], 0) }
        let rank = sampleRank ?? Swift.max(8, Int((2 * Double(k) * Double(size) / Double(n)).rounded(.up)))
        guard rank <= size / 4 else { return ([], 0) }
        var rng = SplitMix64(seed: 0x5A3D_1E5E_ED00_0001)
        let items = (0..<size).map { j -> Int in
            let lo = j * n / size, hi = (j + 1) * n / size
            return lo + Int(rng.next() % UInt64(hi - lo))
        }
        return (items, rank)
    }

    private func forEachRanked<S: LinearAlgebraScalar>(_: S.Type, model: FactorModel, users: [Int], train: CSRMatrix?, k: Int,
                                                       _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) -> Int {
        Self.withItemRows(model, as: S.self) { itemMatrix, _ in
            forEachRanked(model: model, itemMatrix: itemMatrix, users: users, train: train, k: k, body)
        }
    }

    /// Calls `body` with the items as rows of S with a ones column against the user bias, when
    /// there is one (n × w, w = the users' columns), and whether they are a copy: the model's
    /// own storage when it holds S and no user bias, else a converted copy (n × w entries of S).
    static func withItemRows<S: LinearAlgebraScalar, R>(_ model: FactorModel, as _: S.Type,
                                                         _ body: (UnsafePointer<S>, _ copied: Bool) -> R) -> R {
        let n = model.items.rows, w = model.users.columns, k = model.items.columns
        if w == k, n > 0, let result = model.items.withStorage(as: S.self, { body($0.baseAddress!, false) }) { return result }
        var rows = [S](repeating: 1, count: Swift.max(1, n * w))
        rows.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { model.items.copyRow(i, count: k, into: p.baseAddress! + i * w) }
        }
        return rows.withUnsafeBufferPointer { body($0.baseAddress!, true) }
    }

    private func forEachRanked<S: LinearAlgebraScalar>(model: FactorModel, itemMatrix: UnsafePointer<S>, users: [Int], train: CSRMatrix?, k: Int,
                                                       _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) -> Int {
        let n = model.items.rows, w = model.users.columns
        let k = Swift.min(k, n)
        let itemBias = model.itemBias.map { $0.map { S($0) } }
        let panel = Swift.max(1, Swift.min(n, panelSize))
        let (sampled, rank) = sample(items: n, k: k)
        var sampleMatrix = [S](repeating: 0, count: Swift.max(1, sampled.count * w))
        var samplePosition = [Int32](repeating: -1, count: sampled.isEmpty ? 0 : n)
        for (j, i) in sampled.enumerated() {
            for c in 0..<w { sampleMatrix[j * w + c] = itemMatrix[i * w + c] }
            samplePosition[i] = Int32(j)
        }
        let quantized = sampled.isEmpty || !(candidateScan ?? QuantizedItems.isFast) ? nil : QuantizedItems(model: model)
        let (blockSize, scanCapacity) = (blockSize, scanCapacity)
        let blocks = (users.count + blockSize - 1) / blockSize
        let threadCount = Swift.max(1, Swift.min(threads, blocks))
        let counter = ProgressCounter(progress, total: users.count)
        defer { counter?.finish() }
        sampleMatrix.withUnsafeBufferPointer { samples in
            let plan = UnsafeSendable(RankingPlan(
                model: model, users: users, train: train, n: n, w: w, k: k, blockSize: blockSize,
                itemMatrix: itemMatrix, itemBias: itemBias, panel: panel, order: Self.panelOrder(n: n, panel: panel),
                sampleCount: sampled.count, rank: rank, sampleMatrix: samples.baseAddress!, samplePosition: samplePosition,
                sampleBias: itemBias.map { bias in sampled.map { bias[$0] } }, quantized: quantized, scanCapacity: scanCapacity))
            BLASThreads.singleThreaded {
                DispatchQueue.concurrentPerform(iterations: threadCount) { t in
                    var workspace = RankingWorkspace(plan: plan.value)
                    defer { workspace.deallocate() }
                    var block = t
                    while block < blocks {
                        let b0 = block * blockSize
                        let range = b0..<Swift.min(b0 + blockSize, users.count)
                        workspace.rank(block: range, thread: t, body)
                        counter?.add(range.count, thread: t)
                        block += threadCount
                    }
                }
            }
        }
        return threadCount
    }

    /// The panels of n items in the order they are visited: from both ends inward (0, last, 1,
    /// last − 1, …); the odd visits, from the back, are scanned backwards.
    static func panelOrder(n: Int, panel: Int) -> [Int] {
        let panels = (n + panel - 1) / panel
        var order: [Int] = []
        var (front, back) = (0, panels - 1)
        while front <= back {
            order.append(front)
            if back != front { order.append(back) }
            front += 1
            back -= 1
        }
        return order
    }

    /// Sets the scores of the user's training items within `items` (a panel starting at row[0])
    /// to −∞; the row's indices are sorted, so a binary search finds the panel's first.
    static func exclude<S: BinaryFloatingPoint>(_ train: CSRMatrix, user u: Int, from row: UnsafeMutablePointer<S>, items: Range<Int>) {
        guard u < train.rows else { return }
        var (lo, hi) = (train.indptr[u], train.indptr[u + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(train.indices[mid]) < items.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        var p = lo
        while p < train.indptr[u + 1], Int(train.indices[p]) < items.upperBound {
            row[Int(train.indices[p]) - items.lowerBound] = -.infinity
            p += 1
        }
    }

    /// Every item's predicted value for one user, training items −∞ (for the AUC).
    static func scoreRow(model: FactorModel, user u: Int, train: CSRMatrix?) -> [Double] {
        var scores = (0..<model.items.rows).map { model.predict(u, $0) }
        if let train { scores.withUnsafeMutableBufferPointer { exclude(train, user: u, from: $0.baseAddress!, items: 0..<model.items.rows) } }
        return scores
    }
}

extension TopK {
    /// Offers a panel's entries (items offset + 0..<n) that reach `floor` (and are above −∞);
    /// once the list is full, only entries at least as good as its worst kept score as well (a
    /// tie can still win on its item number). Both thresholds are found by a vectorized scan.
    mutating func offerPanel<S: LinearAlgebraScalar>(_ s: UnsafePointer<S>, count n: Int, offset: Int, backward: Bool, floor: S) {
        guard capacity > 0 else { return }
        withStorage { top in
            if !backward {
                var i = 0
                while i < n {
                    let t = top.count < top.capacity ? floor : Swift.max(floor, S(top.worstScore))
                    if t == -.infinity {
                        if s[i] > -.infinity { top.offer(offset + i, Double(s[i])) }
                        i += 1
                    } else {
                        i += S.firstAtLeast(s + i, count: n - i, t)
                        if i < n { top.offer(offset + i, Double(s[i])) }
                        i += 1
                    }
                }
            } else {
                var end = n   // entries end..<n are done
                while end > 0 {
                    let t = top.count < top.capacity ? floor : Swift.max(floor, S(top.worstScore))
                    if t == -.infinity {
                        end -= 1
                        if s[end] > -.infinity { top.offer(offset + end, Double(s[end])) }
                    } else {
                        end = S.lastAtLeast(s, count: end, t)
                        if end < 0 { break }
                        top.offer(offset + end, Double(s[end]))
                    }
                }
            }
        }
    }
}
