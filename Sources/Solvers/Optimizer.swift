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

    public init() {}
}

/// Optimizer state for one parameter array.
struct OptimizerState {
    let settings: OptimizerSettings
    var first: [Double]
    var second: [Double]
    var step = 0

    init(settings: OptimizerSettings, count: Int) {
        self.settings = settings
        first = [Double](repeating: 0, count: count)
        second = settings.kind == .adam ? [Double](repeating: 0, count: count) : []
    }

    /// Applies one update to `x[range]` from the gradient `g` (same indexing).
    mutating func update(_ x: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, count: Int) {
        step += 1
        let s = settings
        let lr = s.learningRate
        switch s.kind {
        case .sgd:
            first.withUnsafeMutableBufferPointer { bufp in
                let buf = bufp.baseAddress!
                for c in 0..<count {
                    var d = g[c]
                    if s.weightDecay != 0 { d += s.weightDecay * x[c] }
                    if s.momentum != 0 {
                        buf[c] = step == 1 ? d : s.momentum * buf[c] + d
                        d = s.nesterov ? d + s.momentum * buf[c] : buf[c]
                    }
                    x[c] -= lr * d
                }
            }
        case .adam:
            let correction1 = 1 - pow(s.beta1, Double(step))
            let correction2 = 1 - pow(s.beta2, Double(step))
            let stepSize = lr / correction1
            let root2 = correction2.squareRoot()
            first.withUnsafeMutableBufferPointer { mp in
                second.withUnsafeMutableBufferPointer { vp in
                    let m = mp.baseAddress!, v = vp.baseAddress!
                    for c in 0..<count {
                        var d = g[c]
                        if s.weightDecay != 0 {
                            if s.decoupled { x[c] *= 1 - lr * s.weightDecay } else { d += s.weightDecay * x[c] }
                        }
                        m[c] = s.beta1 * m[c] + (1 - s.beta1) * d
                        v[c] = s.beta2 * v[c] + (1 - s.beta2) * d * d
                        let denominator = v[c].squareRoot() / root2 + s.epsilon
                        x[c] -= stepSize * m[c] / denominator
                    }
                }
            }
        }
    }
}

import Foundation
