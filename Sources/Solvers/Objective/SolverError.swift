/// A failure of the solver or of its inputs.
public enum SolverError: Error, Equatable, CustomStringConvertible {
    /// The inputs' shapes do not fit together.
    case shapeMismatch(String)
    /// The objective's settings are inconsistent.
    case invalidObjective(String)
    /// A user's system matrix is not positive definite.
    case notPositiveDefinite(user: String, row: Int, interactions: Int, lambda: Double, k: Int)
    /// The working memory of a computation would exceed ``MemoryLimit`` (the sentence says what).
    case memoryLimit(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(s): return s
        case let .invalidObjective(s): return s
        case let .memoryLimit(s): return s
        case let .notPositiveDefinite(user, row, count, lambda, k):
            return "user '\(user)' (row \(row), \(count) interactions): the system matrix is not positive definite (λ_u = \(lambda), k = \(k)); raise --lambda above 0, or pass --fallback lstsq for the minimum-norm least-squares solution"
        }
    }
}
