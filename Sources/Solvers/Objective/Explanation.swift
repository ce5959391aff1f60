import Matrices

/// Why the exact solve predicts what it does for one user and item (Hu, Koren & Volinsky 2008,
/// §5): x_u = A_u⁻¹ b_u and b_u = Σ_{i∈Ω_u} w_i v_i (+ c0·Vᵀt0), so the factor part of the score,
/// v_jᵀ x_u, is Σ_i w_i · v_jᵀ A_u⁻¹ v_i: each past item's contribution is its weight in b_u
/// through the user's own A_u⁻¹. The score is μ + b_j + b_u + Σ contributions + background.
public struct Explanation: Sendable {
    /// The global mean μ (0 without an offset).
    public var mean: Double
    /// The item's fixed bias b_j (0 without one).
    public var itemBias: Double
    /// The user bias of the exact solution (0 without one).
    public var userBias: Double
    /// Each past item with its contribution w_i · (v_j, 0)ᵀ A_u⁻¹ ṽ_i.
    public var contributions: [(item: Int, value: Double)]
    /// The part of v_jᵀ x_u from the entries outside Ω_u (c0·Vᵀt0; 0 for the observed and
    /// implicit losses).
    public var background: Double

    /// The sum of the terms: the exact solution's prediction.
    public var score: Double { mean + itemBias + userBias + background + contributions.reduce(0) { $0 + $1.value } }

    /// Explains user u's prediction of item j under `problem`'s objective; its system must fit
    /// in `memory`.
    public init(problem: RidgeProblem, user u: Int, item j: Int, memory: MemoryLimit = .system) throws(SolverError) {
        guard problem.objective.loss != .dense else {
            throw .invalidObjective("explanations are for the observed and implicit losses")
        }
        let w = problem.width, k = problem.k
        try memory.charge([(WorkingMemory.cells(w, w), 2 * 8), (WorkingMemory.cells(problem.interactions.degree(ofRow: u) + 4, w), 8)],
                                 what: "the explanation at k = \(w) (the \(w) × \(w) system of the user and its factor)")
        let system = UserSystem(problem: problem, user: u)
        var query = (0..<w).map { problem.items[j, $0] }
        if w > k { query[k] = 0 }
        guard let y = system.solve(query), let x = system.solve(system.rightHandSide(problem: problem)) else {
            throw .invalidObjective("user \(u)'s system is not positive definite")
        }
        func dot(_ a: [Double], _ i: Int) -> Double { (0..<w).reduce(0) { $0 + a[$1] * problem.items[i, $1] } }
        contributions = zip(system.items, system.rhsWeights).map { ($0, $1 * dot(y, $0)) }
        background = (0..<w).reduce(0) { $0 + y[$1] * system.background[$1] }
        mean = problem.mean
        itemBias = problem.itemBias?[j] ?? 0
        userBias = w > k ? x[k] : 0
    }
}
