import FixturePaths
import IO
import Matrices
@testable import Solvers
import Testing

@Suite("Ridge solve: properties of the exact solution")
struct RidgePropertyTests {
    @Test("the gradient of the objective vanishes at the solution", arguments: RidgeReference.cases)
    func zeroGradient(name: String) throws {
        let problem = try RidgeReference.shared.problem(name)
        let solution = try RidgeSolver().solve(problem)
        let atSolution = maxAbs(problem.gradient(solution.factors).storage)
        let atZero = maxAbs(problem.gradient(DenseMatrix(rows: problem.userCount, columns: problem.width, repeating: 0)).storage)
        // Cholesky is backward stable: the residual is a few ulps of the gradient's scale.
        #expect(atSolution <= 1e-12 * atZero, "\(name): \(atSolution) vs \(atZero)")
    }

    @Test("dense equals observed when every entry is observed")
    func denseEqualsObservedWhenFull() throws {
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("ridge/full/full_problem.h5")))
        let items = try EmbeddingsFile.read(FileSpec(Fixtures.path("ridge/full/items.h5"))).factors
        let observed = try RidgeSolver().solve(RidgeProblem(interactions: x.matrix, items: items, objective: Objective(loss: .observed, lambda: 0.3)))
        let dense = try RidgeSolver().solve(RidgeProblem(interactions: x.matrix, items: items, objective: Objective(loss: .dense, lambda: 0.3)))
        #expect(relativeError(dense.factors, observed.factors) <= 1e-12)
        let reference = try EmbeddingsFile.read(FileSpec(path: Fixtures.path("ridge/full/expected.h5"), object: "/fullcheck_dense/user_factors")).factors
        #expect(relativeError(dense.factors, reference) <= 1e-10)
    }

    @Test("a fixed global mean is the offset: the same solution as an item bias of μ on every item, and (observed) as values shifted by μ",
          arguments: [Objective.Loss.observed, .dense])
    func fixedMean(loss: Objective.Loss) throws {
        let reference = RidgeReference.shared
        let R = reference.interactions.matrix
        var objective = Objective(loss: loss, lambda: 0.3, userBias: true, offset: .globalMean)
        objective.fixedMean = 3.25
        let problem = try RidgeProblem(interactions: R, items: reference.items, objective: objective)
        #expect(problem.mean == 3.25)
        // Targets r − μ on observed entries and, under the dense loss, −μ on the others: what an
        // item bias of μ on every item states through its own code path.
        let plain = Objective(loss: loss, lambda: 0.3, userBias: true)
        let asBias = try RidgeProblem(interactions: R, items: reference.items, objective: plain,
                                      itemBias: [Double](repeating: 3.25, count: reference.items.rows))
        let a = try RidgeSolver().solve(problem).factors
        #expect(relativeError(a, try RidgeSolver().solve(asBias).factors) <= 1e-12)
        if loss == .observed {
            var shifted = R
            shifted.values = R.values.map { $0 - 3.25 }
            let byHand = try RidgeProblem(interactions: shifted, items: reference.items, objective: plain)
            #expect(relativeError(a, try RidgeSolver().solve(byHand).factors) <= 1e-12)
        }
        // Without the fixed value the mean is the interactions' own, which differs.
        objective.fixedMean = nil
        #expect(try RidgeProblem(interactions: R, items: reference.items, objective: objective).mean != 3.25)
    }

    @Test("results are bitwise identical for 1 and 2 threads", arguments: [Objective.Loss.observed, .dense, .implicit])
    func threadIndependence(loss: Objective.Loss) throws {
        let (R, V) = syntheticProblem(users: 700, items: 120, k: 16, density: 0.1, seed: 7)
        let objective = Objective(loss: loss, lambda: 0.5, regularization: .count, alpha: 3, userBias: loss != .implicit)
        let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
        let one = try RidgeSolver(threads: 1).solve(problem).factors
        let two = try RidgeSolver(threads: 2).solve(problem).factors
        #expect(one.storage.map(\.bitPattern) == two.storage.map(\.bitPattern))
    }

    @Test("one system matrix serves every user only under a constant λ; count and frequency solve each user with its own λ_u",
          arguments: [Objective.Regularization.constant, .count, .frequency])
    func sharedSystemNeedsConstantLambda(regularization: Objective.Regularization) throws {
        let (R, V) = syntheticProblem(users: 40, items: 30, k: 6, density: 0.2, seed: 11)
        let objective = Objective(loss: .dense, lambda: 0.3, regularization: regularization)
        let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
        #expect(problem.terms.sharesSystemMatrix == (regularization == .constant))
        #expect(objective.constantLambda == (regularization == .constant ? 0.3 : nil))
        let all = try RidgeSolver(threads: 2).solve(problem).factors
        // Each user alone: its λ_u, its own system. The frequency form's n stays the item count.
        for u in [0, 7, 23, 39] {
            let (lo, hi) = (R.indptr[u], R.indptr[u + 1])
            let one = CSRMatrix(rows: 1, columns: R.columns, indptr: [0, hi - lo], indices: Array(R.indices[lo..<hi]), values: Array(R.values[lo..<hi]))
            let alone = try RidgeSolver(threads: 1).solve(try RidgeProblem(interactions: one, items: V, objective: objective)).factors
            let (x, y) = (Array(all.row(u)), Array(alone.row(0)))
            let scale = max(1e-300, x.map(abs).max()!)
            #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1e-10 * scale }, "user \(u): \(x) vs \(y)")
        }
    }

    @Test("users with no interactions: zero under observed, the exact minimizer otherwise")
    func emptyUsers() throws {
        let reference = RidgeReference.shared
        let observed = try RidgeSolver().solve(reference.problem("observed_constant_userbias-offset-itembias"))
        #expect(observed.emptyUsers == 2)
        for u in [5, 22] { #expect(observed.factors.row(u).allSatisfy { $0 == 0 }) }
        let dense = try RidgeSolver().solve(reference.problem("dense_constant_offset"))
        #expect(dense.emptyUsers == 2)
        #expect(dense.factors.row(5).contains { $0 != 0 })
    }

    @Test("a singular system names the user and suggests λ > 0; lstsq gives the minimum-norm solution")
    func singularSystems() throws {
        let reference = RidgeReference.shared
        let problem = try RidgeProblem(interactions: reference.interactions.matrix, items: reference.items,
                                       objective: Objective(loss: .observed, lambda: 0))
        do {
            _ = try RidgeSolver(userIDs: reference.interactions.userIDs).solve(problem)
            Issue.record("a rank-deficient user was solved without complaint")
        } catch {
            guard case let .notPositiveDefinite(user, row, count, _, k) = error else { Issue.record("\(error)"); return }
            #expect(count < k && user == reference.interactions.userIDs.ids[row])
            #expect(error.description.contains("raise --lambda above 0"))
        }
        let fallback = try RidgeSolver(fallback: .lstsq).solve(problem)
        #expect(fallback.fallbackUsers > 0)
        // The ridge solution tends to the minimum-norm least-squares solution as λ → 0.
        let tiny = try RidgeSolver().solve(RidgeProblem(interactions: reference.interactions.matrix, items: reference.items,
                                                        objective: Objective(loss: .observed, lambda: 1e-9)))
        #expect(relativeError(fallback.factors, tiny.factors) <= 1e-6)
    }

    @Test("single precision agrees with double to float accuracy")
    func singlePrecision() throws {
        let problem = try RidgeReference.shared.problem("implicit-oneplus_count_userbias")
        let double = try RidgeSolver().solve(problem).factors
        let single = try RidgeSolver(precision: .single).solve(problem).factors
        // Condition numbers here are below 1e3: float's 6e-8 unit roundoff gives ≲ 1e-4.
        #expect(relativeError(single, double) <= 1e-4)
        #expect(relativeError(single, double) > 0)
    }

    @Test("PyTorch's MSELoss + weight decay w is the dense loss with λ = w·m·n/2")
    func weightDecayMapping() throws {
        let (R, V) = syntheticProblem(users: 30, items: 40, k: 6, density: 0.3, seed: 3)
        let w = 0.001
        let lambda = Objective.lambda(fromWeightDecay: w, users: 30, items: 40)
        let solution = try RidgeSolver().solve(RidgeProblem(interactions: R, items: V, objective: Objective(loss: .dense, lambda: lambda)))
        // PyTorch's gradient, computed independently: ∂/∂U mean((U Vᵀ − R)²) + w U.
        let X = solution.factors
        var dense = [Double](repeating: 0, count: 30 * 40)
        for u in 0..<30 { for p in R.range(ofRow: u) { dense[u * 40 + Int(R.indices[p])] = R.values[p] } }
        var worst = 0.0, scale = 0.0
        for u in 0..<30 {
            for c in 0..<6 {
                var g = 0.0, g0 = 0.0
                for i in 0..<40 {
                    var prediction = 0.0
                    for d in 0..<6 { prediction += X[u, d] * V[i, d] }
                    g += 2 / 1200 * (prediction - dense[u * 40 + i]) * V[i, c]
                    g0 += 2 / 1200 * (-dense[u * 40 + i]) * V[i, c]
                }
                worst = max(worst, abs(g + w * X[u, c]))
                scale = max(scale, abs(g0))
            }
        }
        #expect(worst <= 1e-12 * scale, "\(worst) vs \(scale)")
    }

    @Test("the gradient matches central finite differences for every loss", arguments: RidgeReference.cases.filter { $0.hasSuffix("_userbias") || $0.hasSuffix("-itembias") })
    func finiteDifferences(name: String) throws {
        let problem = try RidgeReference.shared.problem(name)
        var rng = SplitMix64(seed: 11)
        let X = DenseMatrix(rows: problem.userCount, columns: problem.width,
                            storage: (0..<(problem.userCount * problem.width)).map { _ in rng.normal() })
        let gradient = problem.gradient(X)
        let h = 1e-5
        for (u, c) in [(0, 0), (13, 1), (31, problem.width - 1), (5, 2), (39, 3)] {
            var plus = X, minus = X
            plus[u, c] += h
            minus[u, c] -= h
            let numeric = (problem.objectiveValue(plus) - problem.objectiveValue(minus)) / (2 * h)
            // Central differences on a quadratic are exact up to rounding: ~ε·f/h ≈ 1e-8 relative.
            #expect(abs(numeric - gradient[u, c]) <= 1e-6 * max(1, abs(gradient[u, c])), "\(name) (\(u), \(c)): \(numeric) vs \(gradient[u, c])")
        }
    }
}

extension RidgePropertyTests {
    @Test("a solver refuses past its own memory limit; another in the same process solves beside it")
    func memoryPerSolver() throws {
        let (R, items) = syntheticProblem(users: 40, items: 30, k: 6, density: 0.3, seed: 7)
        let problem = try RidgeProblem(interactions: R, items: items, objective: Objective(loss: .observed, lambda: 0.3))
        var small = RidgeSolver(threads: 1)
        small.memory = MemoryLimit(bytes: 512)
        #expect { try small.solve(problem) } throws: { error in
            guard case let SolverError.memoryLimit(message) = error else { return false }
            return message.contains("memory limit of 512 bytes")
        }
        #expect(try RidgeSolver(threads: 1).solve(problem).factors.rows == 40)
    }
}
