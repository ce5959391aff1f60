/// One thread's scratch memory for per-user solves, allocated once and zeroed, so that no user
/// allocates and the kernels get plain pointers.
final class RidgeWorkspace<S: LinearAlgebraScalar> {
    /// Gathered (scaled) item rows: maxDegree rows of `stride`.
    let rows: UnsafeMutablePointer<S>
    /// Native: the gathered rows times their Gram weights, the same shape.
    let scaled: UnsafeMutablePointer<S>
    /// The system matrix A_u, stride × stride (only w × w is used by the LAPACK path).
    let a: UnsafeMutablePointer<S>
    /// A copy of A_u (w × w, full) for the least-squares fallback.
    let backup: UnsafeMutablePointer<S>
    /// The right-hand side in the kernel's precision, zero-padded to `stride`.
    let b: UnsafeMutablePointer<S>
    /// The right-hand side accumulated in Float64, w.
    let rhs: UnsafeMutablePointer<Double>
    /// The per-entry weights of A_u and b_u (``ObjectiveTerms``), maxDegree.
    let gramWeights: UnsafeMutablePointer<Double>
    let rhsWeights: UnsafeMutablePointer<Double>
    /// Native: the reciprocals of the factor's diagonal, w.
    let inverse: UnsafeMutablePointer<S>
    private let memory: ScratchMemory

    /// Room for users of up to `maxDegree` entries; rows and systems `stride` wide (kp for the
    /// native kernels, w for LAPACK).
    init(w: Int, stride: Int, maxDegree: Int) {
        let memory = ScratchMemory()
        let entries = Swift.max(1, maxDegree)
        rows = memory.zeroed(entries * stride, S.self)
        scaled = memory.zeroed(entries * stride, S.self)
        a = memory.zeroed(stride * stride, S.self)
        backup = memory.zeroed(w * w, S.self)
        b = memory.zeroed(stride, S.self)
        rhs = memory.zeroed(w, Double.self)
        gramWeights = memory.zeroed(entries, Double.self)
        rhsWeights = memory.zeroed(entries, Double.self)
        inverse = memory.zeroed(w, S.self)
        self.memory = memory
    }
}
