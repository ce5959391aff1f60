import Matrices
@testable import Solvers

import Testing

/// Random interactions whose user u has `degree(u)` distinct items (values 1…5 in half steps),
/// and item factors with entries of variance 1/k.
func problemWithDegrees(_ degrees: [Int], items n: Int, k: Int, seed: UInt64) -> (CSRMatrix, DenseMatrix<Double>) {
    var rng = SplitMix64(seed: seed)
    var indptr = [0], indices = [Int32](), values = [Double]()
    for d in degrees {
        var chosen = Set<Int>()
        while chosen.count < Swift.min(d, n) { chosen.insert(Int(rng.uniform() * Double(n)) % n) }
        for j in chosen.sorted() {
            indices.append(Int32(j))
            values.append(Double(2 + Int(rng.uniform() * 9)) / 2)
        }
        indptr.append(indices.count)
    }
    let items = (0..<(n * k)).map { _ in rng.normal() / Double(k).squareRoot() }
    return (CSRMatrix(rows: degrees.count, columns: n, indptr: indptr, indices: indices, values: values),
            DenseMatrix(rows: n, columns: k, storage: items))
}

/// The objectives of the dual-form tests: every loss × regularization, with and without a
/// user bias and offsets; the implicit ones with one-plus and linear confidence.
let dualObjectives: [(String, Objective)] = {
    var out: [(String, Objective)] = []
    for loss in Objective.Loss.allCases {
        for reg in Objective.Regularization.allCases {
            for bias in [false, true] {
                var o = Objective(loss: loss, lambda: 0.3, regularization: reg, alpha: 2, userBias: bias)
                o.regularizationExponent = 0.5
                if loss != .implicit && bias { o.offset = .globalMean }
                out.append(("\(loss)-\(reg)\(bias ? "-bias" : "")", o))
                if loss == .implicit {
                    o.confidence = .linear
                    o.unobservedWeight = 0.5
                    out.append(("\(loss)-linear-a0.5-\(reg)\(bias ? "-bias" : "")", o))
                }
            }
        }
    }
    return out
}()

@Suite("The dual form")
struct DualFormTests {
    @Test("every reference case in the dual form matches lstsq to 1e-10", arguments: RidgeReference.cases)
    func matchesReference(name: String) throws {
        let reference = RidgeReference.shared
        let problem = try reference.problem(name)
        var solver = RidgeSolver(threads: 2)
        solver.form = .dual
        let solution = try solver.solve(problem)
        // The dense loss with a constant λ shares one system among all users, solved once.
        #expect(solution.dualUsers > 0 || problem.terms.sharesSystemMatrix, "case \(name)")
        #expect(relativeError(solution.factors, try reference.expected(name)) <= 1e-10, "case \(name)")
    }

    @Test("dual and primal agree to 1e-10 at k = 256, n_u from 1 to 2k", arguments: dualObjectives)
    func agreesWithPrimal(name: String, objective: Objective) throws {
        let k = 256
        let degrees = [0, 1, 2, 3, 7, 31, 100, 255, 256, 257, 400, 512]
        let (R, V) = problemWithDegrees(degrees, items: 600, k: k, seed: 11)
        let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
        var primal = RidgeSolver(threads: 2), dual = primal
        primal.form = .primal
        dual.form = .dual
        let p = try primal.solve(problem), d = try dual.solve(problem)
        #expect(p.dualUsers == 0)
        // Every user but the observed loss's empty one (no weight here is negative: linear
        // confidence 2r ≥ 2 > α0); none when all users share one system (dense, constant λ).
        if problem.terms.sharesSystemMatrix {
            #expect(d.dualUsers == 0)
        } else {
            #expect(d.dualUsers == degrees.count - (objective.loss == .observed ? 1 : 0), "\(name)")
        }
        #expect(relativeError(d.factors, p.factors) <= 1e-10, "\(name)")
        #expect(abs(d.objective - p.objective) <= 1e-10 * abs(p.objective), "\(name)")
    }

    @Test("single precision: the dual form agrees with double to float accuracy", arguments: dualObjectives.filter { $0.0.hasSuffix("-bias") })
    func singlePrecision(name: String, objective: Objective) throws {
        let degrees = [1, 5, 20, 60, 127]
        let (R, V) = problemWithDegrees(degrees, items: 300, k: 128, seed: 12)
        let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
        var single = RidgeSolver(threads: 1, precision: .single)
        single.form = .dual
        let s = try single.solve(problem)
        let double = try RidgeSolver(threads: 1).solve(problem)
        #expect(s.dualUsers > 0 || problem.terms.sharesSystemMatrix)
        #expect(relativeError(s.factors, double.factors) <= 1e-4, "\(name)")
    }

