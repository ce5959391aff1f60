import Foundation
import Matrices
@testable import Solvers
import Testing

@Suite("Sparse mini-batch updates: torch.optim.SparseAdam and plain SGD on the touched rows only")
struct SparseTrainingTests {
    /// 8 users (user 5 without interactions) × 12 items, k = 3 plus a user bias column, λ = 0.6
    /// constant; the entries of a user are contiguous in CSR order.
    static func problem() throws -> RidgeProblem {
        let (R, V) = syntheticProblem(users: 8, items: 12, k: 3, seed: 11) { $0 == 5 ? 0 : 0.5 }
        let objective = Objective(loss: .observed, lambda: 0.6, regularization: .constant, userBias: true)
        return try RidgeProblem(interactions: R, items: V, objective: objective)
    }

    /// The naive reference: the batch's gradient summed per user straight from the objective
    /// (each entry of user u carries λ/|Ω_u| of u's penalty, the bias column unpenalized), then
    /// the textbook per-row update. Adam's moments and bias corrections use the global step
    /// `step`; SparseAdam's ε is added to √v before the correction, so against the corrected
    /// v̂ it is ε/√(1 − β2^t). Returns the unscaled batch loss.
    static func referenceStep(_ problem: RidgeProblem, batch: [Int], x: inout [Double], m: inout [Double], v: inout [Double],
                              step: Int, settings s: OptimizerSettings) -> Double {
        let R = problem.interactions, w = problem.width, lambda = problem.objective.lambda
        let scale = 1 / Double(batch.count)
        var users: [Int: Int] = [:]
        for u in 0..<R.rows { for p in R.range(ofRow: u) { users[p] = u } }
        var gradient: [Int: [Double]] = [:]
        var loss = 0.0
        for p in batch {
            let u = users[p]!, j = Int(R.indices[p])
            let share = lambda / Double(R.degree(ofRow: u))
            var prediction = 0.0, norm = 0.0
            for c in 0..<w { prediction += x[u * w + c] * problem.items[j, c] }
            for c in 0..<(w - 1) { norm += x[u * w + c] * x[u * w + c] }
            let e = R.values[p] - prediction
            loss += e * e + share * norm
            var g = gradient[u] ?? [Double](repeating: 0, count: w)
            for c in 0..<w { g[c] += -2 * scale * e * problem.items[j, c] + (c < w - 1 ? 2 * scale * share * x[u * w + c] : 0) }
            gradient[u] = g
        }
        let corrected1 = 1 - pow(s.beta1, Double(step)), corrected2 = 1 - pow(s.beta2, Double(step))
        for (u, g) in gradient {
            for c in 0..<w {
                let i = u * w + c
                guard s.kind == .adam else { x[i] -= s.learningRate * g[c]; continue }
                m[i] = s.beta1 * m[i] + (1 - s.beta1) * g[c]
                v[i] = s.beta2 * v[i] + (1 - s.beta2) * g[c] * g[c]
                let mHat = m[i] / corrected1, vHat = v[i] / corrected2
                x[i] -= s.learningRate * mHat / (vHat.squareRoot() + s.epsilon / corrected2.squareRoot())
            }
        }
        return loss
    }

    func close(_ a: [Double], _ b: [Double]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
    }

