import Dispatch
import Matrices

extension RankingEvaluator {
    /// Scores `users` against every item and calls `body(thread, user, ranked)` with the user's
    /// top `k` items (training items excluded) and their predicted values, best first (ties by
    /// item order); runs on `threads` threads and returns how many ran.
    ///
    /// Users go in blocks of `blockSize` and items in panels: one GEMM scores a block against a
    /// panel (the scores stay in cache, never m × n of them), and every user's heap takes the
    /// panel's entries that reach its worst kept score, found by a vectorized scan. Panels are
    /// visited from both ends inward (first, last, second, …), the ones from the back scanned
    /// backwards, so that item orders correlated with the scores — by popularity, say — fill
    /// the heaps with good items early in either direction.
    func forEachRanked(model: FactorModel, users: [Int], train: CSRMatrix?, k: Int,
                       _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) -> Int {
        switch precision {
        case .double: forEachRanked(Double.self, model: model, users: users, train: train, k: k, body)
        case .single: forEachRanked(Float.self, model: model, users: users, train: train, k: k, body)
        }
    }

    private func forEachRanked<S: LinearAlgebraScalar>(_: S.Type, model: FactorModel, users: [Int], train: CSRMatrix?, k: Int,
                                                       _ body: @Sendable (Int, Int, [(item: Int, score: Double)]) -> Void) -> Int {
        let n = model.items.rows, w = model.users.columns
        // Items with a ones column against the user bias, when there is one.
        var itemMatrix = [S](repeating: 1, count: n * w)
        for i in 0..<n { for c in 0..<model.items.columns { itemMatrix[i * w + c] = S(model.items[i, c]) } }
        let itemBias = model.itemBias.map { $0.map { S($0) } }
        let panel = Swift.max(1, Swift.min(n, panelSize))
        let panels = (n + panel - 1) / panel
        var order: [Int] = []
        var (front, back) = (0, panels - 1)
        while front <= back {
            order.append(front)
            if back != front { order.append(back) }
            front += 1
            back -= 1
        }
        let blocks = (users.count + blockSize - 1) / blockSize
        let threadCount = Swift.max(1, Swift.min(threads, blocks))
        let shared = UnsafeSendable((model, itemMatrix, itemBias, users, train, Swift.min(k, n), blockSize, order, panel))
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: threadCount) { t in
                let (model, itemMatrix, itemBias, users, train, k, blockSize, order, panel) = shared.value
                var rows = [S](repeating: 0, count: blockSize * w)
                var scores = [S](repeating: 0, count: blockSize * panel)
                var heaps = [TopK](repeating: TopK(capacity: k), count: blockSize)
                var block = t
                while block < blocks {
                    let b0 = block * blockSize, b1 = Swift.min(b0 + blockSize, users.count)
                    for (r, u) in users[b0..<b1].enumerated() {
                        for c in 0..<w { rows[r * w + c] = S(model.users[u, c]) }
                        heaps[r].reset()
                    }
                    for (visit, p) in order.enumerated() {
                        let p0 = p * panel, width = Swift.min(n, p0 + panel) - p0
                        rows.withUnsafeBufferPointer { up in
                            itemMatrix.withUnsafeBufferPointer { vp in
                                scores.withUnsafeMutableBufferPointer { sp in
                                    S.gemmTransposedB(m: b1 - b0, n: width, k: w, alpha: 1, a: up.baseAddress!, lda: w,
                                                      b: vp.baseAddress! + p0 * w, ldb: w, beta: 0, c: sp.baseAddress!, ldc: panel)
                                }
                            }
                        }
                        scores.withUnsafeMutableBufferPointer { sp in
                            for (r, u) in users[b0..<b1].enumerated() {
                                let row = sp.baseAddress! + r * panel
                                if let itemBias { for i in 0..<width { row[i] += itemBias[p0 + i] } }
                                if let train { RankingEvaluator.exclude(train, user: u, from: row, items: p0..<(p0 + width)) }
                                heaps[r].offerPanel(row, count: width, offset: p0, backward: visit % 2 == 1)
                            }
                        }
                    }
                    for (r, u) in users[b0..<b1].enumerated() { body(t, u, heaps[r].sortedPairs(offset: model.mean)) }
                    block += threadCount
                }
            }
        }
        return threadCount
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
    /// Offers a panel's entries (items offset + 0..<n), skipping −∞; once the heap is full only
    /// entries at least as good as its worst kept score are looked at (a tie can still win on
    /// its item number).
    mutating func offerPanel<S: LinearAlgebraScalar>(_ s: UnsafePointer<S>, count n: Int, offset: Int, backward: Bool) {
        guard capacity > 0 else { return }
        withStorage { top in
            if !backward {
                var i = 0
                while i < n {
                    if top.count < top.capacity {
                        if s[i] > -.infinity { top.offer(offset + i, Double(s[i])) }
                        i += 1
                    } else {
                        i += S.firstAtLeast(s + i, count: n - i, S(top.worstScore))
                        if i < n { top.offer(offset + i, Double(s[i])) }
                        i += 1
                    }
                }
            } else {
                var end = n   // entries end..<n are done
                while end > 0 {
                    if top.count < top.capacity {
                        end -= 1
                        if s[end] > -.infinity { top.offer(offset + end, Double(s[end])) }
                    } else {
                        end = S.lastAtLeast(s, count: end, S(top.worstScore))
                        if end < 0 { break }
                        top.offer(offset + end, Double(s[end]))
                    }
                }
            }
        }
    }
}
