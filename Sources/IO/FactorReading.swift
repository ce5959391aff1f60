/// The precision a reader keeps a factor matrix in.
public enum FactorReading: Sendable, Equatable {
    /// Float64, whatever the file stores.
    case double
    /// Float32 when the file stores float32 (half the memory of Float64), else Float64.
    case asStored
    /// Float32 whatever the file stores, for a reader that computes in single precision:
    /// float64 values are rounded to the nearest Float32 as they are read, never held as
    /// Float64. A value finite in the file but beyond Float32's range (±3.4e38) is an error.
    case single
}
