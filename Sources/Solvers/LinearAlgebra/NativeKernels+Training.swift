import CKernels

// Gradient training (CKernels/include/mf_training.h): PyTorch's Adam and SparseAdam steps and the
// loss and gradient of one mini-batch.

extension NativeKernels {
    /// PyTorch's Adam step on `count` parameters, with the best variant for this CPU.
    @inline(__always)
    static func adamStep(x: UnsafeMutablePointer<Double>, g: UnsafePointer<Double>, m: UnsafeMutablePointer<Double>,
                         v: UnsafeMutablePointer<Double>, count: Int, decay: Double, beta1: Double, beta2: Double,
                         epsilon: Double, stepSize: Double, root2: Double) {
        mf_adam_step(NativeKernelVariant.best.isa, count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2)
    }

    /// torch.optim.SparseAdam's step on the rows `rows` (of `width`) of x, m and v from the rows of
    /// the compact gradient `g` (row s of g belongs to rows[s]), with the best variant for this CPU.
    @inline(__always)
    static func sparseAdamStep(width: Int, rows: [Int32], x: UnsafeMutablePointer<Double>, g: UnsafePointer<Double>,
                               m: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, beta1: Double, beta2: Double,
                               epsilon: Double, stepSize: Double) {
        mf_sparse_adam_step(NativeKernelVariant.best.isa, Int32(width), rows.count, rows, x, g, m, v, beta1, beta2, epsilon, stepSize)
    }

    /// The observed loss of one mini-batch (the stored entries `entries`, with the entries' rows,
    /// targets and shares from `data` and their columns from `columns`) and its gradient (added
    /// to `gradient`).
    @inline(__always)
    static func batchGradient(width: Int, regularized: Int, entries: UnsafeBufferPointer<Int>, data: GradientTrainer.MiniBatchData,
                              columns: [Int32], X: UnsafePointer<Double>, V: UnsafePointer<Double>, scale: Double,
                              gradient: UnsafeMutablePointer<Double>) -> Double {
        guard let start = entries.baseAddress else { return 0 }
        return start.withMemoryRebound(to: Int64.self, capacity: entries.count) { order in
            mf_batch_gradient(NativeKernelVariant.best.isa, Int32(width), Int32(regularized), entries.count, order,
                              data.rows, columns, data.targets, data.shares, X, V, scale, gradient)
        }
    }
}
