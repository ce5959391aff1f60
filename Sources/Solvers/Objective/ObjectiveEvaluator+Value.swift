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
        var predictions = [Double](repeating: 0, count: Swift.max(1, maxDegree(users)))
        var value = 0.0
        XG.withUnsafeBufferPointer { xg in
            predictions.withUnsafeMutableBufferPointer { out in
                for u in users {
                    let x = X + u * w
                    if !terms.rhsWeightsAreValues { predict(u, x, into: out.baseAddress!) }
                    addValue(ofUser: u, x, xG: xg.baseAddress! + u * w, predictions: out.baseAddress!, to: &value)
                }
            }
        }
        return value
    }

    /// Adds f_u at x to `value`, the one definition of the objective's value that both
    /// ``value(_:)`` and ``evaluate(_:gradient:)`` sum: the dense loss's ‖t_u‖² − 2 x·b_u + x·Gx, or
    /// x·Gx (with a background) plus each stored entry's part (``ObjectiveTerms/entry(_:item:prediction:)``)
    /// at the prediction x·v_i given in `predictions` (in the order of the user's entries), then
    /// λ_u‖x‖² over the penalized components. `xG` is the user's row of X·G (c0·VᵀV).
    @inline(__always)
    func addValue(ofUser u: Int, _ x: UnsafePointer<Double>, xG: UnsafePointer<Double>, predictions: UnsafePointer<Double>,
                  to value: inout Double) {
        let w = problem.width, R = problem.interactions
        if terms.rhsWeightsAreValues {
            var xGx = 0.0, xb = 0.0
            for c in 0..<w { xGx += x[c] * xG[c]; xb += x[c] * B[u * w + c] }
            value += targetNorms[u] - 2 * xb + xGx
        } else {
            if terms.hasBackground {
                var xGx = 0.0
                for c in 0..<w { xGx += x[c] * xG[c] }
                value += xGx
            }
            for (t, p) in R.range(ofRow: u).enumerated() {
                value += terms.entry(R.values[p], item: Int(R.indices[p]), prediction: predictions[t]).value
            }
        }
        let lambdaU = terms.lambda(forCount: R.degree(ofRow: u))
        for c in 0..<w where problem.isRegularized(c) { value += lambdaU * x[c] * x[c] }
    }

    /// The most stored entries of one of `users`: the room their predictions need.
    func maxDegree(_ users: Range<Int>) -> Int {
        var most = 0
        for u in users { most = Swift.max(most, problem.interactions.degree(ofRow: u)) }
        return most
    }

    /// x·v_i for user u's stored items by the native row dot products, in `out`'s first entries.
    @inline(__always)
    func predict(_ u: Int, _ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let R = problem.interactions
        let range = R.range(ofRow: u)
        guard !range.isEmpty else { return }
        problem.items.storage.withUnsafeBufferPointer { V in
            R.indices.withUnsafeBufferPointer { indices in
                Double.rowDots(w: problem.width, x: x, v: V.baseAddress!, ldv: problem.width,
                               items: indices.baseAddress! + range.lowerBound, count: range.count, out: out)
            }
        }
    }
}
