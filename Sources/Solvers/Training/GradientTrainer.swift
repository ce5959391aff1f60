import Foundation
import Matrices

/// Trains user factors by gradient steps on the same objective the ridge solver minimizes:
/// full-batch for the dense and implicit losses, shuffled mini-batches of interactions for the
/// observed loss (PyTorch's `DataLoader(shuffle=True)` pattern). Under the observed loss, users
/// without interactions are set to their defined optimum, 0, since no batch ever reaches them.
/// Mini-batch steps update every row (PyTorch's optimizers on a dense gradient) or, with
/// `optimizer.sparse`, only the rows the batch touches (`GradientTrainer+Sparse.swift`).
public struct GradientTrainer: Sendable {
    /// How the reported loss and the gradient are scaled.
    public typealias LossScale = GradientLossScale

    public var optimizer = OptimizerSettings()
    public var epochs = 100
    /// Interactions per mini-batch (observed loss only).
    public var batchSize = 1024
    public var seed: UInt64 = 0
    public var lossScale: LossScale = .mean
    /// Stop when the relative change of the loss between epochs falls below this.
    public var tolerance: Double? = nil
    /// Evaluate the full objective after every epoch (for logs, progress and gaps); off, the
    /// records carry NaN and epochs cost only their steps.
    public var tracksObjective = true
    /// Called during each mini-batch epoch with the interactions trained on so far in the
    /// epoch (see ``ProgressHandler``); full-batch epochs are one step and do not call it.
    public var batchProgress: ProgressHandler? = nil

    public init() {}

    /// One epoch's record.
    public struct Epoch: Sendable {
        /// 1-based epoch number.
        public var epoch: Int
        /// The training loss (scaled as `lossScale`), at the start of the epoch for full-batch
        /// training (what a PyTorch loop prints), averaged over the batches for mini-batches.
        public var loss: Double
        /// The summed objective (including the optimizer's coupled weight decay as λ) after the
        /// epoch's steps, so one record's loss is before and its objective after the update.
        public var objective: Double
        public var seconds: Double
    }

    /// The number of terms `mean` divides by.
    func termCount(_ problem: RidgeProblem) -> Double {
        problem.objective.loss == .observed ? Double(Swift.max(1, problem.interactions.nnz))
                                            : Double(problem.userCount) * Double(problem.itemCount)
    }

    /// The objective whose minimizer training approaches: the problem's λ plus the optimizer's
    /// coupled weight decay w, which adds w·x to the scaled gradient (λ += w·N/2 for mean, w/2 for sum).
    public func effectiveProblem(_ problem: RidgeProblem) throws(SolverError) -> RidgeProblem {
        guard optimizer.weightDecay != 0, !optimizer.decoupled else { return problem }
        var objective = problem.objective
        guard objective.regularization == .constant || objective.lambda == 0 else {
            throw .invalidObjective("weight decay with --reg count or frequency has no single equivalent λ; use --reg constant")
        }
        let scale = lossScale == .mean ? termCount(problem) : 1
        objective.regularization = .constant
        objective.lambda += optimizer.weightDecay * scale / 2
        return try RidgeProblem(interactions: problem.interactions, items: problem.baseItems,
                                objective: objective, itemBias: problem.itemBias)
    }

