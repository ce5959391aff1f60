import Foundation

extension OptimizerSettings {
    /// Why `sparse` cannot be used with these settings and `loss`, or nil when it can.
    ///
    /// Sparse updates exist for the observed loss's mini-batches only (full-batch losses touch
    /// every row). `torch.optim.SparseAdam` has no weight decay; `torch.optim.SGD` turns a sparse
    /// gradient dense when it adds weight decay, and its momentum buffer keeps moving every row
    /// it has ever touched, so neither is an update of the touched rows alone.
    public func sparseConflict(loss: Objective.Loss) -> String? {
        guard sparse else { return nil }
        if loss != .observed { return "--sparse updates the rows a mini-batch touches: it needs --loss observed" }
        if weightDecay != 0 { return "--sparse has no weight decay (as torch.optim.SparseAdam); use --lambda instead of --weight-decay" }
        if momentum != 0 || nesterov { return "--sparse SGD is plain SGD: --momentum and --nesterov would move untouched rows" }
        return nil
    }
}

extension OptimizerState {
    /// One update of the rows `rows` of `x` (rows of `width`) from their gradient `g`, row `s` of
    /// `g` belonging to `rows[s]`, each row listed once (duplicates already summed); every other
    /// row of `x` and of the moments stays as it is.
    ///
    /// SGD: x ← x − lr·g on those rows, which is what plain `torch.optim.SGD` does with a sparse
    /// gradient (and what the dense update does, since an untouched row's gradient is 0).
    ///
    /// Adam: `torch.optim.SparseAdam` (torch.optim._functional.sparse_adam), in its operation order:
    /// Δm = (g − m)·(1 − β1), Δv = (g² − v)·(1 − β2), m ← m + Δm, v ← v + Δv,
    /// x ← x − s·((Δm + m_old) / (√(Δv + v_old) + ε)) with s = lr·√(1 − β2^t)/(1 − β1^t), where t
    /// counts every update (every batch), not the updates of the row: a row first touched at
    /// step t starts from zero moments with step t's bias correction, as in PyTorch. The
    /// arithmetic is mftool's SIMD kernel, without fused multiply-adds: it rounds as the scalar
    /// formula does.
    mutating func sparseUpdate(_ x: UnsafeMutablePointer<Double>, rows: [Int32], width w: Int, _ g: UnsafePointer<Double>) {
        step += 1
        let lr = learningRate
        switch settings.kind {
        case .sgd:
            for (s, r) in rows.enumerated() {
                let xr = x + Int(r) * w, gr = g + s * w
                for c in 0..<w { xr[c] -= lr * gr[c] }
            }
        case .adam:
            let s = settings
            let correction1 = 1 - pow(s.beta1, Double(step))
            let correction2 = 1 - pow(s.beta2, Double(step))
            let stepSize = lr * correction2.squareRoot() / correction1
            first.withUnsafeMutableBufferPointer { mp in
                second.withUnsafeMutableBufferPointer { vp in
                    NativeKernels.sparseAdamStep(width: w, rows: rows, x: x, g: g, m: mp.baseAddress!, v: vp.baseAddress!,
                                                 beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, stepSize: stepSize)
                }
            }
        }
    }
}
