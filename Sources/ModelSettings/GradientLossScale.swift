/// How gradient training's reported loss and gradient are scaled (`GradientTrainer.LossScale`).
public enum GradientLossScale: String, Sendable, CaseIterable {
    /// The summed objective.
    case sum
    /// Divided by the number of terms: m·n for dense and implicit, the interactions (or the
    /// batch) for observed, like `MSELoss()`.
    case mean
}
