import Matrices

extension ObjectiveEvaluator {
    /// The summed objective at X (m × w), without its gradient: each user's predictions on
    /// their interactions come from the vectorized row dot products of the native kernels, the
    /// entries outside Ω_u (dense and implicit losses) from X·G.
    func value(_ X: [Double]) -> Double {
        let m = problem.userCount, w = problem.width
        var product = [Double](repeating: 0, count: m * w)
        X.withUnsafeBufferPointer { x in product.withUnsafeMutableBufferPointer { multiplyByGram(x.baseAddress!, into: $0.baseAddress!) } }
        let shared = UnsafeSendable((self, X, product))
        return ObjectiveEvaluator.sumOverBlocks(users: m, work: problem.interactions.nnz * w + m * w) { users in
            let (evaluator, X, product) = shared.value
            return X.withUnsafeBufferPointer { evaluator.valueOfUsers(users, $0.baseAddress!, product) }
        }
    }

    /// The objective terms of `users`, with XG = X·G from `multiplyByGram`.
    func valueOfUsers(_ users: Range<Int>, _ X: UnsafePointer<Double>, _ XG: [Double]) -> Double {
        let w = problem.width
        let R = problem.interactions
        var maxDegree = 0
        for u in users { maxDegree = Swift.max(maxDegree, R.degree(ofRow: u)) }
        var predictions = [Double](repeating: 0, count: Swift.max(1, maxDegree))
        var value = 0.0
        for u in users {
            let x = X + u * w
            var xGx = 0.0
            for c in 0..<w { xGx += x[c] * XG[u * w + c] }
            if terms.rhsWeightsAreValues {
                var xb = 0.0
                for c in 0..<w { xb += x[c] * B[u * w + c] }
                value += targetNorms[u] - 2 * xb + xGx
            } else {
                if terms.hasBackground { value += xGx }
                predict(u, x, into: &predictions)
                for (t, p) in R.range(ofRow: u).enumerated() {
                    value += terms.entry(R.values[p], item: Int(R.indices[p]), prediction: predictions[t]).value
                }
            }
            let lambdaU = terms.lambda(forCount: R.degree(ofRow: u))
            for c in 0..<w where problem.isRegularized(c) { value += lambdaU * x[c] * x[c] }
        }
        return value
    }

    /// x·v_i for user u's stored items, in `out`'s first entries.
    @inline(__always)
    func predict(_ u: Int, _ x: UnsafePointer<Double>, into out: inout [Double]) {
        let R = problem.interactions
        let range = R.range(ofRow: u)
        guard !range.isEmpty else { return }
        problem.items.storage.withUnsafeBufferPointer { V in
            R.indices.withUnsafeBufferPointer { indices in
                out.withUnsafeMutableBufferPointer { o in
                    Double.rowDots(w: problem.width, x: x, v: V.baseAddress!, ldv: problem.width,
                                   items: indices.baseAddress! + range.lowerBound, count: range.count, out: o.baseAddress!)
                }
            }
        }
    }
}