    @Test("the gradient vanishes at the dual solution at k = 1024, n_u from 1 to 2k")
    func zeroGradientLargeK() throws {
        let k = 1024
        let degrees = [0, 1, 10, 100, 1000, 2048]
        let (R, V) = problemWithDegrees(degrees, items: 2100, k: k, seed: 13)
        for (name, objective) in dualObjectives where name.hasSuffix("constant-bias") || name == "implicit-count" {
            let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
            var dual = RidgeSolver(threads: 2)
            dual.form = .dual
            let x = try dual.solve(problem).factors
            // The objective's own gradient (ObjectiveEvaluator), against its size at x = 0.
            let atSolution = problem.gradient(x).storage
            let atZero = problem.gradient(DenseMatrix(rows: x.rows, columns: x.columns, storage: [Double](repeating: 0, count: x.storage.count))).storage
            #expect(maxAbs(atSolution) <= 1e-10 * maxAbs(atZero), "\(name)")
        }
    }

    @Test("zero and negative Gram weights are exact in the dual form")
    func zeroAndNegativeWeights() throws {
        // Linear confidence c = α r with α = 0.5 against α0 = 1: r = 2 gives c − α0 = 0 exactly,
        // r = 1 gives −0.5.
        var objective = Objective(loss: .implicit, lambda: 0.3, alpha: 0.5, confidence: .linear)
        objective.unobservedWeight = 1
        let (_, V) = problemWithDegrees([], items: 300, k: 64, seed: 16)
        let R = CSRMatrix(rows: 3, columns: 300, indptr: [0, 3, 6, 9], indices: [1, 5, 9, 2, 4, 8, 3, 6, 7],
                          values: [4, 6, 3, 2, 2, 5, 1, 4, 3])
        let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
        var primal = RidgeSolver(threads: 1), dual = primal
        primal.form = .primal
        dual.form = .dual
        let p = try primal.solve(problem), d = try dual.solve(problem)
        #expect(d.dualUsers == 3)
        #expect(relativeError(d.factors, p.factors) <= 1e-10)
    }

    @Test("negative weights: the dual form agrees with the primal at k = 256 and decides definiteness by inertia")
    func negativeWeights() throws {
        // Linear confidence 0.5·r against α0 = 1: ratings 0.5 to 1.5 give weights −0.75 to −0.25.
        var objective = Objective(loss: .implicit, lambda: 0.3, alpha: 0.5, confidence: .linear, userBias: true)
        objective.unobservedWeight = 1
        let (R, V) = problemWithDegrees([1, 3, 20, 100, 255], items: 600, k: 256, seed: 18)
        let low = CSRMatrix(rows: R.rows, columns: R.columns, indptr: R.indptr, indices: R.indices,
                            values: R.values.enumerated().map { $0.offset % 3 == 0 ? 0.5 + Double($0.offset % 5) / 4 : $0.element })
        let problem = try RidgeProblem(interactions: low, items: V, objective: objective)
        var primal = RidgeSolver(threads: 1), dual = primal
        primal.form = .primal
        dual.form = .dual
        let d = try dual.solve(problem)
        #expect(d.dualUsers == 5 && d.fallbackUsers == 0)
        #expect(relativeError(d.factors, try primal.solve(problem).factors) <= 1e-10)
    }

    @Test("the inertia test on M = Σ + ŶŶᵀ accepts exactly the positive definite I + ŶᵀΣŶ")
    func inertiaDecidesDefiniteness() throws {
        var rng = SplitMix64(seed: 19)
        let k = 6
        var seen = (definite: 0, indefinite: 0)
        for trial in 0..<200 {
            let n = 1 + trial % 5
            let ws = DualWorkspace<Double>(k: k, rowStride: k, ldx: k, maxDegree: n, maxActive: n)
            var Y = [Double](repeating: 0, count: n * k), signs = [Double](repeating: 1, count: n)
            let scale = 0.2 + 1.2 * rng.uniform()
            for i in 0..<(n * k) { Y[i] = scale * rng.normal() / Double(k).squareRoot() }
            for i in 0..<n where rng.uniform() < 0.6 { signs[i] = -1 }
            guard signs.contains(-1) else { continue }
            // M = Σ + ŶŶᵀ into the workspace, and A = I + ŶᵀΣŶ decided by LAPACK's Cholesky.
            for i in 0..<n {
                ws.signs[i] = signs[i]
                for j in 0..<n { ws.m[i * n + j] = (0..<k).reduce(i == j ? signs[i] : 0) { $0 + Y[i * k + $1] * Y[j * k + $1] } }
            }
            ws.active = n
            ws.negatives = signs.filter { $0 < 0 }.count
            var A = (0..<(k * k)).map { Double($0 / k == $0 % k ? 1 : 0) }
            for r in 0..<n { for a in 0..<k { for b in 0..<k { A[a * k + b] += signs[r] * Y[r * k + a] * Y[r * k + b] } } }
            let definite = A.withUnsafeMutableBufferPointer { Double.potrf(n: k, a: $0.baseAddress!) } == 0
            #expect(RidgeKernel<Double>.factorIndefinite(ws) == definite, "trial \(trial)")
            if definite { seen.definite += 1 } else { seen.indefinite += 1 }
        }
        #expect(seen.definite > 20 && seen.indefinite > 20, "\(seen)")
    }

