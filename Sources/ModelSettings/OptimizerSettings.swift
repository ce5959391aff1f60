/// A first-order optimizer with PyTorch's update rules (`torch.optim.SGD`, `Adam`, `AdamW`).
public enum OptimizerKind: String, Sendable, CaseIterable {
    case sgd
    case adam
}

/// Optimizer settings, named as in PyTorch.
public struct OptimizerSettings: Sendable, Equatable {
    public var kind: OptimizerKind = .adam
    public var learningRate: Double = 1e-3
    /// SGD momentum (0 = plain SGD).
    public var momentum: Double = 0
    /// SGD Nesterov momentum.
    public var nesterov: Bool = false
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    /// Weight decay: added to the gradient (coupled, `torch.optim.Adam`/`SGD`) or applied to the
    /// weights directly (`decoupled`, `AdamW`).
    public var weightDecay: Double = 0
    public var decoupled: Bool = false
    /// The learning rate's factor per epoch (1: constant), as `torch.optim.lr_scheduler.ExponentialLR(gamma)`
    /// stepped once after each epoch.
    public var learningRateDecay: Double = 1
    /// Update only the rows of the user factors a mini-batch touches, as `torch.optim.SparseAdam`
    /// and `torch.optim.SGD` do for the sparse gradient of `nn.Embedding(sparse=True)` (observed
    /// loss only; see `OptimizerState.sparseUpdate`).
    public var sparse: Bool = false

    public init() {}
}
