import Dispatch
import Foundation
import Matrices

/// The objective's value and gradient at many X, with everything that does not depend on X
/// computed once: G = VᵀV, and for the dense loss B = R V + 1 (Vᵀt0)ᵀ and ‖t_u‖². Each
/// evaluation is then a GEMM (X·G) plus, for the observed and implicit losses, one pass over the
/// interactions; the m × n matrix is never formed. The per-entry terms are those of
/// ``ObjectiveTerms``.
struct ObjectiveEvaluator: Sendable {
    let problem: RidgeProblem
    let terms: ObjectiveTerms
    /// c0·VᵀV.
    let G: [Double]
    /// Dense loss: the right-hand sides b_u (m × w).
    let B: [Double]
    /// Dense loss: ‖t_u‖² over all items, per user.
    let targetNorms: [Double]

    /// `gram`, when given, is VᵀV as ``ItemMatrix/gram()`` computes it.
    init(_ problem: RidgeProblem, gram: [Double]? = nil) {
        self.problem = problem
        terms = problem.terms
        let matrix = ItemMatrix<Double>(problem.items)
        let c0 = terms.backgroundWeight
        let vtv = terms.hasBackground ? gram ?? matrix.gram() : []
        G = c0 == 1 ? vtv : vtv.map { c0 * $0 }
        if terms.rhsWeightsAreValues {
            (B, targetNorms) = ObjectiveEvaluator.denseSums(problem, matrix)
        } else {
            B = []
            targetNorms = []
        }
    }

    /// The dense loss's b_u = R V + Vᵀt0 and ‖t_u‖² = ‖t0‖² + Σ_{i∈Ω_u} ((t0_i + r)² − t0_i²).
    static func denseSums(_ problem: RidgeProblem, _ matrix: ItemMatrix<Double>) -> (B: [Double], norms: [Double]) {
        let m = problem.userCount, w = problem.width, kp = matrix.kp
        let R = problem.interactions
        let terms = problem.terms
        let t0 = (0..<problem.itemCount).map { terms.backgroundTarget(item: $0) }
        let background = problem.backgroundRightHandSide
        let t0Norm = t0.reduce(0) { $0 + $1 * $1 }
        var product = [Double](repeating: 0, count: Swift.max(1, m) * kp)
        if m > 0 {
            let padded = matrix.padded()
            var rows: [Double] = []
            R.withPointers { csr in
                padded.withUnsafeBufferPointer { V in
                    matrix.multiplyRows(0..<m, csr, padded: V.baseAddress!, ldv: kp, into: &product, rows: &rows)
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
        return (b, norms)
    }

    /// The summed objective at X and its gradient (written to `gradient`, m × w).
    func evaluate(_ X: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
        let m = problem.userCount, w = problem.width
        multiplyByGram(X, into: gradient)
        let shared = UnsafeSendable((self, X, gradient))
        return ObjectiveEvaluator.sumOverBlocks(users: m, work: problem.interactions.nnz * w + m * w) { users in
            let (evaluator, X, gradient) = shared.value
            return evaluator.evaluateUsers(users, X, gradient: gradient)
        }
    }

    /// out = X·G (m × w) when the entries outside Ω_u count, zero otherwise.
    func multiplyByGram(_ X: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let m = problem.userCount, w = problem.width
        guard terms.hasBackground && m > 0 else {
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
    /// gradient rows were set to X·G (or zero): each user's value by
    /// ``addValue(ofUser:_:xG:predictions:to:)`` at predictions from plain loops, then the
    /// half-gradient of its terms, turned into the gradient.
    func evaluateUsers(_ users: Range<Int>, _ X: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
        let w = problem.width
        var predictions = [Double](repeating: 0, count: Swift.max(1, maxDegree(users)))
        var value = 0.0
        problem.items.storage.withUnsafeBufferPointer { Vp in
            predictions.withUnsafeMutableBufferPointer { out in
                let V = Vp.baseAddress!, P = out.baseAddress!
                for u in users {
                    let x = X + u * w
                    let g = gradient + u * w
                    if terms.rhsWeightsAreValues {
                        addValue(ofUser: u, x, xG: g, predictions: P, to: &value)
                        for c in 0..<w { g[c] -= B[u * w + c] }
                    } else {
                        predictByLoops(u, x, V, into: P)
                        addValue(ofUser: u, x, xG: g, predictions: P, to: &value)
                        addEntryGradients(u, g, V, predictions: P)
                    }
                    penaltyGradient(u, x, g)
                }
            }
        }
        return value
    }

    /// x·v_i for user u's stored items, each a plain loop over the components, in `out`'s first
    /// entries. The gradient's coefficients, and so gradient training's steps and losses, depend
    /// on this order of summation, which differs from the vectorized dots of ``predict(_:_:into:)``.
    @inline(__always)
    func predictByLoops(_ u: Int, _ x: UnsafePointer<Double>, _ V: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let w = problem.width, R = problem.interactions
        for (t, p) in R.range(ofRow: u).enumerated() {
            let v = V + Int(R.indices[p]) * w
            var prediction = 0.0
            for c in 0..<w { prediction += x[c] * v[c] }
            out[t] = prediction
        }
    }

    /// Adds each stored entry's part of the half-gradient, coefficient · v_i
    /// (``ObjectiveTerms/entry(_:item:prediction:)``), to g.
    @inline(__always)
    func addEntryGradients(_ u: Int, _ g: UnsafeMutablePointer<Double>, _ V: UnsafePointer<Double>,
                           predictions: UnsafePointer<Double>) {
        let w = problem.width, R = problem.interactions
        for (t, p) in R.range(ofRow: u).enumerated() {
            let j = Int(R.indices[p])
            let v = V + j * w
            let coefficient = terms.entry(R.values[p], item: j, prediction: predictions[t]).coefficient
            for c in 0..<w { g[c] += coefficient * v[c] }
        }
    }

    /// Turns the half-gradient g of the loss into the full gradient of f_u, 2g + 2λ_u x on the
    /// penalized components.
    @inline(__always)
    func penaltyGradient(_ u: Int, _ x: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) {
        let lambdaU = terms.lambda(forCount: problem.interactions.degree(ofRow: u))
        for c in 0..<problem.width { g[c] = 2 * g[c] + (problem.isRegularized(c) ? 2 * lambdaU * x[c] : 0) }
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

extension RidgeProblem {
    /// The objective summed over users at factors X (m × width).
    public func objectiveValue(_ X: DenseMatrix<Double>) -> Double {
        precondition(X.rows == userCount && X.columns == width, "factors are \(X.rows)×\(X.columns), expected \(userCount)×\(width)")
        return ObjectiveEvaluator(self).value(X.storage)
    }

    /// The gradient of the summed objective with respect to X (m × width).
    public func gradient(_ X: DenseMatrix<Double>) -> DenseMatrix<Double> {
        precondition(X.rows == userCount && X.columns == width, "factors are \(X.rows)×\(X.columns), expected \(userCount)×\(width)")
        var out = [Double](repeating: 0, count: X.storage.count)
        X.storage.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { _ = ObjectiveEvaluator(self).evaluate(x.baseAddress!, gradient: $0.baseAddress!) }
        }
        return DenseMatrix(rows: userCount, columns: width, storage: out)
    }
}