    @Test("auto takes the dual form for few entries and the primal for many")
    func autoChoosesByCost() throws {
        let degrees = [3, 20, 2000]
        let (R, V) = problemWithDegrees(degrees, items: 2100, k: 256, seed: 14)
        for objective in [Objective(lambda: 0.3), Objective(loss: .implicit, lambda: 0.3)] {
            let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
            let solution = try RidgeSolver(threads: 1).solve(problem)
            #expect(solution.dualUsers == 2, "\(objective.loss)")
        }
    }

    @Test("the basis: B's Cholesky factor for a constant λ (TᵀBT = I), G's eigenvectors otherwise (TᵀT = I)")
    func basisKinds() throws {
        let k = 40
        let (R, V) = problemWithDegrees([3, 7], items: 90, k: k, seed: 17)
        for regularization in [Objective.Regularization.constant, .count] {
            let objective = Objective(loss: .implicit, lambda: 0.3, regularization: regularization, alpha: 2, userBias: true)
            let problem = try RidgeProblem(interactions: R, items: V, objective: objective)
            let solver = RidgeSolver(threads: 1)
            let kernel = RidgeKernel<Double>(problem: problem, solver: solver, strategy: solver.strategy(for: problem.terms))
            let basis = try #require(DualBasis(kernel, background: problem.backgroundRightHandSide))
            let t = try #require(basis.transposedT)
            // B = c0·VᵀV + λI (c0 = 1) from the item matrix itself; the product T_aᵀ M T_b for
            // the columns a, b of T (rows of Tᵀ).
            func tMt(_ a: Int, _ b: Int, _ m: (Int, Int) -> Double) -> Double {
                var s = 0.0
                for i in 0..<k { for j in 0..<k { s += t[a * k + i] * m(i, j) * t[b * k + j] } }
                return s
            }
            func b(_ i: Int, _ j: Int) -> Double {
                var g = 0.0
                for r in 0..<V.rows { g += V[r, i] * V[r, j] }
                return g + (i == j ? 0.3 : 0)
            }
            var worst = 0.0
            for a in 0..<k {
                for c in 0..<k {
                    let value = regularization == .constant ? tMt(a, c, b) : tMt(a, c) { $0 == $1 ? 1 : 0 }
                    worst = Swift.max(worst, abs(value - (a == c ? 1 : 0)))
                }
            }
            #expect((basis.factoredLambda != nil) == (regularization == .constant))
            #expect(worst <= 1e-12, "\(regularization): largest |TᵀMT − I| \(worst)")
        }
    }

    @Test("a row slice of the users gets the same factors, bit for bit")
    func shardInvariant() throws {
        let degrees = (0..<300).map { [1, 4, 30, 90, 200, 700][$0 % 6] + $0 % 5 }
        let (R, V) = problemWithDegrees(degrees, items: 800, k: 160, seed: 15)
        for objective in [Objective(lambda: 0.3, userBias: true), Objective(loss: .implicit, lambda: 0.3, regularization: .count),
                          Objective(loss: .implicit, lambda: 0.3, userBias: true)] {
            let whole = try RidgeSolver(threads: 2).solve(RidgeProblem(interactions: R, items: V, objective: objective))
            #expect(whole.dualUsers > 0 && whole.dualUsers < degrees.count)
            for slice in [0..<1, 37..<151, 151..<300] {
                let part = try RidgeSolver(threads: 1).solve(RidgeProblem(interactions: R.rowSlice(slice), items: V, objective: objective))
                let w = whole.factors.columns
                #expect(part.factors.storage == Array(whole.factors.storage[(slice.lowerBound * w)..<(slice.upperBound * w)]),
                        "\(objective.loss) \(slice)")
            }
        }
    }
}

extension CSRMatrix {
    /// The rows `rows` as a matrix of their own.
    func rowSlice(_ rows: Range<Int>) -> CSRMatrix {
        let start = indptr[rows.lowerBound], end = indptr[rows.upperBound]
        return CSRMatrix(rows: rows.count, columns: columns, indptr: indptr[rows.lowerBound...rows.upperBound].map { $0 - start },
                         indices: Array(indices[start..<end]), values: Array(values[start..<end]))
    }
}
