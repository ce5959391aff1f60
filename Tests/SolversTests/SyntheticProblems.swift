import Matrices
@testable import Solvers

import Foundation

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
