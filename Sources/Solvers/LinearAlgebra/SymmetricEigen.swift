/// Minimum-norm solutions of symmetric positive semi-definite systems by eigendecomposition.
enum SymmetricEigen {
    /// x = A⁺ b, with eigenvalues below n·ε·max|λ| treated as zero.
    static func pseudoSolve<S: LinearAlgebraScalar>(n: Int, a: [S], b: [S]) -> [S] {
        var q = a
        var eigenvalues = [S](repeating: 0, count: n)
        let info = q.withUnsafeMutableBufferPointer { qp in
            eigenvalues.withUnsafeMutableBufferPointer { S.syevd(n: n, a: qp.baseAddress!, w: $0.baseAddress!) }
        }
        guard info == 0 else { return [S](repeating: 0, count: n) }
        let largest = eigenvalues.map { abs($0) }.max() ?? 0
        let cutoff = S(n) * S.ulpOfOne * largest
        var x = [Double](repeating: 0, count: n)
        // Column-major eigenvectors: vector e is q[e*n ..< (e+1)*n].
        for e in 0..<n where eigenvalues[e] > cutoff {
            var dot = 0.0
            for c in 0..<n { dot += Double(q[e * n + c]) * Double(b[c]) }
            let scale = dot / Double(eigenvalues[e])
            for c in 0..<n { x[c] += scale * Double(q[e * n + c]) }
        }
        return x.map { S($0) }
    }
}
