import Dispatch
import Foundation
import Matrices

/// The objective's value and gradient for many evaluations at different X, with everything that
/// does not depend on X computed once: G = VᵀV, and for the dense loss B = R V + 1 (Vᵀt0)ᵀ and
/// ‖t_u‖². Each evaluation is then a GEMM (X·G) plus, for the observed and implicit losses, one
/// pass over the interactions; the m × n matrix is never formed.
struct FullBatchObjective {
    let problem: RidgeProblem
    let G: [Double]
    let B: [Double]          // dense: m × w right-hand sides
    let targetNorms: [Double] // dense: ‖t_u‖² per user

    init(_ problem: RidgeProblem) {
        self.problem = problem
        let kernel = RidgeKernel<Double>(problem: problem, solver: RidgeSolver(threads: 1))
        G = problem.objective.loss == .observed ? [] : kernel.gram()
        let m = problem.userCount, w = problem.width
        if problem.objective.loss == .dense {
            let R = problem.interactions
            let t0 = problem.backgroundTargets
            let background = problem.backgroundRightHandSide
            let t0Norm = t0.reduce(0) { $0 + $1 * $1 }
            // R·V by the native kernels on padded rows.
            let kp = kernel.kp
            let padded = kernel.paddedItems()
            var product = [Double](repeating: 0, count: Swift.max(1, m) * kp)
            if m > 0 {
                var rows: [Double] = []
                R.indptr.withUnsafeBufferPointer { ip in
                    ip.baseAddress!.withMemoryRebound(to: Int64.self, capacity: m + 1) { indptr in
                        kernel.multiplyRows(0..<m, indptr: indptr, indices: R.indices, values: R.values, padded: padded, ldv: kp,
                                            into: &product, rows: &rows)
                    }
                }
            }
            var b = [Double](repeating: 0, count: m * w)
            var norms = [Double](repeating: t0Norm, count: m)
            for u in 0..<m {
                for c in 0..<w { b[u * w + c] = background[c] + product[u * kp + c] }
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    let r = R.values[p]
                    norms[u] += (t0[j] + r) * (t0[j] + r) - t0[j] * t0[j]
                }
            }
            B = b
            targetNorms = norms
        } else {
            B = []
            targetNorms = []
        }
    }

    /// The summed objective at X and its gradient (written to `gradient`, m × w).
    func evaluate(_ X: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
        let m = problem.userCount, w = problem.width
        let R = problem.interactions
        let objective = problem.objective
        multiplyByGram(X, into: gradient)
        let shared = UnsafeSendable((self, X, gradient))
        return FullBatchObjective.sumOverBlocks(users: m, work: R.nnz * w + m * w) { users in
            let (objective, X, gradient) = shared.value
            return objective.evaluateUsers(users, X, gradient: gradient)
        }
    }

    /// out = X·G (m × w) for the dense and implicit losses, zero for the observed loss.
    func multiplyByGram(_ X: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let m = problem.userCount, w = problem.width
        guard problem.objective.loss != .observed && m > 0 else {
            for c in 0..<(m * w) { out[c] = 0 }
            return
        }
        // Small products on one thread: OpenBLAS's idle threads would otherwise spin on the
        // cores the next step needs.
        let product = {
            G.withUnsafeBufferPointer { g in
                Double.gemm(m: m, n: w, k: w, alpha: 1, a: X, lda: w, b: g.baseAddress!, ldb: w, beta: 0, c: out, ldc: w)
            }
        }
        if m * w * w < 1 << 22 { BLASThreads.singleThreaded(product) } else { product() }
    }

    /// The objective terms of `users` (value returned, gradient rows written), after the
    /// gradient rows were set to X·G (or zero).
    func evaluateUsers(_ users: Range<Int>, _ X: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
        let w = problem.width
        let R = problem.interactions
        let objective = problem.objective
        var value = 0.0
        let mean = problem.mean
        let itemBias = problem.itemBias
        problem.items.storage.withUnsafeBufferPointer { Vp in
            let V = Vp.baseAddress!
            for u in users {
                let x = X + u * w
                let g = gradient + u * w
                switch objective.loss {
                case .dense:
                    // f_u = ‖t_u‖² − 2 x·b_u + x·Gx;  ∇ = 2 (Gx − b_u)
                    var xGx = 0.0, xb = 0.0
                    for c in 0..<w { xGx += x[c] * g[c]; xb += x[c] * B[u * w + c] }
                    value += targetNorms[u] - 2 * xb + xGx
                    for c in 0..<w { g[c] -= B[u * w + c] }
                case .implicit:
                    var xGx = 0.0
                    for c in 0..<w { xGx += x[c] * g[c] }
                    value += xGx
                    for p in R.range(ofRow: u) {
                        let v = V + Int(R.indices[p]) * w
                        var prediction = 0.0
                        for c in 0..<w { prediction += x[c] * v[c] }
                        let r = R.values[p]
                        let confidence = objective.confidenceWeight(r)
                        let preference: Double = r > 0 ? 1 : 0
                        let e = preference - prediction
                        value += confidence * e * e - prediction * prediction
                        let coefficient = (confidence - 1) * prediction - confidence * preference
                        for c in 0..<w { g[c] += coefficient * v[c] }
                    }
                case .observed:
                    for p in R.range(ofRow: u) {
                        let j = Int(R.indices[p])
                        let v = V + j * w
                        var prediction = 0.0
                        for c in 0..<w { prediction += x[c] * v[c] }
                        let e = R.values[p] - mean - (itemBias?[j] ?? 0) - prediction
                        value += e * e
                        for c in 0..<w { g[c] -= e * v[c] }
                    }
                }
                let lambdaU = objective.lambda(forCount: R.degree(ofRow: u))
                for c in 0..<w {
                    let regularized = problem.isRegularized(c)
                    if regularized { value += lambdaU * x[c] * x[c] }
                    g[c] = 2 * g[c] + (regularized ? 2 * lambdaU * x[c] : 0)
                }
            }
        }
        return value
    }

    /// Users in fixed blocks, each block's terms summed on its own (`body`) and the blocks added
    /// in order: the same arithmetic whether one thread or several run the blocks.
    static func sumOverBlocks(users m: Int, work: Int, _ body: @escaping @Sendable (Range<Int>) -> Double) -> Double {
        let block = 2048
        let blocks = (m + block - 1) / block
        var partials = [Double](repeating: 0, count: blocks)
        let threads = work > 1 << 21 ? Swift.min(ProcessInfo.processInfo.activeProcessorCount, blocks) : 1
        partials.withUnsafeMutableBufferPointer { out in
            let shared = UnsafeSendable(out.baseAddress!)
            let run: @Sendable (Int) -> Void = { t in
                var b = t
                while b < blocks {
                    shared.value[b] = body(b * block..<Swift.min(m, (b + 1) * block))
                    b += threads
                }
            }
            if threads > 1 { DispatchQueue.concurrentPerform(iterations: threads, execute: run) } else { run(0) }
        }
        return partials.reduce(0, +)
    }
}
