/// One thread's scratch memory for dual solves, allocated once.
final class DualWorkspace<S: LinearAlgebraScalar> {
    /// The user's rows of U as gathered, `ldx` apart (up to `maxDegree` of them).
    let gathered: UnsafeMutablePointer<S>
    let ldx: Int
    /// Ŷ, up to `maxActive` rows of k.
    let rows: UnsafeMutablePointer<S>
    /// M and then its Cholesky (or, with negative weights, Bunch–Kaufman) factor, active × active.
    let m: UnsafeMutablePointer<S>
    /// The signs of the rows' weights (maxActive), the Bunch–Kaufman pivots and its workspace.
    let signs: UnsafeMutablePointer<S>
    let pivots: UnsafeMutablePointer<Int32>
    let work: UnsafeMutablePointer<S>
    let workCount: Int
    /// √s, and the two solutions p and q (k each), and M⁻¹'s right-hand side (maxActive).
    let sigma, p, q, h: UnsafeMutablePointer<S>
    /// b_u's item part (as wide as U's rows) and the bias column in the basis, Float64.
    let rhs, biasColumn: UnsafeMutablePointer<Double>
    /// The entries' Gram and right-hand side weights (maxDegree).
    let gramWeights, rhsWeights: UnsafeMutablePointer<Double>
    /// The rows of Ŷ of the user at hand, and how many of them have a negative weight.
    var active = 0
    var negatives = 0
    private let memory: ScratchMemory

    init(k: Int, rowStride: Int, ldx: Int, maxDegree: Int, maxActive: Int) {
        let memory = ScratchMemory()
        gathered = memory.zeroed(maxDegree * ldx, S.self)
        self.ldx = ldx
        rows = memory.zeroed(maxActive * k, S.self)
        m = memory.zeroed(maxActive * maxActive, S.self)
        signs = memory.zeroed(maxActive, S.self)
        pivots = memory.zeroed(maxActive, Int32.self)
        workCount = Swift.max(1, 64 * maxActive)
        work = memory.zeroed(workCount, S.self)
        sigma = memory.zeroed(k, S.self)
        p = memory.zeroed(k, S.self)
        q = memory.zeroed(k, S.self)
        h = memory.zeroed(maxActive, S.self)
        rhs = memory.zeroed(ldx, Double.self)
        biasColumn = memory.zeroed(k, Double.self)
        gramWeights = memory.zeroed(maxDegree, Double.self)
        rhsWeights = memory.zeroed(maxDegree, Double.self)
        self.memory = memory
    }
}
