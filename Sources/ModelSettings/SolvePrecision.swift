/// The precision of a solve's kernels (`RidgeSolver.Precision`), recorded in factor files.
public enum SolvePrecision: String, Sendable, CaseIterable {
    /// Float64 throughout (default).
    case double
    /// Float32 kernels, about twice as fast; results rounded to float precision.
    case single
}
