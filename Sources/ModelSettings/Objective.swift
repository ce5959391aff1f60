import Foundation
import Matrices

/// The per-user objective that both the exact ridge solve and gradient training minimize.
///
/// For user u with observed items Ω_u, values r_ui, factor x_u and item vectors v_i (augmented
/// with a trailing 1 when ``userBias`` is on), targets t_ui = r_ui − μ − b_i (μ the global mean
/// under ``Offset/globalMean``, b the fixed item bias, each 0 when unused):
/// - ``Loss/observed``: Σ_{i∈Ω_u} (t_ui − x_u·v_i)² + λ_u‖x_u‖²
/// - ``Loss/dense``: Σ_{all i} (t_ui − x_u·v_i)² + λ_u‖x_u‖², unobserved r_ui = 0 (so t = −μ − b_i)
/// - ``Loss/implicit``: Σ_i c_ui (p_ui − x_u·v_i)² + λ_u‖x_u‖², p_ui = [r_ui > 0],
///   c_ui = 1 + α r_ui (one-plus) or α r_ui (linear) on Ω_u, α0 elsewhere (``unobservedWeight``,
///   1 by default; Rendle et al. 2021's iALS weight).
///
/// λ_u = λ (constant), λ·|Ω_u| (count, ALS-WR) or λ·(|Ω_u| + c0·n)^ν (frequency, with c0 the
/// weight of the n items' unstored entries: 0 observed, 1 dense, α0 implicit); the user-bias
/// component is never regularized.
/// Users with no interactions get the zero vector under `observed` and the exact minimizer
/// otherwise.
public struct Objective: Sendable, Equatable {
    /// Which entries count and how.
    public enum Loss: String, Sendable, CaseIterable {
        /// Observed entries only (explicit ratings).
        case observed
        /// Every entry, unobserved ones as 0 (a PyTorch loop's MSE over the full `U @ V.T`).
        case dense
        /// Hu–Koren–Volinsky implicit feedback with confidence weights.
        case implicit
    }

    /// How the confidence of an observed implicit entry grows with its value.
    public enum Confidence: String, Sendable, CaseIterable {
        /// c = 1 + α r (Hu et al., Spark, LensKit).
        case onePlus = "one-plus"
        /// c = α r (the `implicit` library).
        case linear
    }

    /// How λ scales per user.
    public enum Regularization: String, Sendable, CaseIterable {
        /// λ_u = λ.
        case constant
        /// λ_u = λ·|Ω_u| (ALS-WR, Spark, LensKit).
        case count
        /// λ_u = λ·(|Ω_u| + c0·n)^ν (Rendle et al. 2021's frequency-scaled iALS regularization;
        /// ν = ``regularizationExponent``).
        case frequency
    }

    /// A value subtracted from every target before fitting.
    public enum Offset: String, Sendable, CaseIterable {
        case none
        /// The mean of the observed training values.
        case globalMean = "global-mean"
    }

    public var loss: Loss
    public var lambda: Double
    public var regularization: Regularization
    /// α of the implicit loss.
    public var alpha: Double
    public var confidence: Confidence
    /// α0, the weight of the unstored entries under the implicit loss.
    public var unobservedWeight: Double = 1
    /// ν of the frequency regularization.
    public var regularizationExponent: Double = 1
    /// An unregularized per-user intercept, stored as the last factor component.
    public var userBias: Bool
    public var offset: Offset
    /// With `offset` global-mean: this μ instead of the mean of the interactions at hand — the
    /// training mean, when folding in new users against items trained with one.
    public var fixedMean: Double? = nil

    /// μ under ``Offset/globalMean``: the mean of the stored values, from their exact sum (so
    /// that it does not depend on their order, and a sharded run, summing by slabs, finds the
    /// same μ); 0 without values.
    public static func globalMean(of values: [Double]) -> Double {
        values.isEmpty ? 0 : values.exactSum() / Double(values.count)
    }

    /// The defaults here are the settings' defaults everywhere: ``settings`` reads them from
    /// `Objective()`.
    public init(loss: Loss = .observed, lambda: Double = 0.1, regularization: Regularization = .constant,
                alpha: Double = 1, confidence: Confidence = .onePlus, userBias: Bool = false, offset: Offset = .none) {
        self.loss = loss
        self.lambda = lambda
        self.regularization = regularization
        self.alpha = alpha
        self.confidence = confidence
        self.userBias = userBias
        self.offset = offset
    }

    /// The weight c0 of a user's unstored entries: 0 (observed), 1 (dense) or α0 (implicit).
    @inlinable
    public var backgroundWeight: Double {
        switch loss {
        case .observed: return 0
        case .dense: return 1
        case .implicit: return unobservedWeight
        }
    }

    /// λ_u when it is the same for every user (constant regularization), else nil. Paths that
    /// factor one matrix for many users take λ from here, so they cannot run without it.
    @inlinable
    public var constantLambda: Double? { regularization == .constant ? lambda : nil }

    /// λ_u for a user with `count` stored entries out of `items` (the frequency form's n).
    @inlinable
    public func lambda(forCount count: Int, items: Int = 0) -> Double {
        switch regularization {
        case .constant: return lambda
        case .count: return lambda * Double(count)
        case .frequency: return lambda * Foundation.pow(Double(count) + backgroundWeight * Double(items), regularizationExponent)
        }
    }

    /// The confidence weight of an observed implicit value.
    @inlinable
    public func confidenceWeight(_ r: Double) -> Double {
        confidence == .onePlus ? 1 + alpha * r : alpha * r
    }

    /// The λ of the summed objective equivalent to a PyTorch loop's `MSELoss()` (mean over the
    /// m × n entries) with `weight_decay = w` on the user matrix: λ = w·m·n/2.
    ///
    /// Adam with coupled weight decay adds w·x to the gradient of mean(E²); the gradient of the
    /// summed objective divided by m·n is 2/(m·n)·(…) + 2λ/(m·n)·x, so w = 2λ/(m·n).
    public static func lambda(fromWeightDecay w: Double, users m: Int, items n: Int) -> Double {
        w * Double(m) * Double(n) / 2
    }
}
