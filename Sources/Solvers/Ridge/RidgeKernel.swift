import Dispatch
import Matrices

/// The per-user Cholesky kernel, specialized for one precision.
struct RidgeKernel<S: LinearAlgebraScalar> {
    let problem: RidgeProblem
    let solver: RidgeSolver
    let w: Int
    let items: [S]        // n × w, row-major, in the kernel's precision
    let native: Bool      // mftool's own kernels, else BLAS syrk + LAPACK potrf/potrs
    let kp: Int           // the native kernels' padded row length
    let variant: NativeKernelVariant

    init(problem: RidgeProblem, solver: RidgeSolver) {
        self.problem = problem
        self.solver = solver
        w = problem.width
        // In double the item matrix is shared as it is, not copied.
        items = S.self == Double.self ? unsafeBitCast(problem.items.storage, to: [S].self) : problem.items.storage.map { S($0) }
        native = solver.kernel == .native
        variant = solver.variant.map { Swift.min($0, NativeKernelVariant.best) } ?? .best
        kp = S.nativePadding(variant, problem.width)
    }

    /// G = VᵀV (w × w, full symmetric), using OpenBLAS's own threads.
    func gram() -> [S] {
        var g = [S](repeating: 0, count: w * w)
        let n = problem.itemCount
        items.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { gp in
                if n > 0 { S.syrkTransposed(rows: n, k: w, alpha: 1, a: v.baseAddress!, lda: w, beta: 0, c: gp.baseAddress!, ldc: w) }
            }
        }
        symmetrizeFromUpper(&g, w)
        return g
    }

    func run() throws(SolverError) -> RidgeSolution {
        let m = problem.userCount
        let R = problem.interactions
        let needsGram = problem.objective.loss != .observed
        // Vᵀ t0: the dense loss's right-hand side from unobserved entries' targets.
        let background = problem.objective.loss == .dense ? problem.backgroundRightHandSide : [Double](repeating: 0, count: w)
        var X = [Double](repeating: 0, count: m * w)
        var flops = needsGram ? Double(problem.itemCount * w * (w + 1)) : 0
        if problem.objective.loss == .dense && problem.objective.regularization == .constant {
            flops += native ? try solveDenseSharedNative(background: background, X: &X) : try solveDenseShared(G: gram(), background: background, X: &X)
            return RidgeSolution(factors: DenseMatrix(rows: m, columns: w, storage: X), emptyUsers: emptyCount(), fallbackUsers: 0, flops: flops)
        }
        // The native kernels address the system matrix with leading dimension kp.
        let G: [S] = needsGram ? (native ? nativeGramMatrix(paddedItems()) : gram()) : []
        // Interleaved blocks of users over threads: balanced under power-law activity, and each
        // user's arithmetic is the same whatever thread runs it.
        let threads = Swift.min(solver.threads, Swift.max(1, m / 64))
        let block = 64
        var maxDegree = 0
        for u in 0..<m { maxDegree = Swift.max(maxDegree, R.degree(ofRow: u)) }
        var failures = [SolverError?](repeating: nil, count: threads)
        var fallbacks = [Int](repeating: 0, count: threads)
        var threadFlops = [Double](repeating: 0, count: threads)
        // The native gather reads item rows at random: from a huge-page copy.
        let rows = native ? HugePageBuffer(copying: items) : nil
        let shared = UnsafeSendable((self, G, background, maxDegree, rows))
        X.withUnsafeMutableBufferPointer { xp in
            let out = UnsafeSendable(xp.baseAddress!)
            failures.withUnsafeMutableBufferPointer { fp in
                let failuresOut = UnsafeSendable(fp.baseAddress!)
                fallbacks.withUnsafeMutableBufferPointer { cp in
                    let countsOut = UnsafeSendable(cp.baseAddress!)
                    threadFlops.withUnsafeMutableBufferPointer { flp in
                        let flopsOut = UnsafeSendable(flp.baseAddress!)
                        BLASThreads.singleThreaded {
                            DispatchQueue.concurrentPerform(iterations: threads) { t in
                                let (kernel, G, background, maxDegree, rows) = shared.value
                                var workspace = Workspace(w: kernel.w, kp: kernel.kp, maxDegree: maxDegree, native: kernel.native)
                                var blockStart = t * block
                                while blockStart < m {
                                    for u in blockStart..<Swift.min(blockStart + block, m) {
                                        do {
                                            let (usedFallback, f) = kernel.native
                                                ? try kernel.solveUserNative(u, G: G, background: background, rows: rows!.base, workspace: &workspace,
                                                                             out: out.value + u * kernel.w)
                                                : try kernel.solveUser(u, G: G, background: background, workspace: &workspace, out: out.value + u * kernel.w)
                                            if usedFallback { countsOut.value[t] += 1 }
                                            flopsOut.value[t] += f
                                        } catch {
                                            failuresOut.value[t] = error as? SolverError
                                            return
                                        }
                                    }
                                    blockStart += threads * block
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).min(by: { $0.row < $1.row }) { throw failure }
        return RidgeSolution(factors: DenseMatrix(rows: m, columns: w, storage: X), emptyUsers: emptyCount(),
                             fallbackUsers: fallbacks.reduce(0, +), flops: flops + threadFlops.reduce(0, +))
    }

    func emptyCount() -> Int {
        (0..<problem.userCount).filter { problem.interactions.degree(ofRow: $0) == 0 }.count
    }

    struct Workspace {
        var rows: [S]       // gathered (scaled) item rows, maxDegree × w
        var a: [S]          // system matrix, w × w
        var backup: [S]     // copy for the fallback
        var b: [S]          // right-hand side, w
        var rhs: [Double]   // right-hand side accumulated in Float64, w
        var scaled: [S]     // native: weighted copies of the gathered rows, maxDegree × kp
        var gramWeights: [Double]
        var rhsWeights: [Double]
        var inverse: [S]    // native: reciprocal pivots, w
        init(w: Int, kp: Int, maxDegree: Int, native: Bool) {
            let stride = native ? kp : w
            rows = [S](repeating: 0, count: Swift.max(1, maxDegree) * stride)
            a = [S](repeating: 0, count: stride * stride)
            backup = [S](repeating: 0, count: w * w)
            b = [S](repeating: 0, count: native ? kp : w)  // native: zero-padded to kp
            rhs = [Double](repeating: 0, count: w)
            scaled = native ? rows : []
            gramWeights = [Double](repeating: 0, count: native ? Swift.max(1, maxDegree) : 0)
            rhsWeights = gramWeights
            inverse = [S](repeating: 0, count: w)
        }
    }

    /// Builds and solves user u's system; returns whether the fallback was used and the flops.
    @inline(__always)
    func solveUser(_ u: Int, G: [S], background: [Double], workspace ws: inout Workspace,
                   out: UnsafeMutablePointer<Double>) throws(SolverError) -> (Bool, Double) {
        let R = problem.interactions
        let objective = problem.objective
        let range = R.range(ofRow: u)
        let count = range.count
        if count == 0 && objective.loss == .observed {
            for c in 0..<w { out[c] = 0 }
            return (false, 0)
        }
        let lambdaU = objective.lambda(forCount: count)
        var flops = 0.0
        let mean = problem.mean
        let itemBias = problem.itemBias
        let w = self.w
        // b accumulates in Float64 whatever the kernel precision; its buffer is the
        // workspace's, moved out and back so no user allocates.
        var b: [Double] = []
        swap(&b, &ws.rhs)
        for c in 0..<w { b[c] = background[c] }
        var bS = ws.b
        ws.b = []
        items.withUnsafeBufferPointer { V in
            ws.rows.withUnsafeMutableBufferPointer { rows in
                ws.a.withUnsafeMutableBufferPointer { a in
                    switch objective.loss {
                    case .observed:
                        var t = 0
                        for p in range {
                            let j = Int(R.indices[p])
                            let target = R.values[p] - mean - (itemBias?[j] ?? 0)
                            for c in 0..<w {
                                let v = V[j * w + c]
                                rows[t * w + c] = v
                                b[c] += target * Double(v)
                            }
                            t += 1
                        }
                        S.syrkTransposed(rows: count, k: w, alpha: 1, a: rows.baseAddress!, lda: w, beta: 0, c: a.baseAddress!, ldc: w)
                        flops += Double(count * w * (w + 1))
                    case .dense:
                        for c in 0..<(w * w) { a[c] = G[c] }
                        for p in range {
                            let j = Int(R.indices[p])
                            let r = R.values[p]
                            for c in 0..<w { b[c] += r * Double(V[j * w + c]) }
                        }
                    case .implicit:
                        for c in 0..<(w * w) { a[c] = G[c] }
                        // A += Σ (c_i − 1) v_i v_iᵀ: rows scaled by √|c_i − 1|, positive weights
                        // from the top of the buffer, negative ones from the bottom.
                        var top = 0, bottom = count
                        for p in range {
                            let j = Int(R.indices[p])
                            let r = R.values[p]
                            let confidence = objective.confidenceWeight(r)
                            let preference: Double = r > 0 ? 1 : 0
                            let weight = confidence - 1
                            let scale = S(abs(weight).squareRoot())
                            let slot: Int
                            if weight >= 0 { slot = top; top += 1 } else { bottom -= 1; slot = bottom }
                            for c in 0..<w {
                                let v = V[j * w + c]
                                rows[slot * w + c] = scale * v
                                b[c] += confidence * preference * Double(v)
                            }
                        }
                        if top > 0 {
                            S.syrkTransposed(rows: top, k: w, alpha: 1, a: rows.baseAddress!, lda: w, beta: 1, c: a.baseAddress!, ldc: w)
                        }
                        if bottom < count {
                            S.syrkTransposed(rows: count - bottom, k: w, alpha: -1, a: rows.baseAddress! + bottom * w, lda: w, beta: 1, c: a.baseAddress!, ldc: w)
                        }
                        flops += Double(count * w * (w + 1))
                    }
                    for c in 0..<w where problem.isRegularized(c) { a[c * w + c] += S(lambdaU) }
                    for c in 0..<w { bS[c] = S(b[c]) }
                }
            }
        }
        swap(&b, &ws.rhs)
        ws.b = bS
        flops += Double(w * w * w) / 3 + 2 * Double(w * w)
        if solver.fallback == .lstsq { ws.backup = ws.a }
        let info = ws.a.withUnsafeMutableBufferPointer { cholesky(w, $0.baseAddress!) }
        if info != 0 {
            guard solver.fallback == .lstsq else {
                throw SolverError.notPositiveDefinite(user: solver.userIDs?.ids[u] ?? String(u), row: u,
                                                      interactions: count, lambda: lambdaU, k: problem.k)
            }
            let x = SymmetricEigen.pseudoSolve(n: w, a: ws.backup, b: ws.b)
            for c in 0..<w { out[c] = Double(x[c]) }
            return (true, flops + 4 * Double(w * w * w))
        }
        _ = ws.a.withUnsafeBufferPointer { a in ws.b.withUnsafeMutableBufferPointer { S.potrs(n: w, nrhs: 1, a: a.baseAddress!, b: $0.baseAddress!) } }
        for c in 0..<w { out[c] = Double(ws.b[c]) }
        return (false, flops)
    }

    /// User u's system built and solved with mftool's own kernels: the same equations as
    /// ``solveUser(_:G:background:workspace:out:)``, with A = G + Σ_t w_t v_t v_tᵀ accumulated in
    /// registers (no per-user BLAS call) and a Cholesky factorization that stays in cache.
    @inline(__always)
    func solveUserNative(_ u: Int, G: [S], background: [Double], rows V: UnsafePointer<S>, workspace ws: inout Workspace,
                         out: UnsafeMutablePointer<Double>) throws(SolverError) -> (Bool, Double) {
        let R = problem.interactions
        let objective = problem.objective
        let range = R.range(ofRow: u)
        let count = range.count
        if count == 0 && objective.loss == .observed {
            for c in 0..<w { out[c] = 0 }
            return (false, 0)
        }
        let lambdaU = objective.lambda(forCount: count)
        let w = self.w, kp = self.kp
        let mean = problem.mean
        let itemBias = problem.itemBias
        var flops = 0.0
        // Per-entry weights: the Gram weight (observed: 1; implicit: c − 1) and the right-hand
        // side's (observed: the target; dense: the value; implicit: c·p).
        var t = 0
        for p in range {
            let r = R.values[p]
            switch objective.loss {
            case .observed:
                ws.rhsWeights[t] = r - mean - (itemBias?[Int(R.indices[p])] ?? 0)
            case .dense:
                ws.rhsWeights[t] = r
            case .implicit:
                let confidence = objective.confidenceWeight(r)
                ws.gramWeights[t] = confidence - 1
                ws.rhsWeights[t] = r > 0 ? confidence : 0
            }
            t += 1
        }
        for c in 0..<w { ws.rhs[c] = background[c] }
        let implicit = objective.loss == .implicit
        R.indices.withUnsafeBufferPointer { indices in
            ws.rows.withUnsafeMutableBufferPointer { x in
                ws.scaled.withUnsafeMutableBufferPointer { y in
                    ws.gramWeights.withUnsafeBufferPointer { gw in
                        ws.rhsWeights.withUnsafeBufferPointer { rw in
                            ws.rhs.withUnsafeMutableBufferPointer { b in
                                S.nativeGather(variant, k: w, kp: kp, count: count, v: V, indices: indices.baseAddress! + range.lowerBound,
                                               gramWeights: implicit ? gw.baseAddress : nil, rhsWeights: rw.baseAddress,
                                               x: x.baseAddress!, y: implicit ? y.baseAddress : nil, b: b.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        ws.a.withUnsafeMutableBufferPointer { a in
            if objective.loss == .dense {
                _ = a.update(fromContentsOf: G)
            } else {
                // A = G + Σ w_t v_t v_tᵀ (implicit) or Σ v_t v_tᵀ (observed), stored once.
                ws.rows.withUnsafeBufferPointer { x in
                    ws.scaled.withUnsafeBufferPointer { y in
                        G.withUnsafeBufferPointer { g in
                            S.nativeGram(variant, kp: kp, ldx: kp, count: count, x: x.baseAddress!, y: implicit ? y.baseAddress : nil,
                                         base: implicit ? g.baseAddress : nil, a: a.baseAddress!)
                        }
                    }
                }
                flops += Double(count * w * (w + 1))
            }
            for c in 0..<w where problem.isRegularized(c) { a[c * kp + c] += S(lambdaU) }
        }
        for c in 0..<w { ws.b[c] = S(ws.rhs[c]) }
        flops += Double(w * w * w) / 3 + 2 * Double(w * w)
        if solver.fallback == .lstsq {
            for i in 0..<w { for j in i..<w { ws.backup[i * w + j] = ws.a[i * kp + j]; ws.backup[j * w + i] = ws.a[i * kp + j] } }
        }
        let info = ws.a.withUnsafeMutableBufferPointer { a in
            ws.inverse.withUnsafeMutableBufferPointer { nativeFactor(a.baseAddress!, inverse: $0.baseAddress!) }
        }
        if info != 0 {
            guard solver.fallback == .lstsq else {
                throw SolverError.notPositiveDefinite(user: solver.userIDs?.ids[u] ?? String(u), row: u,
                                                      interactions: count, lambda: lambdaU, k: problem.k)
            }
            let x = SymmetricEigen.pseudoSolve(n: w, a: ws.backup, b: ws.b)
            for c in 0..<w { out[c] = Double(x[c]) }
            return (true, flops + 4 * Double(w * w * w))
        }
        ws.a.withUnsafeBufferPointer { a in
            ws.inverse.withUnsafeBufferPointer { inverse in
                ws.b.withUnsafeMutableBufferPointer { S.nativeSolve(variant, k: w, lda: kp, u: a.baseAddress!, inverse: inverse.baseAddress!, b: $0.baseAddress!) }
            }
        }
        for c in 0..<w { out[c] = Double(ws.b[c]) }
        return (false, flops)
    }

    /// The items padded to rows of kp (zeros beyond w), for the native kernels.
    func paddedItems() -> [S] {
        let n = problem.itemCount
        var out = [S](repeating: 0, count: n * kp)
        out.withUnsafeMutableBufferPointer { o in
            items.withUnsafeBufferPointer { v in
                if n > 0 { S.packRows(k: w, kp: kp, count: n, v: v.baseAddress!, ldv: w, out: o.baseAddress!) }
            }
        }
        return out
    }

    /// The native Cholesky of the w × w system in `a` (leading dimension kp), refusing it, as
    /// `cholesky` does, when a pivot falls below w·ε·max A_cc (singular to working precision);
    /// `inverse` receives the reciprocals of the factor's diagonal. Returns 0 or the failure code.
    func nativeFactor(_ a: UnsafeMutablePointer<S>, inverse: UnsafeMutablePointer<S>) -> Int {
        var largest: S = 0
        for c in 0..<w { largest = Swift.max(largest, a[c * kp + c]) }
        return S.nativeCholesky(variant, k: w, lda: kp, a: a, threshold: S(w) * S.ulpOfOne * largest, inverse: inverse)
    }

    /// G = VᵀV from padded items with the native Gram kernel: kp × kp, upper tiles (the region
    /// every native kernel reads).
    func nativeGramMatrix(_ padded: [S]) -> [S] {
        var g = [S](repeating: 0, count: kp * kp)
        padded.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { S.nativeGram(variant, kp: kp, ldx: kp, count: problem.itemCount, x: v.baseAddress!, y: nil, base: nil, a: $0.baseAddress!) }
        }
        return g
    }
}

/// Cholesky factorization that also refuses numerically singular matrices: LAPACK's potrf can
/// succeed on an exactly rank-deficient Gram matrix thanks to rounding, leaving pivots of the
/// order of ε·‖A‖ that would give huge, meaningless factors. Returns 0 or a positive failure code.
@inline(__always)
func cholesky<S: LinearAlgebraScalar>(_ n: Int, _ a: UnsafeMutablePointer<S>) -> Int {
    var largest: S = 0
    for c in 0..<n { largest = Swift.max(largest, a[c * n + c]) }
    let info = S.potrf(n: n, a: a)
    if info != 0 { return info }
    // A pivot L_cc² below n·ε·max A_cc means A is singular to working precision.
    let threshold = S(n) * S.ulpOfOne * largest
    for c in 0..<n where a[c * n + c] * a[c * n + c] <= threshold { return c + 1 }
    return 0
}

extension SolverError {
    var row: Int {
        if case let .notPositiveDefinite(_, row, _, _, _) = self { return row }
        return -1
    }
}

/// Fills the lower triangle (row-major) of a square matrix from its upper triangle.
func symmetrizeFromUpper<S>(_ a: inout [S], _ n: Int) {
    for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
}

/// Wraps a value for a `@Sendable` closure whose concurrent accesses are disjoint by construction.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
