import Dispatch
import Matrices

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dense loss with a constant λ: one factorization of VᵀV + λI serves every user, so the
/// work is the right-hand sides R·V and the triangular solves.
extension RidgeKernel {
    /// The dense loss with constant λ on the native kernels, as one pool of tasks dealt to the
    /// threads in order: first copying V into rows padded to whole vectors, then factorizing
    /// VᵀV + λI from that copy while it is in cache; then, for each block of 48 users, B = R·V
    /// (``multiplyRows(_:indptr:indices:values:padded:ldv:into:rows:)``) and the triangular
    /// solves. The other threads take the first blocks as soon as the copy is published, while
    /// the factorization runs; a block multiplied before the factor is published waits, in its
    /// thread, until it is. Each user's arithmetic does not depend on the thread that runs it.
    /// A factorization failure is handed to the LAPACK path, which reports or falls back.
    func solveDenseSharedNative(background: [Double], X: inout [Double]) throws(SolverError) -> Double {
        let m = problem.userCount, n = problem.itemCount
        let R = problem.interactions
        // 48 users: eight of the dense kernel's 6-row tiles and three 16-user passes of the
        // triangular solves. Blocks of 64 left the threads less evenly loaded at the end: on the
        // seed problem the median was 1.25–1.3× that of blocks of 24 to 48 (alternating runs).
        let block = 48
        let blocks = (m + block - 1) / block
        let threads = Swift.min(solver.threads, Swift.max(1, R.nnz * w / (1 << 18)), Swift.max(1, blocks))
        // The products and the Gram matrix read V with rows padded to whole vectors only: the
        // dense kernel ran slower on rows padded to kp (the Gram kernel's tiles), 512 bytes apart
        // in double, and read unpadded (rows split across cache lines) slower still.
        let ldv = S.nativeVectorPadding(variant, w)
        let padded = SharedBuffer<S>(count: Swift.max(1, n) * ldv)
        let factor = SharedBuffer<S>(count: kp * kp + kp)   // the factor, then its diagonal's reciprocals
        let pool = TaskPool()
        let shared = UnsafeSendable((self, background, padded, factor, pool))
        let caller = UnsafeSendable(pthread_self()), callerCPU = ThreadPlacement.currentCPU
        X.withUnsafeMutableBufferPointer { xp in
            R.indptr.withUnsafeBufferPointer { indptr in
                R.indices.withUnsafeBufferPointer { indices in
                    R.values.withUnsafeBufferPointer { values in
                        items.withUnsafeBufferPointer { itemsp in
                            let pointers = UnsafeSendable((xp.baseAddress!, indptr.baseAddress!, indices.baseAddress!, values.baseAddress!,
                                                           itemsp.baseAddress!))
                            let solveBlocks: @Sendable (Int) -> Void = { _ in
                                let (kernel, background, padded, factor, pool) = shared.value
                                let (X, indptr, indices, values, items) = pointers.value
                                let (w, kp) = (kernel.w, kernel.kp)
                                let (a, inverse) = (UnsafePointer(factor.base), UnsafePointer(factor.base + kp * kp))
                                var solveWork = [S](repeating: 0, count: 32 * kp)
                                var rows: [Double] = []   // densified rows (multiplyRows)
                                // The block in hand's B = R·V (row r for user u0 + r), and the blocks
                                // multiplied before the factor was published with theirs.
                                var product = [S](repeating: 0, count: block * kp)
                                var waiting: [(block: Int, product: [S])] = []
                                func solve(_ b: Int, _ product: inout [S]) {
                                    let u0 = b * block, u1 = Swift.min(m, u0 + block)
                                    product.withUnsafeMutableBufferPointer { p in
                                        let B = p.baseAddress!
                                        if kernel.problem.hasBackground {
                                            for r in 0..<(u1 - u0) { for c in 0..<w { B[r * kp + c] += S(background[c]) } }
                                        }
                                        solveWork.withUnsafeMutableBufferPointer {
                                            S.nativeSolveMany(kernel.variant, k: w, lda: kp, u: a, inverse: inverse, count: u1 - u0,
                                                              b: B, ldb: kp, work: $0.baseAddress!)
                                        }
                                        for r in 0..<(u1 - u0) { for c in 0..<w { X[(u0 + r) * w + c] = Double(B[r * kp + c]) } }
                                    }
                                }
                                while true {
                                    let task = pool.next()
                                    if task > blocks { break }
                                    if task == 0 {
                                        if n > 0 { S.packRows(k: w, kp: ldv, count: n, v: items, ldv: w, out: padded.base) }
                                        padded.publish(.ready)
                                        let factored = kernel.factorGram(padded: padded.base, ldv: ldv, into: factor.base)
                                        factor.publish(factored ? .ready : .failed)
                                        continue
                                    }
                                    _ = padded.waitForState()
                                    let b = task - 1
                                    let u0 = b * block, u1 = Swift.min(m, u0 + block)
                                    product.withUnsafeMutableBufferPointer { p in
                                        indptr.withMemoryRebound(to: Int64.self, capacity: m + 1) { ip in
                                            kernel.multiplyRows(u0..<u1, indptr: ip, indices: indices, values: values, padded: padded.base,
                                                                ldv: ldv, into: p.baseAddress!, rows: &rows)
                                        }
                                    }
                                    switch factor.state {
                                    case .ready: solve(b, &product)
                                    case .failed: break
                                    case .pending: waiting.append((b, product))   // the next block's product goes to a copy
                                    }
                                }
                                if !waiting.isEmpty && factor.waitForState() == .ready {
                                    for i in waiting.indices { solve(waiting[i].block, &waiting[i].product) }
                                }
                            }
                            // The caller yields its CPU once, and a helper woken onto it moves away
                            // (ThreadPlacement): otherwise such a helper waited until the caller had
                            // done every block, in a process's first solve.
                            let placed: @Sendable (Int) -> Void = { t in
                                if pthread_equal(pthread_self(), caller.value) != 0 {
                                    ThreadPlacement.yieldOnce()
                                    solveBlocks(t)
                                } else {
                                    ThreadPlacement.avoiding(cpu: callerCPU) { solveBlocks(t) }
                                }
                            }
                            if threads > 1 { DispatchQueue.concurrentPerform(iterations: threads, execute: placed) } else { solveBlocks(0) }
                        }
                    }
                }
            }
        }
        if factor.state != .ready { return try solveDenseShared(G: gram(), background: background, X: &X) }
        return Double(w * w * w) / 3 + 2 * Double(R.nnz * w) + 2 * Double(m * w * w)
    }

