import Matrices
@testable import Solvers
import Testing

@Suite("The dense product R·V and the dense loss's task pool")
struct DenseProductTests {
    /// B = D·V by the native kernel against sums in double, for `rows` dense rows of D.
    func checkProduct<S: LinearAlgebraScalar>(_: S.Type, variant: NativeKernelVariant, rows: Int, n: Int, k: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let kp = S.nativePadding(variant, k)
        let D = (0..<(rows * n)).map { _ in Double.random(in: -1..<1, using: &rng) }
        var V = [S](repeating: 0, count: n * kp)
        for i in 0..<n { for c in 0..<k { V[i * kp + c] = S(Double.random(in: -1..<1, using: &rng)) } }
        var B = [S](repeating: .nan, count: rows * kp)
        D.withUnsafeBufferPointer { d in
            V.withUnsafeBufferPointer { v in
                B.withUnsafeMutableBufferPointer { b in
                    S.nativeDenseMM(variant, rows: rows, n: n, k: k, d: d.baseAddress!, ldd: n, v: v.baseAddress!, ldv: kp,
                                    b: b.baseAddress!, ldb: kp)
                }
            }
        }
        // Each entry is a chain of n multiply-adds of values converted to S: its error is at most
        // (n + 1)·u·Σ|d·v| (u the unit roundoff; one more u for converting d to float).
        let u = S.self == Double.self ? 0x1p-53 : 0x1p-24
        var worst = 0.0
        for r in 0..<rows {
            for c in 0..<k {
                var sum = 0.0, magnitude = 0.0
                for i in 0..<n {
                    let term = Double(S(D[r * n + i])) * Double(V[i * kp + c])
                    sum += term
                    magnitude += abs(term)
                }
                let error = abs(Double(B[r * kp + c]) - sum) / (Double(n + 2) * u * magnitude)
                worst = Swift.max(worst, error.isNaN ? .infinity : error)
            }
        }
        #expect(worst <= 1, "\(S.self) \(variant) rows=\(rows) n=\(n) k=\(k): error \(worst) of its bound")
    }

    @Test("every row count (the full tile and each remainder), items below and off a multiple of 8, both precisions, every variant",
          arguments: [1, 7, 8, 19, 77])
    func productAgainstSums(n: Int) {
        for variant in NativeKernelVariant.supported {
            for rows in 1...13 {
                for k in [5, 50] {
                    checkProduct(Double.self, variant: variant, rows: rows, n: n, k: k, seed: UInt64(rows * 100 + n))
                    checkProduct(Float.self, variant: variant, rows: rows, n: n, k: k, seed: UInt64(rows * 100 + n))
                }
            }
        }
    }

    @Test("the Gram matrix from rows padded to whole vectors (odd and even numbers of them) equals the one from rows padded to kp, every variant, both precisions",
          arguments: [1, 5, 13, 20, 50, 65])
    func gramFromVectorPaddedRows(k: Int) {
        func check<S: LinearAlgebraScalar>(_: S.Type, _ variant: NativeKernelVariant) {
            var rng = SplitMix64(seed: UInt64(k))
            let n = 37, kp = S.nativePadding(variant, k), ldv = S.nativeVectorPadding(variant, k)
            let V = (0..<(n * k)).map { _ in S(Double.random(in: -1..<1, using: &rng)) }
            func gram(_ ld: Int) -> [S] {
                var rows = [S](repeating: 0, count: n * ld)
                var a = [S](repeating: 0, count: kp * kp)
                V.withUnsafeBufferPointer { v in
                    rows.withUnsafeMutableBufferPointer { S.packRows(k: k, kp: ld, count: n, v: v.baseAddress!, ldv: k, out: $0.baseAddress!) }
                }
                rows.withUnsafeBufferPointer { x in
                    a.withUnsafeMutableBufferPointer { S.nativeGram(variant, kp: kp, ldx: ld, count: n, x: x.baseAddress!, y: nil, base: nil, a: $0.baseAddress!) }
                }
                return a
            }
            let (full, short) = (gram(kp), gram(ldv))
            var differing = 0
            for i in 0..<k { for j in i..<k where full[i * kp + j] != short[i * kp + j] { differing += 1 } }
            #expect(differing == 0, "\(S.self) \(variant) k=\(k) ldv=\(ldv): \(differing) entries differ")
            // And the sums themselves, against double within the chain's bound (n + 1)·u·Σ|x·y|.
            let u = S.self == Double.self ? 0x1p-53 : 0x1p-24
            var worst = 0.0
            for i in 0..<k {
                for j in i..<k {
                    var sum = 0.0, magnitude = 0.0
                    for t in 0..<n { let p = Double(V[t * k + i]) * Double(V[t * k + j]); sum += p; magnitude += abs(p) }
                    worst = Swift.max(worst, abs(Double(short[i * kp + j]) - sum) / (Double(n + 1) * u * magnitude))
                }
            }
            #expect(worst <= 1, "\(S.self) \(variant) k=\(k): error \(worst) of its bound")
        }
        for variant in NativeKernelVariant.supported {
            check(Double.self, variant)
            check(Float.self, variant)
        }
    }

    @Test("a factorization slower than the first blocks' products (k = 160): the blocks that waited for it are solved, as on one thread")
    func blocksWaitForTheFactor() throws {
        // The factor's Gram work is n·k² against 48·n·k for a block: when the helper thread starts
        // promptly it finishes its first products before the factor is published. Whether it
        // starts promptly depends on the scheduler, so the test solves 6 times.
        let (R, V) = syntheticProblem(users: 300, items: 400, k: 160, density: 1, seed: 11)
        let problem = try RidgeProblem(interactions: R, items: V, objective: Objective(loss: .dense, lambda: 2))
        var lapack = RidgeSolver(threads: 1)
        lapack.kernel = .lapack
        let expected = try lapack.solve(problem).factors
        let one = try RidgeSolver(threads: 1).solve(problem).factors
        #expect(relativeError(one, expected) <= 1e-12)
        for _ in 0..<6 {
            #expect(try RidgeSolver(threads: 2).solve(problem).factors.storage == one.storage, "threads changed the result")
        }
    }

    @Test("a Gram matrix that is not positive definite: the pool stops, and the LAPACK path reports or falls back as LAPACK alone does",
          arguments: [1, 2])
    func singularGram(threads: Int) throws {
        // Fewer items than the width and λ = 0: VᵀV has rank 3 < 6.
        let (R, V) = syntheticProblem(users: 150, items: 3, k: 6, density: 1, seed: 7)
        let problem = try RidgeProblem(interactions: R, items: V, objective: Objective(loss: .dense, lambda: 0))
        try expectEveryVariantFailsLikeLAPACK(problem, threads: threads)
    }
}
