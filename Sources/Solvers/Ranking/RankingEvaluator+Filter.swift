import Dispatch
import Matrices

extension RankingEvaluator {
    /// The top `k` items and scores of each user in `users`, training items and the filter's
    /// exclusions left out, only the filter's candidates considered.
    ///
    /// Every list goes through the blocked ranking of ``recommend(model:users:train:k:)`` in one
    /// pass: the candidates for everyone (less the exclusions for everyone) become the item
    /// matrix ranked, and the per-user exclusions join the training items that each panel's
    /// scores drop. Per-user candidates, short lists by nature, are scored item by item
    /// (``FactorModel/predict(_:_:)``, in Float64) in parallel blocks of users.
    public func recommend(model: FactorModel, users: [Int], train: CSRMatrix?, k: Int,
                          filter: ItemFilter) -> [[(item: Int, score: Double)]] {
        let n = model.items.rows
        let excluded = ItemFilter.union(train, filter.userExcluded, rows: model.users.rows, items: n)
        if let userCandidates = filter.userCandidates {
            return recommend(model: model, users: users, candidates: userCandidates, mask: filter.globalMask(items: n),
                             excluded: excluded, k: k)
        }
        guard let allowed = filter.allowedItems(n: n) else {
            return recommend(model: model, users: users, train: excluded, k: k)
        }
        let restricted = Self.restrict(model, to: allowed)
        let lists = recommend(model: restricted, users: users, train: excluded.map { ItemFilter.restrict($0, to: allowed, items: n) }, k: k)
        return lists.map { $0.map { (allowed[$0.item], $0.score) } }
    }

    /// The model with only the item rows `items` (and their biases), in that order, in the
    /// precision of its items.
    static func restrict(_ model: FactorModel, to items: [Int]) -> FactorModel {
        var restricted = model
        restricted.items = model.items.selecting(rows: items)
        restricted.itemBias = model.itemBias.map { bias in items.map { bias[$0] } }
        return restricted
    }

    /// Per-user candidates: each user's row of `candidates` that passes `mask` and is not in
    /// its row of `excluded`, scored one by one, top `k` (ties by item order).
    private func recommend(model: FactorModel, users: [Int], candidates: CSRMatrix, mask: [Bool],
                           excluded: CSRMatrix?, k: Int) -> [[(item: Int, score: Double)]] {
        var lists = [[(item: Int, score: Double)]](repeating: [], count: users.count)
        let chunk = 256
        let chunks = (users.count + chunk - 1) / chunk
        let threadCount = Swift.max(1, Swift.min(threads, chunks))
        lists.withUnsafeMutableBufferPointer { lp in
            let out = UnsafeSendable(lp.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: threadCount) { t in
                var top = TopK(capacity: k)
                var c = t
                while c < chunks {
                    for r in (c * chunk)..<Swift.min(users.count, (c + 1) * chunk) {
                        let u = users[r]
                        top.reset()
                        if u < candidates.rows {
                            let skip = excluded.map { u < $0.rows ? SortedItems(items: $0.indices[$0.range(ofRow: u)]) : nil } ?? nil
                            for p in candidates.range(ofRow: u) {
                                let i = Int(candidates.indices[p])
                                guard mask[i], !(skip?.contains(i) ?? false) else { continue }
                                top.offer(i, model.predict(u, i))
                            }
                        }
                        out.value[r] = top.sortedPairs()
                    }
                    c += threadCount
                }
            }
        }
        return lists
    }
}
