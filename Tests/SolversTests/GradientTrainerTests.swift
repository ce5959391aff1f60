import FixturePaths
import Foundation
import IO
import Matrices
@testable import Solvers
import Testing

@Suite("Gradient training converges to the ridge solution")
struct GradientTrainerTests {
    @Test("the evaluator's value (with and without the gradient) and gradient equal a naive sum over every entry",
          arguments: RidgeReference.cases)
    func evaluatorMatchesNaiveSum(name: String) throws {
        let problem = try RidgeReference.shared.problem(name)
        var rng = SplitMix64(seed: 5)
        let X = DenseMatrix(rows: problem.userCount, columns: problem.width,
                            storage: (0..<(problem.userCount * problem.width)).map { _ in rng.normal() })
        let evaluator = ObjectiveEvaluator(problem)
        var gradient = [Double](repeating: 0, count: X.storage.count)
        let value = X.storage.withUnsafeBufferPointer { x in gradient.withUnsafeMutableBufferPointer { evaluator.evaluate(x.baseAddress!, gradient: $0.baseAddress!) } }
        let (reference, referenceGradient) = naiveObjective(problem, X)
        #expect(abs(value - reference) <= 1e-12 * abs(reference))
        #expect(abs(evaluator.value(X.storage) - reference) <= 1e-12 * abs(reference))
        #expect(maxAbs(zip(gradient, referenceGradient).map { $0 - $1 }) <= 1e-12 * maxAbs(referenceGradient))
    }

    /// The objective and its gradient summed over all m × n entries straight from the
    /// definition: weight c and target t per entry (observed: 1 and r − μ − b_i on stored
    /// entries, 0 elsewhere; dense: the same with r = 0 elsewhere; implicit: confidence(r) and
    /// [r > 0] on stored entries, α0 and 0 elsewhere), plus λ_u‖x_u‖² without the user bias
    /// (λ_u = λ, λ·|Ω_u| or λ·(|Ω_u| + c0·n)^ν).
    func naiveObjective(_ problem: RidgeProblem, _ X: DenseMatrix<Double>) -> (Double, [Double]) {
        let R = problem.interactions, o = problem.objective, w = problem.width
        var value = 0.0
        var gradient = [Double](repeating: 0, count: X.storage.count)
        for u in 0..<problem.userCount {
            var stored = [Int: Double]()
            for p in R.range(ofRow: u) { stored[Int(R.indices[p])] = R.values[p] }
            for i in 0..<problem.itemCount {
                var prediction = 0.0
                for c in 0..<w { prediction += X[u, c] * problem.items[i, c] }
                let r = stored[i]
                let bias = problem.itemBias?[i] ?? 0
                var weight = 1.0, target = (r ?? 0) - problem.mean - bias
                switch o.loss {
                case .observed: weight = r == nil ? 0 : 1
                case .dense: break
                case .implicit:
                    weight = r.map { o.confidence == .onePlus ? 1 + o.alpha * $0 : o.alpha * $0 } ?? o.unobservedWeight
                    target = (r ?? 0) > 0 ? 1 : 0
                }
                value += weight * (target - prediction) * (target - prediction)
                for c in 0..<w { gradient[u * w + c] -= 2 * weight * (target - prediction) * problem.items[i, c] }
            }
            let c0 = o.loss == .observed ? 0 : o.loss == .dense ? 1 : o.unobservedWeight
            let lambdaU = switch o.regularization {
            case .constant: o.lambda
            case .count: o.lambda * Double(stored.count)
            case .frequency: o.lambda * pow(Double(stored.count) + c0 * Double(problem.itemCount), o.regularizationExponent)
            }
            for c in 0..<(o.userBias ? w - 1 : w) {
                value += lambdaU * X[u, c] * X[u, c]
                gradient[u * w + c] += 2 * lambdaU * X[u, c]
            }
        }
        return (value, gradient)
    }