    /// G = VᵀV + λI into `a` (kp × kp, then kp reciprocals of the factor's diagonal) from V's
    /// rows padded to ldv (`nativeVectorPadding`), factorized in place by the native Cholesky;
    /// returns whether it succeeded. The sums are those of the Gram kernel on rows padded to kp.
    func factorGram(padded: UnsafePointer<S>, ldv: Int, into a: UnsafeMutablePointer<S>) -> Bool {
        S.nativeGram(variant, kp: kp, ldx: ldv, count: problem.itemCount, x: padded, y: nil, base: nil, a: a)
        for c in 0..<w where problem.isRegularized(c) { a[c * kp + c] += S(problem.objective.lambda) }
        return nativeFactor(a, inverse: a + kp * kp) == 0
    }

    /// B = R·V for the rows `users` (B's row r for user users.lowerBound + r; V's rows ldv apart,
    /// padded to whole vectors; B's padded to kp), in blocks of 64 rows: blocks whose rows are
    /// at least a quarter full by the dense kernel in register tiles (rows densified 12 at a
    /// time into `rows` unless they are complete already), the others by the sparse kernel. The
    /// choice depends on the block alone, so the arithmetic does not depend on the caller's
    /// threads.
    func multiplyRows(_ users: Range<Int>, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>, values: UnsafePointer<Double>,
                      padded V: UnsafePointer<S>, ldv: Int, into B: UnsafeMutablePointer<S>, rows: inout [Double]) {
        let n = problem.itemCount
        let first = users.lowerBound
        var u0 = first
        while u0 < users.upperBound {
            let u1 = Swift.min(u0 + 64, users.upperBound)
            if n > 0 && Int(indptr[u1] - indptr[u0]) == (u1 - u0) * n {
                // Complete rows: the block in one call, read in place.
                S.nativeDenseMM(variant, rows: u1 - u0, n: n, k: w, d: values + Int(indptr[u0]), ldd: n, v: V, ldv: ldv, b: B + (u0 - first) * kp, ldb: kp)
            } else if n > 0 && Int(indptr[u1] - indptr[u0]) * 4 >= (u1 - u0) * n {
                var s = u0
                while s < u1 {
                    let e = Swift.min(s + 12, u1)
                    if Int(indptr[e] - indptr[s]) == (e - s) * n {
                        S.nativeDenseMM(variant, rows: e - s, n: n, k: w, d: values + Int(indptr[s]), ldd: n, v: V, ldv: ldv, b: B + (s - first) * kp, ldb: kp)
                    } else {
                        if rows.count < 12 * n { rows = [Double](repeating: 0, count: 12 * n) }
                        rows.withUnsafeMutableBufferPointer { d in
                            for c in 0..<((e - s) * n) { d[c] = 0 }
                            for u in s..<e {
                                for p in Int(indptr[u])..<Int(indptr[u + 1]) { d[(u - s) * n + Int(indices[p])] = values[p] }
                            }
                            S.nativeDenseMM(variant, rows: e - s, n: n, k: w, d: d.baseAddress!, ldd: n, v: V, ldv: ldv, b: B + (s - first) * kp, ldb: kp)
                        }
                    }
                    s = e
                }
            } else {
                S.nativeSpmm(variant, rows: u1 - u0, k: w, ldv: ldv, indptr: indptr + u0, indices: indices, values: values,
                             v: V, b: B + (u0 - first) * kp, ldb: kp)
            }
            u0 = u1
        }
    }

