import Dispatch
import Matrices

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Users that share one system matrix (``ObjectiveTerms/sharesSystemMatrix``: the dense loss
/// with a constant λ): one factorization of VᵀV + λI serves every user, so the work is the
/// right-hand sides R·V and the triangular solves.
extension RidgeKernel {
    /// The shared system on the native kernels, as one pool of tasks dealt to the threads in
    /// order (``SharedSystemTasks``). A factorization failure is handed to the LAPACK path,
    /// which reports or falls back.
    func solveSharedNative(background: [Double], X: inout [Double]) throws(SolverError) -> Double {
        let m = problem.userCount
        let R = problem.interactions
        let tasks = SharedSystemTasks(kernel: self, background: background)
        let threads = Swift.min(solver.threads, Swift.max(1, R.nnz * w / (1 << 18)), Swift.max(1, tasks.blocks))
        X.withUnsafeMutableBufferPointer { xp in
            R.withPointers { csr in
                items.withUnsafeBufferPointer { itemsp in
                    let pointers = UnsafeSendable((xp.baseAddress!, csr, itemsp.baseAddress!))
                    SharedSystemTasks<S>.runPlaced(threads: threads) { t in
                        let (X, csr, items) = pointers.value
                        tasks.work(thread: t, X: X, R: csr, items: items)
                    }
                }
            }
        }
        if tasks.factor.state != .ready { return try solveShared(G: matrix.gram(), background: background, X: &X) }
        return Double(w * w * w) / 3 + 2 * Double(R.nnz * w) + 2 * Double(m * w * w)
    }

    /// The shared system by BLAS and LAPACK: G + λI factorized once, B = R V + 1·(Vᵀt0)ᵀ as m
    /// right-hand sides stored as rows, then potrs for all of them.
    func solveShared(G: [S], background: [Double], X: inout [Double]) throws(SolverError) -> Double {
        let m = problem.userCount
        let lambda = terms.sharedLambda
        var a = G
        problem.addRegularization(S(lambda), to: &a, stride: w)
        let info = a.withUnsafeMutableBufferPointer { cholesky(w, $0.baseAddress!) }
        var (B, flops) = rightHandSides()
        flops += Double(w * w * w) / 3
        if terms.hasBackgroundTarget {
            for u in 0..<m { for c in 0..<w { B[u * w + c] += S(background[c]) } }
        }
        if info != 0 {
            guard solver.fallback == .lstsq else {
                let R = problem.interactions
                throw SolverError.notPositiveDefinite(user: solver.userIDs?.ids.first ?? "0", row: 0,
                                                      interactions: R.degree(ofRow: 0), lambda: lambda, k: problem.k)
            }
            var ga = G
            problem.addRegularization(S(lambda), to: &ga, stride: w)
            for u in 0..<m {
                let x = SymmetricEigen.pseudoSolve(n: w, a: ga, b: Array(B[(u * w)..<((u + 1) * w)]))
                for c in 0..<w { X[u * w + c] = Double(x[c]) }
            }
            return flops
        }
        _ = a.withUnsafeBufferPointer { ap in B.withUnsafeMutableBufferPointer { S.potrs(n: w, nrhs: m, a: ap.baseAddress!, b: $0.baseAddress!) } }
        flops += 2 * Double(m * w * w)
        for c in 0..<(m * w) { X[c] = Double(B[c]) }
        return flops
    }

    /// B = R·V (m × w) by BLAS: by GEMM on blocks of densified rows when R is denser than 5%,
    /// else row by row. Returns B and its flops.
    func rightHandSides() -> ([S], Double) {
        let m = problem.userCount, n = problem.itemCount
        let R = problem.interactions
        var B = [S](repeating: 0, count: m * w)
        let density = Double(R.nnz) / Swift.max(1, Double(m) * Double(n))
        guard density > 0.05 && m > 0 && n > 0 else {
            for u in 0..<m {
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    let r = S(R.values[p])
                    for c in 0..<w { B[u * w + c] += r * items[j * w + c] }
                }
            }
            return (B, 2 * Double(R.nnz * w))
        }
        let blockRows = Swift.max(1, Swift.min(m, (8 << 20) / Swift.max(1, n * MemoryLayout<S>.size)))
        var dense = [S](repeating: 0, count: blockRows * n)
        var u0 = 0
        while u0 < m {
            let rowsHere = Swift.min(blockRows, m - u0)
            for c in 0..<(rowsHere * n) { dense[c] = 0 }
            for u in u0..<(u0 + rowsHere) {
                for p in R.range(ofRow: u) { dense[(u - u0) * n + Int(R.indices[p])] = S(R.values[p]) }
            }
            dense.withUnsafeBufferPointer { d in
                items.withUnsafeBufferPointer { v in
                    B.withUnsafeMutableBufferPointer { bp in
                        S.gemm(m: rowsHere, n: w, k: n, alpha: 1, a: d.baseAddress!, lda: n, b: v.baseAddress!, ldb: w,
                               beta: 0, c: bp.baseAddress! + u0 * w, ldc: w)
                    }
                }
            }
            u0 += rowsHere
        }
        return (B, 2 * Double(m) * Double(n) * Double(w))
    }
}
