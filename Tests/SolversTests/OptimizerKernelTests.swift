import Foundation
import Matrices
@testable import Solvers
import Testing

@Suite("Optimizer kernels: the SIMD Adam step and mini-batch gradient against scalar formulas")
struct OptimizerKernelTests {
    @Test("the Adam step rounds exactly as PyTorch's scalar formula (no fused multiply-adds)", arguments: [1, 7, 8, 13, 64, 1001])
    func adam(count: Int) {
        var rng = SplitMix64(seed: UInt64(count))
        var x = (0..<count).map { _ in rng.normal() }, m = (0..<count).map { _ in rng.normal() * 0.1 }
        var v = (0..<count).map { _ in rng.uniform() * 0.01 }
        let g = (0..<count).map { _ in rng.normal() }
        var (x2, m2, v2) = (x, m, v)
        let (decay, b1, b2, eps, stepSize, root2) = (0.001, 0.9, 0.999, 1e-8, 0.01 / (1 - 0.9 * 0.9), (1 - 0.999 * 0.999).squareRoot())
        x.withUnsafeMutableBufferPointer { xp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    NativeKernels.adamStep(x: xp.baseAddress!, g: g, m: mp.baseAddress!, v: vp.baseAddress!, count: count, decay: decay,
                                           beta1: b1, beta2: b2, epsilon: eps, stepSize: stepSize, root2: root2)
                }
            }
        }
        for c in 0..<count {
            let d = g[c] + decay * x2[c]
            m2[c] = b1 * m2[c] + (1 - b1) * d
            v2[c] = b2 * v2[c] + (1 - b2) * d * d
            x2[c] -= stepSize * m2[c] / (v2[c].squareRoot() / root2 + eps)
        }
        #expect(x == x2 && m == m2 && v == v2)
    }

    @Test("the mini-batch loss and gradient match a direct evaluation, with and without a user bias", arguments: [false, true])
    func batch(userBias: Bool) throws {
        let (R, V) = syntheticProblem(users: 40, items: 30, k: 13, density: 0.3, seed: 6)
        let problem = try RidgeProblem(interactions: R, items: V, objective: Objective(loss: .observed, lambda: 0.7, regularization: .count,
                                                                                       userBias: userBias, offset: .globalMean))
        let data = GradientTrainer.MiniBatchData(problem)
        let w = problem.width
        var rng = SplitMix64(seed: 1)
        let X = (0..<(R.rows * w)).map { _ in rng.normal() }
        var order = Array(0..<R.nnz)
        rng.shuffle(&order)
        let batch = Array(order.prefix(50))
        var gradient = [Double](repeating: 0, count: X.count)
        let loss = batch.withUnsafeBufferPointer { entries in
            X.withUnsafeBufferPointer { x in
                problem.items.storage.withUnsafeBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { g in
                        NativeKernels.batchGradient(width: w, regularized: data.regularized, entries: entries, data: data, columns: R.indices,
                                                    X: x.baseAddress!, V: v.baseAddress!, scale: 0.5, gradient: g.baseAddress!)
                    }
                }
            }
        }
        var expectedLoss = 0.0
        var expected = [Double](repeating: 0, count: X.count)
        for p in batch {
            let u = Int(data.rows[p]), j = Int(R.indices[p])
            var prediction = 0.0, norm = 0.0
            for c in 0..<w { prediction += X[u * w + c] * problem.items[j, c] }
            for c in 0..<data.regularized { norm += X[u * w + c] * X[u * w + c] }
            let e = data.targets[p] - prediction
            expectedLoss += e * e + data.shares[p] * norm
            for c in 0..<w {
                expected[u * w + c] += -2 * 0.5 * e * problem.items[j, c] + (c < data.regularized ? 2 * 0.5 * data.shares[p] * X[u * w + c] : 0)
            }
        }
        #expect(abs(loss - expectedLoss) <= 1e-13 * expectedLoss)
        #expect(zip(gradient, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
    }
}