    /// The dense loss with constant λ: one factorization of G + λI serves every user.
    func solveDenseShared(G: [S], background: [Double], X: inout [Double]) throws(SolverError) -> Double {
        let m = problem.userCount, n = problem.itemCount
        let R = problem.interactions
        var a = G
        for c in 0..<w where problem.isRegularized(c) { a[c * w + c] += S(problem.objective.lambda) }
        let info = a.withUnsafeMutableBufferPointer { cholesky(w, $0.baseAddress!) }
        // B = R V + 1·(Vᵀt0)ᵀ, as m right-hand sides stored as rows.
        var B = [S](repeating: 0, count: m * w)
        var flops = Double(w * w * w) / 3
        let density = Double(R.nnz) / Swift.max(1, Double(m) * Double(n))
        if density > 0.05 && m > 0 && n > 0 {
            // Dense enough for GEMM: densify R in blocks of users.
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
            flops += 2 * Double(m) * Double(n) * Double(w)
        } else {
            for u in 0..<m {
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    let r = S(R.values[p])
                    for c in 0..<w { B[u * w + c] += r * items[j * w + c] }
                }
            }
            flops += 2 * Double(R.nnz * w)
        }
        if problem.hasBackground {
            for u in 0..<m { for c in 0..<w { B[u * w + c] += S(background[c]) } }
        }
        if info != 0 {
            guard solver.fallback == .lstsq else {
                throw SolverError.notPositiveDefinite(user: solver.userIDs?.ids.first ?? "0", row: 0,
                                                      interactions: R.degree(ofRow: 0), lambda: problem.objective.lambda, k: problem.k)
            }
            var b = [S](repeating: 0, count: w)
            var ga = G
            for c in 0..<w where problem.isRegularized(c) { ga[c * w + c] += S(problem.objective.lambda) }
            for u in 0..<m {
                for c in 0..<w { b[c] = B[u * w + c] }
                let x = SymmetricEigen.pseudoSolve(n: w, a: ga, b: b)
                for c in 0..<w { X[u * w + c] = Double(x[c]) }
            }
            return flops
        }
        _ = a.withUnsafeBufferPointer { ap in B.withUnsafeMutableBufferPointer { S.potrs(n: w, nrhs: m, a: ap.baseAddress!, b: $0.baseAddress!) } }
        flops += 2 * Double(m * w * w)
        for c in 0..<(m * w) { X[c] = Double(B[c]) }
        return flops
    }
}
