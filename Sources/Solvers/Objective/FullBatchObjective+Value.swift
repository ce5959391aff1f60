import Matrices

extension FullBatchObjective {
    /// The summed objective at X (m × w), without its gradient: each user's predictions on
    /// their interactions come from the vectorized row dot products of the native kernels, the
    /// unobserved entries (dense and implicit losses) from X·G.
    func value(_ X: [Double]) -> Double {
        let m = problem.userCount, w = problem.width
        var product = [Double](repeating: 0, count: m * w)
        X.withUnsafeBufferPointer { x in product.withUnsafeMutableBufferPointer { multiplyByGram(x.baseAddress!, into: $0.baseAddress!) } }
        let shared = UnsafeSendable((self, X, product))
        return FullBatchObjective.sumOverBlocks(users: m, work: problem.interactions.nnz * w + m * w) { users in
            let (objective, X, product) = shared.value
            return objective.valueOfUsers(users, X, product)
        }
    }

    /// The objective terms of `users`, with XG = X·G from `multiplyByGram`.
    func valueOfUsers(_ users: Range<Int>, _ X: [Double], _ XG: [Double]) -> Double {
        let w = problem.width
        let R = problem.interactions
        let objective = problem.objective
        let mean = problem.mean
        let itemBias = problem.itemBias
        var maxDegree = 0
        for u in users { maxDegree = Swift.max(maxDegree, R.degree(ofRow: u)) }
        var predictions = [Double](repeating: 0, count: Swift.max(1, maxDegree))
        var value = 0.0
        X.withUnsafeBufferPointer { Xp in
            problem.items.storage.withUnsafeBufferPointer { V in
                R.indices.withUnsafeBufferPointer { indices in
                    predictions.withUnsafeMutableBufferPointer { out in
                        for u in users {
                            let x = Xp.baseAddress! + u * w
                            var xGx = 0.0
                            for c in 0..<w { xGx += x[c] * XG[u * w + c] }
                            let range = R.range(ofRow: u)
                            if objective.loss != .dense && !range.isEmpty {
                                Double.rowDots(w: w, x: x, v: V.baseAddress!, ldv: w, items: indices.baseAddress! + range.lowerBound,
                                               count: range.count, out: out.baseAddress!)
                            }
                            switch objective.loss {
                            case .dense:
                                // f_u = ‖t_u‖² − 2 x·b_u + x·Gx
                                var xb = 0.0
                                for c in 0..<w { xb += x[c] * B[u * w + c] }
                                value += targetNorms[u] - 2 * xb + xGx
                            case .implicit:
                                value += xGx
                                for (t, p) in range.enumerated() {
                                    let r = R.values[p]
                                    let confidence = objective.confidenceWeight(r)
                                    let e = (r > 0 ? 1 : 0) - out[t]
                                    value += confidence * e * e - out[t] * out[t]
                                }
                            case .observed:
                                for (t, p) in range.enumerated() {
                                    let e = R.values[p] - mean - (itemBias?[Int(R.indices[p])] ?? 0) - out[t]
                                    value += e * e
                                }
                            }
                            let lambdaU = objective.lambda(forCount: range.count)
                            for c in 0..<w where problem.isRegularized(c) { value += lambdaU * x[c] * x[c] }
                        }
                    }
                }
            }
        }
        return value
    }
}