    /// The largest eigenvalue of the objective's Hessian, by power iteration on Hessian-vector
    /// products (the gradient is affine: H x = ∇f(x) − ∇f(0)).
    func curvature(_ problem: RidgeProblem) -> Double {
        let zero = problem.gradient(DenseMatrix(rows: problem.userCount, columns: problem.width, repeating: 0)).storage
        var x = GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: 9, scale: 1)
        var estimate = 0.0
        for _ in 0..<200 {
            let hx = zip(problem.gradient(x).storage, zero).map { $0 - $1 }
            let norm = hx.reduce(0) { $0 + $1 * $1 }.squareRoot()
            estimate = norm / x.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
            x.storage = hx.map { $0 / norm }
        }
        return estimate
    }

    /// Trains and returns the relative objective gap to the exact solution.
    func gap(_ name: String, _ configure: (inout GradientTrainer) -> Void) throws -> Double {
        let problem = try RidgeReference.shared.problem(name)
        var trainer = GradientTrainer()
        trainer.lossScale = .sum
        configure(&trainer)
        let initial = GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: 1)
        let (factors, _) = try trainer.train(problem, initial: initial)
        let exact = try RidgeSolver().solve(problem)
        return CheckReport(factors: factors, exact: exact.factors, problem: problem).relativeGap
    }

    @Test("SGD (plain, and with Nesterov momentum) reaches a gap below 1e-8",
          arguments: ["dense_constant_userbias-offset-itembias", "implicit-oneplus_count_none", "implicit-linear_constant_userbias"])
    func sgdConverges(name: String) throws {
        // Gradient descent with step 1/L (L the Hessian's largest eigenvalue) converges linearly.
        let lr = 1 / curvature(try RidgeReference.shared.problem(name))
        #expect(try gap(name) { $0.optimizer.kind = .sgd; $0.optimizer.learningRate = lr; $0.epochs = 3000 } < 1e-8)
        #expect(try gap(name) { $0.optimizer.kind = .sgd; $0.optimizer.learningRate = lr; $0.optimizer.momentum = 0.9
            $0.optimizer.nesterov = true; $0.epochs = 600 } < 1e-8)
    }

    @Test("Adam with an exponentially decaying step (ExponentialLR) reaches a gap below 1e-8",
          arguments: ["dense_count_none", "implicit-oneplus_constant_userbias"])
    func adamConverges(name: String) throws {
        // With a constant step Adam only settles into a neighbourhood of the optimum whose size
        // the step sets (seen here: from 3e-13 to 6e-8 after 3000 epochs at 0.02, depending on
        // rounding); a step shrinking to 0.02·0.998³⁰⁰⁰ ≈ 5e-5 closes it in.
        #expect(try gap(name) { $0.optimizer.kind = .adam; $0.optimizer.learningRate = 0.02; $0.optimizer.learningRateDecay = 0.998
            $0.epochs = 3000 } < 1e-8)
    }

    @Test("the learning-rate decay multiplies the step by γ after each epoch")
    func learningRateDecay() throws {
        // Two epochs of plain SGD with γ = 0.5 are one epoch at lr, then one at lr/2 from there.
        let problem = try RidgeReference.shared.problem("dense_constant_none")
        var trainer = GradientTrainer()
        trainer.lossScale = .sum
        trainer.optimizer.kind = .sgd
        trainer.optimizer.learningRate = 1e-3
        trainer.epochs = 1
        let zero = DenseMatrix<Double>(rows: problem.userCount, columns: problem.width, repeating: 0)
        let (one, _) = try trainer.train(problem, initial: zero)
        trainer.optimizer.learningRate = 1e-3 * 0.5
        let (handStepped, _) = try trainer.train(problem, initial: one)
        trainer.optimizer.learningRate = 1e-3
        trainer.optimizer.learningRateDecay = 0.5
        trainer.epochs = 2
        let (decayed, _) = try trainer.train(problem, initial: zero)
        #expect(decayed == handStepped)
        trainer.optimizer.learningRateDecay = 1
        let (constant, _) = try trainer.train(problem, initial: zero)
        #expect(constant != decayed)
    }

    @Test("observed loss: full-sized batches converge; mini-batches are reproducible by seed")
    func observedBatches() throws {
        let name = "observed_constant_userbias-offset-itembias"
        let nnz = RidgeReference.shared.interactions.matrix.nnz
        let lr = 1 / curvature(try RidgeReference.shared.problem(name))
        #expect(try gap(name) { $0.optimizer.kind = .sgd; $0.optimizer.learningRate = lr; $0.optimizer.momentum = 0.9; $0.batchSize = nnz; $0.epochs = 600 } < 1e-8)
        let problem = try RidgeReference.shared.problem(name)
        var trainer = GradientTrainer()
        trainer.batchSize = 16
        trainer.epochs = 3
        trainer.seed = 42
        let initial = GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: 1)
        let (a, _) = try trainer.train(problem, initial: initial)
        let (b, _) = try trainer.train(problem, initial: initial)
        trainer.seed = 43
        let (c, _) = try trainer.train(problem, initial: initial)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("coupled weight decay w is λ + w·N/2 under the mean scale: Adam converges to that optimum")
    func weightDecayEquivalence() throws {
        let problem = try RidgeReference.shared.problem("dense_constant_none")
        var trainer = GradientTrainer()
        trainer.lossScale = .mean
        trainer.optimizer.kind = .adam
        trainer.optimizer.learningRate = 0.02
        trainer.optimizer.weightDecay = 0.01
        trainer.optimizer.learningRateDecay = 0.998   // a shrinking step: see adamConverges
        trainer.epochs = 3000
        let effective = try trainer.effectiveProblem(problem)
        #expect(abs(effective.objective.lambda - (0.3 + 0.01 * 40 * 30 / 2)) < 1e-12)
        let (factors, _) = try trainer.train(problem, initial: DenseMatrix(rows: 40, columns: 5, repeating: 0))
        let exact = try RidgeSolver().solve(effective)
        #expect(CheckReport(factors: factors, exact: exact.factors, problem: effective).relativeGap < 1e-8)
    }
}

