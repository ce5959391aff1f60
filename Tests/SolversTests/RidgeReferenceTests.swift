import FixturePaths
import IO
import Matrices
import Solvers
import Testing

/// The reference problem of `tools/fixtures/make_ridge_reference.py` and its NumPy solutions.
struct RidgeReference {
    let interactions: Interactions
    let items: DenseMatrix<Double>
    let itemBias: [Double]

    static let shared: RidgeReference = {
        let (x, _) = try! InteractionsFile.read(FileSpec(Fixtures.path("ridge/problem.h5")))
        let items = try! EmbeddingsFile.read(FileSpec(Fixtures.path("ridge/items.h5")))
        let bias = try! EmbeddingsFile.readVector(FileSpec(path: Fixtures.path("ridge/items.h5"), object: "/item_bias"))
        return RidgeReference(interactions: x, items: items.factors, itemBias: bias)
    }()

    static let losses = ["observed", "dense", "implicit-oneplus", "implicit-linear"]
    static let regs = ["constant", "count"]
    static let biases = ["none", "userbias", "offset", "itembias", "userbias-offset-itembias"]

    /// The iALS cases' unobserved weight α0 and frequency exponent ν, as the script names them.
    static let ials = ["a0.5-nu0.5", "a0-nu1", "a1-nu0", "a0.25-nu1"]

    /// Every case name the reference holds: loss_reg_bias, the iALS ones with reg
    /// frequency-a{α0}-nu{ν}.
    static var cases: [String] {
        losses.flatMap { loss in regs.flatMap { reg in
            biases.filter { !loss.hasPrefix("implicit") || $0 == "none" || $0 == "userbias" }.map { "\(loss)_\(reg)_\($0)" }
        } } + ials.flatMap { setting in
            // α0 = 0 with a user bias has a trivial optimum (every target fit by the bias): not in the reference.
            ["none", "userbias"].filter { setting.hasPrefix("a0-") ? $0 == "none" : true }.map { "implicit-oneplus_frequency-\(setting)_\($0)" }
        }
    }

    /// The objective and item bias a case name describes (λ = 0.3, α = 2 as the script uses).
    static func objective(for name: String) -> (Objective, Bool) {
        let parts = name.split(separator: "_").map(String.init)
        var o = Objective(lambda: 0.3, alpha: 2)
        switch parts[0] {
        case "observed": o.loss = .observed
        case "dense": o.loss = .dense
        case "implicit-oneplus": o.loss = .implicit; o.confidence = .onePlus
        default: o.loss = .implicit; o.confidence = .linear
        }
        o.regularization = parts[1] == "count" ? .count : .constant
        if parts[1].hasPrefix("frequency-") {
            // frequency-a{α0}-nu{ν}
            let settings = parts[1].split(separator: "-")
            o.regularization = .frequency
            o.unobservedWeight = Double(settings[1].dropFirst())!
            o.regularizationExponent = Double(settings[2].dropFirst(2))!
        }
        o.userBias = parts[2].contains("userbias")
        o.offset = parts[2].contains("offset") ? .globalMean : .none
        return (o, parts[2].contains("itembias"))
    }

    func problem(_ name: String) throws -> RidgeProblem {
        let (objective, usesItemBias) = RidgeReference.objective(for: name)
        return try RidgeProblem(interactions: interactions.matrix, items: items, objective: objective,
                                itemBias: usesItemBias ? itemBias : nil)
    }

    func expected(_ name: String) throws -> DenseMatrix<Double> {
        try EmbeddingsFile.read(FileSpec(path: Fixtures.path("ridge/expected.h5"), object: "/\(name)/user_factors")).factors
    }
}

/// max |a − b| / max |b|: the norm-wise relative error, stable where entries are near zero.
func relativeError(_ a: DenseMatrix<Double>, _ b: DenseMatrix<Double>) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    let scale = b.storage.map { abs($0) }.max() ?? 0
    let diff = zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    return scale > 0 ? diff / scale : diff
}

@Suite("Ridge solve against the NumPy reference")
struct RidgeReferenceTests {
    @Test("every loss × reg × bias case matches lstsq to 1e-10", arguments: RidgeReference.cases)
    func matchesReference(name: String) throws {
        let reference = RidgeReference.shared
        let problem = try reference.problem(name)
        let solution = try RidgeSolver(threads: 2).solve(problem)
        let expected = try reference.expected(name)
        #expect(solution.factors.columns == expected.columns)
        // The systems here have condition numbers below 1e3, so double-precision Cholesky and
        // NumPy's QR agree to ~1e-13; 1e-10 leaves room without hiding a wrong term.
        #expect(relativeError(solution.factors, expected) <= 1e-10, "case \(name)")
    }

    @Test("the objective value matches the reference's", arguments: RidgeReference.cases)
    func objectiveMatches(name: String) throws {
        let reference = RidgeReference.shared
        let problem = try reference.problem(name)
        let expected = try reference.expected(name)
        let value = problem.objectiveValue(expected)
        let stored = try EmbeddingsFile.readVector(FileSpec(path: Fixtures.path("ridge/expected.h5"), object: "/\(name)/user_objective"))
        let total = stored.reduce(0, +)
        #expect(abs(value - total) <= 1e-10 * abs(total), "case \(name): \(value) vs \(total)")
    }
}
