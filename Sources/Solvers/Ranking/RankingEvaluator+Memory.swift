import Matrices

extension RankingEvaluator {
    /// What ranking `users` users of `model` at K = `k` allocates beyond the model, term by term,
    /// before any of it is allocated: per thread, a block's user rows, a panel's and the sample's
    /// scores, one user's scores of every item and the block's top-K lists; once, the items as
    /// rows of the scores' precision with a ones column, the sample's rows and positions, the
    /// 8-bit copy of the candidate scan; with `lists`, the returned lists (users × K pairs); with
    /// `cutoffs`, eval's per-thread marks of the items any list held, and with AUC a user's
    /// scores sorted into positives and negatives. An upper bound: not every ranking makes every
    /// one of them.
    public func workingMemory(model: FactorModel, users: Int, k: Int, lists: Bool) -> [(count: Int, size: Int)] {
        workingMemory(items: model.items.rows, width: model.users.columns, modelUsers: model.users.rows, users: users, k: k, lists: lists)
    }

    /// ``workingMemory(model:users:k:lists:)`` of a model of `modelUsers` users and `items` items
    /// with rows of `width` (the factors, and the user bias's column), before it exists.
    public func workingMemory(items n: Int, width w: Int, modelUsers: Int, users: Int, k: Int, lists: Bool) -> [(count: Int, size: Int)] {
        let kk = Swift.min(Swift.max(0, k), n)
        let scalar = precision == .single ? 4 : 8
        let blocks = users / Swift.max(1, blockSize) + 1
        let threadCount = Swift.max(1, Swift.min(threads, blocks))
        let block = Swift.min(blockSize, Swift.max(1, users))
        let panel = Swift.max(1, Swift.min(n, panelSize)), sample = Swift.min(sampleSize, n / 4)
        let perThread = WorkingMemory.cells(block, w + panel + sample)
        var terms: [(count: Int, size: Int)] = [
            (WorkingMemory.cells(threadCount, perThread), scalar), (WorkingMemory.cells(threadCount, n), scalar),
            (WorkingMemory.cells(threadCount, block, kk), 16),
            (WorkingMemory.cells(n, w), scalar + 1), (WorkingMemory.cells(sample, w), scalar), (n, 4),
        ]
        if lists { terms += [(WorkingMemory.cells(users, kk), 16), (modelUsers, 8)] }
        if !lists {
            terms.append((WorkingMemory.cells(threadCount, n, cutoffs.count), 1))
            if computeAUC { terms.append((WorkingMemory.cells(threadCount, n), 16)) }
        }
        return terms
    }

    /// Throws, naming the ranking, when its working memory and `extra` exceed ``memory``;
    /// `entity` names the queries ("users", "items").
    public func chargeWorkingMemory(model: FactorModel, users: Int, k: Int, lists: Bool, entity: String = "users",
                                    extra: [(count: Int, size: Int)] = []) throws(SolverError) {
        let kk = Swift.min(Swift.max(0, k), model.items.rows)
        let what = "ranking \(users) \(entity) against \(model.items.rows) rows of \(model.items.columns) at K = \(kk) (a block's scores and top-K lists per thread\(lists ? ", the lists" : ""))"
        try memory.charge(workingMemory(model: model, users: users, k: k, lists: lists) + extra, what: what)
    }
}
