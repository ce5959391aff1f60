import Matrices

extension RidgeSolver {
    /// What a solve of `problem` allocates beyond its inputs, term by term, before any of it is
    /// allocated: the factors (m × w, Float64); per thread, the gathered and scaled rows of the
    /// largest user and the w × w system with its backup, in the kernel's precision; once, VᵀV in
    /// Float64 and in the kernel's padded layout, a padded copy of V, and with a background (dense
    /// and implicit losses) the dual form's rotated copy of V and its w × w basis. An upper bound:
    /// not every solve makes every one of them.
    func workingMemory(_ problem: RidgeProblem) -> [(count: Int, size: Int)] {
        let (m, n, w) = (problem.userCount, problem.itemCount, problem.width)
        let scalar = precision == .single ? 4 : 8
        let matrix = problem.interactions
        let maxDegree = matrix.nonemptyRows().reduce(1) { Swift.max($0, matrix.degree(ofRow: $1)) }
        let kp = w > Int.max - 16 ? Int.max : w + 16
        guard let square = Self.product(kp, kp), let padded = Self.product(n, kp), let gathered = Self.product(maxDegree, kp),
              let factors = Self.product(m, w), let perThread = Self.product(2, gathered).flatMap({ g in Self.product(2, square).map { g &+ $0 } }),
              perThread >= 0 else { return [(Int.max, 2)] }
        var terms: [(count: Int, size: Int)] = [(factors, 8), (perThread, threads * scalar), (square, 8 + scalar), (padded, scalar)]
        if problem.terms.hasBackground { terms += [(padded, scalar), (square, 3 * 8)] }
        return terms
    }

    /// `a × b`, or nil when it overflows.
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }

    /// Throws, naming the sizes, when the solve's working memory exceeds ``memory``.
    func chargeWorkingMemory(_ problem: RidgeProblem) throws(SolverError) {
        let what = "the exact solve of \(problem.userCount) users at k = \(problem.width) (\(threads) thread\(threads == 1 ? "" : "s"): the factors, a \(problem.width) × \(problem.width) system per thread, VᵀV)"
        if let refusal = memory.refusal(workingMemory(problem), what: what) { throw .memoryLimit(refusal) }
    }
}

/// Charging working memory to a limit before it is allocated.
extension MemoryLimit {
    /// Throws ``SolverError/memoryLimit(_:)`` when `copies` Float64 matrices of `rows` ×
    /// `columns` (the factors, their gradient and optimizer moments, say), plus a `columns` ×
    /// `columns` Gram matrix when `gram`, exceed the limit; `what` names them in the message.
    public func charge(rows: Int, columns: Int, copies: Int, gram: Bool, what: String) throws(SolverError) {
        guard let cells = RidgeSolver.product(rows, columns), let square = RidgeSolver.product(columns, columns) else {
            throw .memoryLimit(refusal([(Int.max, 2)], what: what) ?? what)
        }
        if let refusal = refusal([(cells, 8 * copies), (gram ? square : 0, 8)], what: what) { throw .memoryLimit(refusal) }
    }

    /// Throws ``SolverError/memoryLimit(_:)`` when the `count × size` terms exceed the limit;
    /// `what` names the allocation in the message.
    public func charge(_ terms: [(count: Int, size: Int)], what: String) throws(SolverError) {
        if let refusal = refusal(terms, what: what) { throw .memoryLimit(refusal) }
    }
}

/// Sizes of working memory, saturating where a product overflows.
public enum WorkingMemory {

    /// The product of `factors`, saturating at `Int.max` (a count no limit admits).
    public static func cells(_ factors: Int...) -> Int {
        var product = 1
        for f in factors {
            let (p, overflow) = product.multipliedReportingOverflow(by: Swift.max(0, f))
            if overflow { return Int.max }
            product = p
        }
        return product
    }
}