    /// Trains from `initial` (m × width); `progress` sees each epoch as it ends and may stop
    /// training by returning false.
    public func train(_ problem: RidgeProblem, initial: DenseMatrix<Double>,
                      progress: (Epoch) -> Bool = { _ in true }) throws(SolverError) -> (DenseMatrix<Double>, [Epoch]) {
        guard initial.rows == problem.userCount, initial.columns == problem.width else {
            throw .shapeMismatch("the initial factors are \(initial.rows) × \(initial.columns), expected \(problem.userCount) × \(problem.width)")
        }
        if let conflict = optimizer.sparseConflict(loss: problem.objective.loss) { throw .invalidObjective(conflict) }
        if let invalid = optimizer.invalidSetting { throw .invalidObjective(invalid) }
        let tracked = try effectiveProblem(problem)
        let scale = lossScale == .mean ? 1 / termCount(problem) : 1
        var X = initial.storage
        if problem.objective.loss == .observed {
            // Mini-batches never visit users without interactions; they get their defined result, 0.
            let w = problem.width
            for u in 0..<problem.userCount where problem.interactions.degree(ofRow: u) == 0 {
                for c in 0..<w { X[u * w + c] = 0 }
            }
        }
        var state = OptimizerState(settings: optimizer, count: X.count)
        var history: [Epoch] = []
        let full = ObjectiveEvaluator(problem)
        let check = optimizer.weightDecay != 0 && !optimizer.decoupled ? ObjectiveEvaluator(tracked) : full
        var gradient = [Double](repeating: 0, count: optimizer.sparse ? 0 : X.count)
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<problem.interactions.nnz)
        let batchData = problem.objective.loss == .observed ? MiniBatchData(problem) : nil
        var sparseBatch = optimizer.sparse ? SparseBatch(batchData!, users: problem.userCount, width: problem.width,
                                                         batchSize: Swift.max(1, Swift.min(batchSize, order.count))) : nil
        var previous: Double? = nil
        for epoch in 1...Swift.max(1, epochs) {
            let start = DispatchTime.now().uptimeNanoseconds
            var loss = 0.0
            if sparseBatch != nil {
                loss = sparseMiniBatchEpoch(problem, X: &X, state: &state, order: &order, scratch: &sparseBatch!, data: batchData!, rng: &rng)
            } else if problem.objective.loss == .observed {
                loss = miniBatchEpoch(problem, X: &X, state: &state, gradient: &gradient, order: &order, data: batchData!, rng: &rng)
            } else {
                X.withUnsafeMutableBufferPointer { x in
                    gradient.withUnsafeMutableBufferPointer { g in
                        loss = full.evaluate(x.baseAddress!, gradient: g.baseAddress!) * scale
                        if scale != 1 { for c in 0..<g.count { g[c] *= scale } }
                        state.update(x.baseAddress!, g.baseAddress!, count: x.count)
                    }
                }
            }
            state.endEpoch()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let record = Epoch(epoch: epoch, loss: loss, objective: tracksObjective ? check.value(X) : .nan, seconds: seconds)
            history.append(record)
            if !progress(record) { break }
            if let tolerance, let previous, abs(previous - loss) <= tolerance * Swift.max(abs(previous), .leastNormalMagnitude) { break }
            previous = loss
        }
        return (DenseMatrix(rows: initial.rows, columns: initial.columns, storage: X), history)
    }

    /// What the mini-batch loop needs per interaction and per component, computed once.
    struct MiniBatchData {
        /// t_p = r − μ − b_j for each stored entry.
        var targets: [Double]
        /// λ_u / |Ω_u| for each stored entry's user: its share of the user's penalty.
        var shares: [Double]
        /// The user of each stored entry.
        var rows: [Int32]
        /// The number of regularized components: all, or all but the trailing user bias.
        var regularized: Int

        init(_ problem: RidgeProblem) {
            let R = problem.interactions
            let terms = problem.terms
            targets = [Double](repeating: 0, count: R.nnz)
            shares = [Double](repeating: 0, count: R.nnz)
            rows = [Int32](repeating: 0, count: R.nnz)
            for u in 0..<R.rows {
                let share = terms.lambda(forCount: R.degree(ofRow: u)) / Double(Swift.max(1, R.degree(ofRow: u)))
                for p in R.range(ofRow: u) {
                    targets[p] = terms.target(R.values[p], item: Int(R.indices[p]))
                    shares[p] = share
                    rows[p] = Int32(u)
                }
            }
            regularized = problem.objective.userBias ? problem.width - 1 : problem.width
        }
    }

    /// One pass over the interactions in shuffled mini-batches; returns the mean batch loss.
    /// Each interaction carries λ_u/|Ω_u| of its user's penalty, so an epoch's batches add up to
    /// the full objective; every parameter is updated after each batch, as PyTorch's optimizers
    /// do for a dense gradient.
    func miniBatchEpoch(_ problem: RidgeProblem, X: inout [Double], state: inout OptimizerState, gradient: inout [Double],
                        order: inout [Int], data: MiniBatchData, rng: inout SplitMix64) -> Double {
        let w = problem.width
        rng.shuffle(&order)
        var total = 0.0
        var batches = 0
        let batch = Swift.max(1, batchSize)
        let columns = problem.interactions.indices
        X.withUnsafeMutableBufferPointer { xp in
            gradient.withUnsafeMutableBufferPointer { gp in
                problem.items.storage.withUnsafeBufferPointer { vp in
                    let x = xp.baseAddress!, g = gp.baseAddress!, V = vp.baseAddress!
                    var ticker = ProgressTicker(batchProgress, total: order.count)
                    var b0 = 0
                    while b0 < order.count {
                        let b1 = Swift.min(b0 + batch, order.count)
                        let scale = lossScale == .mean ? 1 / Double(b1 - b0) : 1
                        g.update(repeating: 0, count: gp.count)
                        let loss = order.withUnsafeBufferPointer { o in
                            NativeKernels.batchGradient(width: w, regularized: data.regularized, entries: UnsafeBufferPointer(rebasing: o[b0..<b1]),
                                                        data: data, columns: columns, X: x, V: V, scale: scale, gradient: g)
                        }
                        total += loss * scale
                        batches += 1
                        state.update(x, g, count: xp.count)
                        b0 = b1
                        ticker?.tick(b1)
                    }
                    ticker?.finish()
                }
            }
        }
        return batches > 0 ? total / Double(batches) : 0
    }
}

extension GradientTrainer {
    /// Random initial factors N(0, scale²), deterministic for `seed`.
    public static func randomFactors(rows: Int, columns: Int, seed: UInt64, scale: Double = 0.01) -> DenseMatrix<Double> {
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        return DenseMatrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in scale * rng.normal() })
    }
}
