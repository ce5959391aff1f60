import Matrices

/// What an ``Objective`` makes of each stored entry and of each user, bound to the offsets of one
/// problem: the one definition of the model that the exact solve, the evaluator, gradient
/// training, ALS and `check` all read.
///
/// Every loss is a weighted least squares over all entries of user u,
///
///     f_u(x) = Σ_{i∉Ω_u} c0 (t0_i − x·v_i)² + Σ_{i∈Ω_u} c_ui (t_ui − x·v_i)² + λ_u ‖x‖²,
///
/// with a background weight c0 and target t0_i for the entries outside Ω_u:
///
/// | loss | c0 | t0_i | c_ui | t_ui |
/// | --- | --- | --- | --- | --- |
/// | observed | 0 | – | 1 | r − μ − b_i |
/// | dense | 1 | −μ − b_i | 1 | r − μ − b_i |
/// | implicit | α0 (1 by default) | 0 | confidence(r) | [r > 0] |
///
/// Its normal equations are A_u x = b_u with
/// A_u = c0·VᵀV + Σ_{i∈Ω_u} (c_ui − c0) v_i v_iᵀ + λ_u I and
/// b_u = c0·Vᵀt0 + Σ_{i∈Ω_u} (c_ui t_ui − c0 t0_i) v_i;
/// the per-entry factors of these sums are ``gramWeight(_:)`` and ``rhsWeight(_:item:)``. The
/// kernels receive them as finished arrays and never re-derive the model.
public struct ObjectiveTerms: Sendable {
    public let objective: Objective
    /// The global mean μ subtracted from targets (0 without an offset).
    public let mean: Double
    /// The fixed item bias b subtracted from targets, when given.
    public let itemBias: [Double]?
    /// n, the number of items: the frequency regularization counts the unstored entries.
    public let itemCount: Int
    /// c0, the weight of the unstored entries.
    public let backgroundWeight: Double

    public init(objective: Objective, mean: Double, itemBias: [Double]?, itemCount: Int) {
        self.objective = objective
        self.mean = mean
        self.itemBias = itemBias
        self.itemCount = itemCount
        backgroundWeight = objective.backgroundWeight
    }

    /// How the stored entries enter A_u beyond the background's c0·VᵀV.
    public enum EntryGram: Sendable {
        /// Σ v_i v_iᵀ: every weight c_ui − c0 is 1 (the observed loss).
        case unit
        /// Nothing: every weight is 0, so all users share A_u up to λ_u (the dense loss).
        case none
        /// Σ (c_ui − c0) v_i v_iᵀ with weights from ``gramWeight(_:)`` (the implicit loss).
        case weighted
    }

    /// Whether the entries outside Ω_u count (c0 ≠ 0): A_u then starts from c0·VᵀV, and users
    /// without interactions get the exact minimizer rather than the zero vector.
    @inlinable
    public var hasBackground: Bool { backgroundWeight != 0 }

    @inlinable
    public var entryGram: EntryGram {
        switch objective.loss {
        case .observed: return .unit
        case .dense: return .none
        case .implicit: return .weighted
        }
    }

    /// Whether every user has the same system matrix, so one factorization serves them all.
    @inlinable
    public var sharesSystemMatrix: Bool { entryGram == .none && objective.constantLambda != nil }

    /// The λ of a shared system matrix: only asked where ``sharesSystemMatrix`` holds.
    @inlinable
    var sharedLambda: Double {
        guard sharesSystemMatrix, let lambda = objective.constantLambda else {
            preconditionFailure("a shared system matrix needs a constant λ and no per-entry Gram weights")
        }
        return lambda
    }

    /// Whether the right-hand side weights are the stored values themselves (the dense loss:
    /// c t − c0 t0 = r), so a product R·V gives Σ rhsWeight·v_i directly.
    @inlinable
    public var rhsWeightsAreValues: Bool { objective.loss == .dense }

    /// λ_u for a user with `count` stored entries.
    @inlinable
    public func lambda(forCount count: Int) -> Double { objective.lambda(forCount: count, items: itemCount) }

    /// The item bias of item j, 0 without one.
    @inlinable
    func bias(_ j: Int) -> Double { itemBias?[j] ?? 0 }

    /// t_ui of a stored value r of item j under the observed and dense losses: r − μ − b_j.
    @inlinable
    public func target(_ r: Double, item j: Int) -> Double { r - mean - bias(j) }

    /// t0_j, the target of an unstored entry of item j (dense: −μ − b_j; implicit: 0).
    @inlinable
    public func backgroundTarget(item j: Int) -> Double { objective.loss == .dense ? -mean - bias(j) : 0 }

    /// Whether some t0_j is not zero, so b_u has a background part c0·Vᵀt0.
    @inlinable
    public var hasBackgroundTarget: Bool { objective.loss == .dense && (mean != 0 || itemBias != nil) }

    /// c_ui − c0, the weight of v_i v_iᵀ in A_u (used for ``EntryGram/weighted``).
    @inlinable
    public func gramWeight(_ r: Double) -> Double {
        switch objective.loss {
        case .observed: return 1
        case .dense: return 0
        case .implicit: return objective.confidenceWeight(r) - backgroundWeight
        }
    }

    /// c_ui t_ui − c0 t0_i, the weight of v_i in b_u.
    @inlinable
    public func rhsWeight(_ r: Double, item j: Int) -> Double {
        switch objective.loss {
        case .observed: return target(r, item: j)
        case .dense: return r
        case .implicit: return r > 0 ? objective.confidenceWeight(r) : 0
        }
    }

    /// A stored entry's part of f_u at prediction y = x·v_i, beyond the background, and the
    /// coefficient of v_i in its half-gradient: c (t − y)² − c0 (t0 − y)² and (c − c0) y − (c t − c0 t0).
    /// For the observed and implicit losses (the dense loss sums its stored entries through
    /// R·V in ``ObjectiveEvaluator``).
    @inlinable
    public func entry(_ r: Double, item j: Int, prediction y: Double) -> (value: Double, coefficient: Double) {
        if objective.loss == .implicit {
            let confidence = objective.confidenceWeight(r)
            let preference: Double = r > 0 ? 1 : 0
            let e = preference - y
            return (confidence * e * e - backgroundWeight * y * y, (confidence - backgroundWeight) * y - confidence * preference)
        }
        let e = target(r, item: j) - y
        return (e * e, -e)
    }
}
