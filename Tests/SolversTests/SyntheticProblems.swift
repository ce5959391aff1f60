import Matrices
@testable import Solvers

import Foundation
import Testing

/// Random interactions (ratings 1…5 in half steps) and item factors.
func syntheticProblem(users m: Int, items n: Int, k: Int, density: Double, seed: UInt64) -> (CSRMatrix, DenseMatrix<Double>) {
    syntheticProblem(users: m, items: n, k: k, seed: seed) { _ in density }
}

/// Random interactions with a density per user (1: every item), and item factors.
func syntheticProblem(users m: Int, items n: Int, k: Int, seed: UInt64, density: (Int) -> Double) -> (CSRMatrix, DenseMatrix<Double>) {
    var rng = SplitMix64(seed: seed)
    var indptr = [0], indices = [Int32](), values = [Double]()
    for u in 0..<m {
        let d = density(u)
        for j in 0..<n where d >= 1 || rng.uniform() < d {
            indices.append(Int32(j))
            values.append(Double(2 + Int(rng.uniform() * 9)) / 2)
        }
        indptr.append(indices.count)
    }
    let items = (0..<(n * k)).map { _ in rng.normal() / Double(k).squareRoot() }
    return (CSRMatrix(rows: m, columns: n, indptr: indptr, indices: indices, values: values),
            DenseMatrix(rows: n, columns: k, storage: items))
}

func maxAbs(_ values: [Double]) -> Double { values.map { abs($0) }.max() ?? 0 }

/// Every native variant, on `threads` threads, refuses `problem` naming the row LAPACK names, and
/// with `--fallback lstsq` agrees with LAPACK's fallback (to 1e-9: both are minimum-norm
/// least-squares solutions of the same systems, computed differently).
func expectEveryVariantFailsLikeLAPACK(_ problem: RidgeProblem, threads: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var lapack = RidgeSolver(threads: 1)
    lapack.kernel = .lapack
    var expectedRow = -1
    do { _ = try lapack.solve(problem) } catch { expectedRow = error.row }
    #expect(expectedRow >= 0, sourceLocation: sourceLocation)
    var lapackFallback = lapack
    lapackFallback.fallback = .lstsq
    let expected = try lapackFallback.solve(problem)
    for variant in NativeKernelVariant.supported {
        var solver = RidgeSolver(threads: threads)
        solver.variant = variant
        do {
            _ = try solver.solve(problem)
            Issue.record("\(variant) solved a problem LAPACK refuses", sourceLocation: sourceLocation)
        } catch {
            #expect(error.row == expectedRow, "\(variant)", sourceLocation: sourceLocation)
        }
        solver.fallback = .lstsq
        let a = try solver.solve(problem)
        #expect(a.fallbackUsers == expected.fallbackUsers && relativeError(a.factors, expected.factors) <= 1e-9, "\(variant)",
                sourceLocation: sourceLocation)
    }
}
