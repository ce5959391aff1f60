import Matrices

extension GradientTrainer {
    /// The buffers of sparse mini-batch steps, sized once per training run: a batch's work and
    /// the memory it writes are proportional to the rows it touches, never to the user count.
    struct SparseBatch {
        /// The per-entry arrays, `rows` holding each entry's slot in the compact buffers (set
        /// for a batch's entries before its gradient is computed).
        var entries: MiniBatchData
        /// The slot of each user row in the current batch, −1 for rows it does not touch (reset
        /// after every batch for the touched rows only).
        var slot: [Int32]
        /// The rows the current batch touches, in order of first appearance: slot s is touched[s].
        var touched: [Int32] = []
        /// The touched rows' factors and their summed gradient, slot by slot (batch × width).
        var factors: [Double]
        var gradient: [Double]

        init(_ data: MiniBatchData, users: Int, width: Int, batchSize: Int) {
            entries = data
            slot = [Int32](repeating: -1, count: users)
            touched.reserveCapacity(batchSize)
            factors = [Double](repeating: 0, count: batchSize * width)
            gradient = [Double](repeating: 0, count: batchSize * width)
        }

        /// Assigns the slots of the batch `order[range]` and gathers the touched rows of `X`.
        mutating func gather(_ order: ArraySlice<Int>, rows: [Int32], X: UnsafePointer<Double>, width w: Int) {
            touched.removeAll(keepingCapacity: true)
            for p in order {
                let r = Int(rows[p])
                if slot[r] < 0 {
                    slot[r] = Int32(touched.count)
                    touched.append(Int32(r))
                }
                entries.rows[p] = slot[r]
            }
            factors.withUnsafeMutableBufferPointer { f in
                for (s, r) in touched.enumerated() { (f.baseAddress! + s * w).update(from: X + Int(r) * w, count: w) }
            }
            gradient.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: touched.count * w) }
        }

        /// Clears the slots of the touched rows.
        mutating func release() {
            for r in touched { slot[Int(r)] = -1 }
        }
    }

    /// One step on the batch `entries` (indices of stored entries): the loss and gradient of the
    /// batch on its touched rows alone, duplicated rows summed (coalesced, as PyTorch does before
    /// a sparse update), then `OptimizerState.sparseUpdate` on those rows. The penalty enters as
    /// in the dense step: each entry of user u carries λ_u/|Ω_u| of u's penalty, so its gradient
    /// lies on the touched rows and an epoch's batches add up to the full objective. Returns the
    /// batch loss, unscaled.
    func sparseStep(_ problem: RidgeProblem, entries: ArraySlice<Int>, X: UnsafeMutablePointer<Double>, state: inout OptimizerState,
                    scratch: inout SparseBatch, data: MiniBatchData, scale: Double) -> Double {
        let w = problem.width
        scratch.gather(entries, rows: data.rows, X: X, width: w)
        let local = scratch.entries
        let loss = entries.withUnsafeBufferPointer { o in
            scratch.factors.withUnsafeBufferPointer { f in
                scratch.gradient.withUnsafeMutableBufferPointer { g in
                    problem.items.storage.withUnsafeBufferPointer { v in
                        NativeKernels.batchGradient(width: w, regularized: data.regularized, entries: o, data: local,
                                                    columns: problem.interactions.indices, X: f.baseAddress!, V: v.baseAddress!,
                                                    scale: scale, gradient: g.baseAddress!)
                    }
                }
            }
        }
        scratch.gradient.withUnsafeBufferPointer { g in state.sparseUpdate(X, rows: scratch.touched, width: w, g.baseAddress!) }
        scratch.release()
        return loss
    }

    /// One pass over the interactions in shuffled mini-batches with sparse updates (the same
    /// shuffles and batches as `miniBatchEpoch`); returns the mean batch loss.
    func sparseMiniBatchEpoch(_ problem: RidgeProblem, X: inout [Double], state: inout OptimizerState, order: inout [Int],
                              scratch: inout SparseBatch, data: MiniBatchData, rng: inout SplitMix64) -> Double {
        rng.shuffle(&order)
        var total = 0.0
        var batches = 0
        let batch = Swift.max(1, batchSize)
        var ticker = ProgressTicker(batchProgress, total: order.count)
        X.withUnsafeMutableBufferPointer { xp in
            var b0 = 0
            while b0 < order.count {
                let b1 = Swift.min(b0 + batch, order.count)
                let scale = lossScale == .mean ? 1 / Double(b1 - b0) : 1
                let loss = sparseStep(problem, entries: order[b0..<b1], X: xp.baseAddress!, state: &state, scratch: &scratch,
                                      data: data, scale: scale)
                total += loss * scale
                batches += 1
                b0 = b1
                ticker?.tick(b1)
            }
        }
        ticker?.finish()
        return batches > 0 ? total / Double(batches) : 0
    }
}
