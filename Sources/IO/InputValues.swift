/// The numbers mftool accepts from a file: finite and at most ``limit`` in magnitude, so that
/// the squares and products the solvers form stay finite.
public enum InputValues {
    /// The largest magnitude accepted: its square, 1e300, is still finite.
    public static let limit = 1e150

    /// Whether `v` is finite and at most ``limit`` in magnitude (false for NaN).
    @inline(__always)
    public static func isUsable(_ v: Double) -> Bool { abs(v) <= limit }

    /// Why `v` is refused, to follow "value … is" in an error.
    public static func problem(_ v: Double) -> String {
        v.isFinite ? "larger than 1e150 in magnitude, where squares overflow; expected a finite number"
            : "not finite; expected a finite number"
    }
}
