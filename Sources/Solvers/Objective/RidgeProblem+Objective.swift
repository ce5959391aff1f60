import Matrices

extension RidgeProblem {
    /// X·G for G = VᵀV (m × w), by BLAS; the dense and implicit losses' shared term.
    func timesGram(_ X: DenseMatrix<Double>) -> [Double] {
        let kernel = RidgeKernel<Double>(problem: self, solver: RidgeSolver(threads: 1))
        let G = kernel.gram()
        var out = [Double](repeating: 0, count: X.rows * width)
        guard X.rows > 0 else { return out }
        X.storage.withUnsafeBufferPointer { x in
            G.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer { o in
                    Double.gemm(m: X.rows, n: width, k: width, alpha: 1, a: x.baseAddress!, lda: width,
                                b: g.baseAddress!, ldb: width, beta: 0, c: o.baseAddress!, ldc: width)
                }
            }
        }
        return out
    }

    /// The objective of each user at factors X (m × width), in Float64.
    public func userObjectives(_ X: DenseMatrix<Double>) -> [Double] {
        precondition(X.rows == userCount && X.columns == width, "factors are \(X.rows)×\(X.columns), expected \(userCount)×\(width)")
        let R = interactions
        let V = items
        let w = width
        let loss = objective.loss
        let XG = loss == .observed ? [] : timesGram(X)
        let t0 = backgroundTargets
        let t0Norm = t0.reduce(0) { $0 + $1 * $1 }
        let Vt0 = backgroundRightHandSide
        var result = [Double](repeating: 0, count: userCount)
        for u in 0..<userCount {
            let x = X.row(u)
            let base = x.startIndex
            var value = 0.0
            switch loss {
            case .observed:
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    var prediction = 0.0
                    for c in 0..<w { prediction += x[base + c] * V[j, c] }
                    let e = R.values[p] - mean - (itemBias?[j] ?? 0) - prediction
                    value += e * e
                }
            case .dense:
                // Σ_i (t0_i − x·v_i)² over all items, then the observed entries corrected.
                var xGx = 0.0, xVt0 = 0.0
                for c in 0..<w { xGx += x[base + c] * XG[u * w + c]; xVt0 += x[base + c] * Vt0[c] }
                value = t0Norm - 2 * xVt0 + xGx
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    var prediction = 0.0
                    for c in 0..<w { prediction += x[base + c] * V[j, c] }
                    let background = t0[j] - prediction
                    let observed = t0[j] + R.values[p] - prediction
                    value += observed * observed - background * background
                }
            case .implicit:
                var xGx = 0.0
                for c in 0..<w { xGx += x[base + c] * XG[u * w + c] }
                value = xGx
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    var prediction = 0.0
                    for c in 0..<w { prediction += x[base + c] * V[j, c] }
                    let r = R.values[p]
                    let preference: Double = r > 0 ? 1 : 0
                    let e = preference - prediction
                    value += objective.confidenceWeight(r) * e * e - prediction * prediction
                }
            }
            let lambdaU = objective.lambda(forCount: R.degree(ofRow: u))
            var norm = 0.0
            for c in 0..<w where isRegularized(c) { norm += x[base + c] * x[base + c] }
            result[u] = value + lambdaU * norm
        }
        return result
    }

    /// The objective summed over users.
    public func objectiveValue(_ X: DenseMatrix<Double>) -> Double {
        userObjectives(X).reduce(0, +)
    }

    /// The gradient of the summed objective with respect to X (m × width), in Float64.
    public func gradient(_ X: DenseMatrix<Double>) -> DenseMatrix<Double> {
        precondition(X.rows == userCount && X.columns == width)
        let R = interactions
        let V = items
        let w = width
        let loss = objective.loss
        var out = loss == .observed ? [Double](repeating: 0, count: userCount * w) : timesGram(X)
        let Vt0 = backgroundRightHandSide
        for u in 0..<userCount {
            let x = X.row(u)
            let base = x.startIndex
            let g = u * w
            switch loss {
            case .observed:
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    var prediction = 0.0
                    for c in 0..<w { prediction += x[base + c] * V[j, c] }
                    let e = R.values[p] - mean - (itemBias?[j] ?? 0) - prediction
                    for c in 0..<w { out[g + c] -= e * V[j, c] }
                }
            case .dense:
                for c in 0..<w { out[g + c] -= Vt0[c] }
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    for c in 0..<w { out[g + c] -= R.values[p] * V[j, c] }
                }
            case .implicit:
                for p in R.range(ofRow: u) {
                    let j = Int(R.indices[p])
                    var prediction = 0.0
                    for c in 0..<w { prediction += x[base + c] * V[j, c] }
                    let r = R.values[p]
                    let confidence = objective.confidenceWeight(r)
                    let preference: Double = r > 0 ? 1 : 0
                    let coefficient = (confidence - 1) * prediction - confidence * preference
                    for c in 0..<w { out[g + c] += coefficient * V[j, c] }
                }
            }
            let lambdaU = objective.lambda(forCount: R.degree(ofRow: u))
            for c in 0..<w {
                out[g + c] = 2 * out[g + c] + (isRegularized(c) ? 2 * lambdaU * x[base + c] : 0)
            }
        }
        return DenseMatrix(rows: userCount, columns: w, storage: out)
    }
}
