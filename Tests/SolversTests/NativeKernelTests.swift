import Matrices
@testable import Solvers
import Testing

@Suite("Native kernels: every instruction-set variant against the NumPy reference and LAPACK")
struct NativeKernelTests {
    static var variantCases: [(NativeKernelVariant, String)] {
        NativeKernelVariant.supported.flatMap { v in RidgeReference.cases.map { (v, $0) } }
    }

    @Test("each variant matches the NumPy solutions to 1e-10 and the LAPACK kernel to 1e-12", arguments: variantCases)
    func matchesReference(variant: NativeKernelVariant, name: String) throws {
        let problem = try RidgeReference.shared.problem(name)
        var native = RidgeSolver()
        native.variant = variant
        var lapack = RidgeSolver()
        lapack.kernel = .lapack
        let x = try native.solve(problem).factors
        #expect(relativeError(x, try RidgeReference.shared.expected(name)) <= 1e-10, "\(variant) \(name)")
        #expect(relativeError(x, try lapack.solve(problem).factors) <= 1e-12, "\(variant) \(name)")
    }

    @Test("widths that are not a multiple of the tile (k = 1, 5, 13, 31, 65), both precisions", arguments: [1, 5, 13, 31, 65])
    func oddWidths(k: Int) throws {
        let (R, V) = syntheticProblem(users: 70, items: 90, k: k, density: 0.3, seed: UInt64(k))
        for loss in [Objective.Loss.observed, .implicit, .dense] {
            let problem = try RidgeProblem(interactions: R, items: V, objective: Objective(loss: loss, lambda: 0.2, regularization: .count, alpha: 3))
            var lapack = RidgeSolver()
            lapack.kernel = .lapack
            let expected = try lapack.solve(problem).factors
            for variant in NativeKernelVariant.supported {
                var solver = RidgeSolver()
                solver.variant = variant
                #expect(relativeError(try solver.solve(problem).factors, expected) <= 1e-12, "k=\(k) \(loss) \(variant)")
                solver.precision = .single
                // Well-conditioned (λ·n_u on the diagonal): float's unit roundoff 6e-8 times a
                // small condition number.
                #expect(relativeError(try solver.solve(problem).factors, expected) <= 1e-4, "k=\(k) \(loss) \(variant) single")
            }
        }
    }

    @Test("a singular user is refused by every variant, naming the same user LAPACK names")
    func singular() throws {
        let reference = RidgeReference.shared
        let problem = try RidgeProblem(interactions: reference.interactions.matrix, items: reference.items,
                                       objective: Objective(loss: .observed, lambda: 0))
        try expectEveryVariantFailsLikeLAPACK(problem, threads: 1)
    }

    @Test("the dense loss's shared factorization: complete, mostly full and sparse blocks of users, every variant, both precisions, any thread count",
          arguments: [1, 5, 13, 50, 65])
    func denseSharedPath(k: Int) throws {
        // Blocks of 48 users: complete rows (the dense product reads them in place), rows 60 %
        // full (densified), rows 3 % full (the sparse product), and a partial last block.
        let (R, V) = syntheticProblem(users: 230, items: 77, k: k, seed: UInt64(100 + k)) { u in
            u < 48 ? 1 : u < 96 ? 0.6 : u < 144 ? 0.03 : 1
        }
        let problem = try RidgeProblem(interactions: R, items: V, objective: Objective(loss: .dense, lambda: 0.3))
        var lapack = RidgeSolver(threads: 1)
        lapack.kernel = .lapack
        let expected = try lapack.solve(problem).factors
        for variant in NativeKernelVariant.supported {
            var solver = RidgeSolver(threads: 1)
            solver.variant = variant
            let one = try solver.solve(problem).factors
            #expect(relativeError(one, expected) <= 1e-12, "k=\(k) \(variant)")
            solver.threads = 2
            #expect(try solver.solve(problem).factors.storage == one.storage, "k=\(k) \(variant): threads changed the result")
            solver.precision = .single
            #expect(relativeError(try solver.solve(problem).factors, expected) <= 1e-4, "k=\(k) \(variant) single")
        }
    }
}