    @Test("sparse steps equal a naive per-row SparseAdam / SGD; duplicated rows are summed, untouched rows keep x, m and v",
          arguments: [OptimizerKind.adam, .sgd])
    func stepsMatchReference(kind: OptimizerKind) throws {
        let problem = try Self.problem()
        let R = problem.interactions, w = problem.width
        try #require(R.degree(ofRow: 0) >= 3 && R.degree(ofRow: 3) >= 2 && R.degree(ofRow: 5) == 0)
        var settings = OptimizerSettings()
        settings.kind = kind
        settings.learningRate = 0.05
        settings.sparse = true
        var trainer = GradientTrainer()
        trainer.optimizer = settings
        let data = GradientTrainer.MiniBatchData(problem)
        var state = OptimizerState(settings: settings, count: R.rows * w)
        var scratch = GradientTrainer.SparseBatch(data, users: R.rows, width: w, batchSize: 8)
        var rng = SplitMix64(seed: 3)
        var x = (0..<(R.rows * w)).map { _ in rng.normal() }
        var (xRef, mRef, vRef) = (x, [Double](repeating: 0, count: x.count), [Double](repeating: 0, count: x.count))
        let first = { (u: Int) in R.range(ofRow: u).lowerBound }
        // Step 1: user 0 three times and user 2 once. Step 2: user 0 once more and user 3 (first
        // touched at step 2); users 2, 1, 4 and 5 are not in it. Step 3: user 2 again, after a
        // step without it.
        let batches = [[first(0), first(2), first(0) + 2, first(0) + 1], [first(3), first(0) + 1, first(3) + 1], [first(2), first(7)]]
        let untouched = [[1, 3, 4, 5, 6, 7], [1, 2, 4, 5, 6, 7], [0, 1, 3, 4, 5, 6]]
        for (t, batch) in batches.enumerated() {
            let (before, mBefore, vBefore) = (x, state.first, state.second)
            let loss = x.withUnsafeMutableBufferPointer { xp in
                trainer.sparseStep(problem, entries: batch[...], X: xp.baseAddress!, state: &state, scratch: &scratch, data: data,
                                   scale: 1 / Double(batch.count))
            }
            let expected = Self.referenceStep(problem, batch: batch, x: &xRef, m: &mRef, v: &vRef, step: t + 1, settings: settings)
            #expect(abs(loss - expected) <= 1e-13 * expected)
            #expect(close(x, xRef), "step \(t + 1)")
            if kind == .adam { #expect(close(state.first, mRef) && close(state.second, vRef), "step \(t + 1)") }
            for u in untouched[t] {
                let row = (u * w)..<((u + 1) * w)
                #expect(x[row] == before[row], "user \(u) at step \(t + 1)")
                if kind == .adam { #expect(state.first[row] == mBefore[row] && state.second[row] == vBefore[row]) }
            }
            #expect(scratch.slot.allSatisfy { $0 == -1 })
        }
    }

    @Test("the SparseAdam kernel rounds exactly as PyTorch's scalar formula and leaves other rows alone",
          arguments: [1, 7, 8, 13, 64])
    func sparseAdamKernel(width w: Int) {
        var rng = SplitMix64(seed: UInt64(w))
        let rowsTotal = 9, rows: [Int32] = [7, 2, 4]
        var x = (0..<(rowsTotal * w)).map { _ in rng.normal() }, m = (0..<(rowsTotal * w)).map { _ in rng.normal() * 0.1 }
        var v = (0..<(rowsTotal * w)).map { _ in rng.uniform() * 0.01 }
        let g = (0..<(rows.count * w)).map { _ in rng.normal() }
        var (x2, m2, v2) = (x, m, v)
        let (b1, b2, eps, stepSize) = (0.9, 0.999, 1e-8, 0.01 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.9 * 0.9))
        x.withUnsafeMutableBufferPointer { xp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    NativeKernels.sparseAdamStep(width: w, rows: rows, x: xp.baseAddress!, g: g, m: mp.baseAddress!, v: vp.baseAddress!,
                                                 beta1: b1, beta2: b2, epsilon: eps, stepSize: stepSize)
                }
            }
        }
        for (s, r) in rows.enumerated() {
            for c in 0..<w {
                let i = Int(r) * w + c, d = g[s * w + c]
                let dm = (d - m2[i]) * (1 - b1), dv = (d * d - v2[i]) * (1 - b2)
                let numerator = dm + m2[i], denominator = (dv + v2[i]).squareRoot() + eps
                m2[i] += dm
                v2[i] += dv
                x2[i] += -stepSize * (numerator / denominator)
            }
        }
        #expect(x == x2 && m == m2 && v == v2)
    }

    /// Trains `epochs` of batches of 5 on the test problem with `configure`'s optimizer.
    func train(sparse: Bool, epochs: Int = 3, _ configure: (inout OptimizerSettings) -> Void) throws -> (DenseMatrix<Double>, [Double]) {
        let problem = try Self.problem()
        var trainer = GradientTrainer()
        trainer.optimizer.learningRate = 0.05
        configure(&trainer.optimizer)
        trainer.optimizer.sparse = sparse
        trainer.batchSize = 5
        trainer.epochs = epochs
        trainer.seed = 7
        let initial = GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: 2, scale: 1)
        let (factors, history) = try trainer.train(problem, initial: initial)
        return (factors, history.map(\.loss))
    }

    @Test("plain SGD: the sparse update gives the dense update's factors and losses bit for bit")
    func sgdEqualsDense() throws {
        let dense = try train(sparse: false) { $0.kind = .sgd; $0.learningRateDecay = 0.9 }
        let sparse = try train(sparse: true) { $0.kind = .sgd; $0.learningRateDecay = 0.9 }
        #expect(dense.0 == sparse.0 && dense.1 == sparse.1)
    }

    @Test("Adam: the sparse update differs from dense Adam, which also moves the rows a batch misses")
    func adamDiffersFromDense() throws {
        let dense = try train(sparse: false) { $0.kind = .adam }
        let sparse = try train(sparse: true) { $0.kind = .adam }
        #expect(dense.0 != sparse.0)
        let again = try train(sparse: true) { $0.kind = .adam }
        #expect(again.0 == sparse.0 && again.1 == sparse.1)
    }

    @Test("weight decay, momentum and full-batch losses are refused with sparse updates")
    func conflicts() throws {
        #expect(throws: SolverError.self) { try train(sparse: true) { $0.kind = .adam; $0.weightDecay = 0.01 } }
        #expect(throws: SolverError.self) { try train(sparse: true) { $0.kind = .sgd; $0.momentum = 0.9 } }
        var settings = OptimizerSettings()
        settings.sparse = true
        #expect(settings.sparseConflict(loss: .observed) == nil)
        #expect(settings.sparseConflict(loss: .dense) != nil && settings.sparseConflict(loss: .implicit) != nil)
        settings.sparse = false
        settings.weightDecay = 0.1
        #expect(settings.sparseConflict(loss: .dense) == nil)
    }
}
