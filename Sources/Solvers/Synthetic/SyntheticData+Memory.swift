import Matrices

extension SyntheticData {
    /// What ``generate(progress:)`` allocates, term by term: the planted user and item factors,
    /// the interactions (an item index and a value per entry, a row pointer per user), the
    /// popularity ranking and its cumulative weights, and the per-user counts.
    public var workingMemory: [(count: Int, size: Int)] {
        let entries = dense ? WorkingMemory.cells(users, items) : nnz
        return [(WorkingMemory.cells(users, k), 8), (WorkingMemory.cells(items, k), 8), (entries, 12),
                (WorkingMemory.cells(users, 2), 8), (WorkingMemory.cells(items, 3), 8)]
    }

    /// Throws, naming the sizes, when generating would exceed `memory`.
    public func chargeWorkingMemory(to memory: MemoryLimit) throws(SolverError) {
        try memory.charge(workingMemory, what: "generating \(users) users × \(items) items, \(dense ? WorkingMemory.cells(users, items) : nnz) interactions at k = \(k)")
    }
}