@Suite("The cross-check report")
struct CheckReportTests {
    @Test("factor errors of tiny and huge factors are their true ratios, not 0 or NaN", arguments: [0x1p-540, 1e-300, 0x1p500, 1e300, 1.0])
    func scaledFactorErrors(magnitude: Double) throws {
        let problem = try RidgeReference.shared.problem("observed_constant_none")
        let exact = try RidgeSolver().solve(problem).factors
        var small = exact, doubled = exact
        for u in 0..<exact.rows { for c in 0..<exact.columns { small[u, c] *= magnitude; doubled[u, c] = 2 * small[u, c] } }
        // u* scaled by s, u = 2u*: ‖u − u*‖ / ‖u*‖ = 1 for every user and overall.
        let report = CheckReport(factors: doubled, exact: small, problem: problem)
        #expect(abs(report.relativeFactorError - 1) < 1e-12, "\(report.relativeFactorError)")
        #expect(abs(report.worstUserError - 1) < 1e-12, "\(report.worstUserError)")
        // One user off by a tenth of its norm stands out, at any magnitude.
        var perturbed = small
        for c in 0..<exact.columns { perturbed[31, c] *= 1.1 }
        let one = CheckReport(factors: perturbed, exact: small, problem: problem)
        #expect(one.worstUser == 31 && abs(one.worstUserError - 0.1) < 1e-12, "\(one.worstUserError)")
    }

    @Test("~0 at the exact solution, and the predicted gap for a perturbed user")
    func perturbation() throws {
        let reference = RidgeReference.shared
        let problem = try reference.problem("observed_constant_none")
        let exact = try RidgeSolver().solve(problem).factors
        let atOptimum = CheckReport(factors: exact, exact: exact, problem: problem)
        #expect(abs(atOptimum.relativeGap) < 1e-14 && atOptimum.relativeFactorError == 0)
        #expect(atOptimum.gradientNorm <= 1e-12 * atOptimum.gradientScale)
        // A quadratic grows by δᵀA_uδ away from its minimum, A_u = V_ΩᵀV_Ω + λI.
        let u = 31, delta = [0.1, -0.2, 0.05, 0.3, -0.1]
        var perturbed = exact
        for c in 0..<5 { perturbed[u, c] += delta[c] }
        var increase = 0.0
        let R = reference.interactions.matrix, V = reference.items
        for p in R.range(ofRow: u) {
            var d = 0.0
            for c in 0..<5 { d += delta[c] * V[Int(R.indices[p]), c] }
            increase += d * d
        }
        increase += 0.3 * delta.reduce(0) { $0 + $1 * $1 }
        let report = CheckReport(factors: perturbed, exact: exact, problem: problem)
        #expect(abs((report.objective - report.optimum) - increase) <= 1e-9 * increase)
        #expect(report.worstUser == u)
    }
}
