import Matrices
import Solvers

/// A small deterministic generator (SplitMix64) so tests need no fixtures for random problems.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = Swift.max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

import Foundation

/// Random interactions (ratings 1…5 in half steps) and item factors.
func syntheticProblem(users m: Int, items n: Int, k: Int, density: Double, seed: UInt64) -> (CSRMatrix, DenseMatrix<Double>) {
    var rng = SplitMix64(state: seed)
    var indptr = [0], indices = [Int32](), values = [Double]()
    for _ in 0..<m {
        for j in 0..<n where rng.uniform() < density {
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
