/// Optimizer state for one parameter array.
struct OptimizerState {
    let settings: OptimizerSettings
    var first: [Double]
    var second: [Double]
    var step = 0
    /// The learning rate of the current epoch (the settings' rate times the decay so far).
    var learningRate: Double

    init(settings: OptimizerSettings, count: Int) {
        self.settings = settings
        learningRate = settings.learningRate
        first = [Double](repeating: 0, count: count)
        second = settings.kind == .adam ? [Double](repeating: 0, count: count) : []
    }

    /// Ends an epoch: the learning rate decays by the settings' factor (ExponentialLR's step).
    mutating func endEpoch() {
        if settings.learningRateDecay != 1 { learningRate *= settings.learningRateDecay }
    }

    /// Applies one update to `x[range]` from the gradient `g` (same indexing).
    mutating func update(_ x: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, count: Int) {
        step += 1
        let s = settings
        let lr = learningRate
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
            if s.weightDecay != 0 && s.decoupled {
                let shrink = 1 - lr * s.weightDecay
                for c in 0..<count { x[c] *= shrink }
            }
            let decay = s.decoupled ? 0 : s.weightDecay
            first.withUnsafeMutableBufferPointer { mp in
                second.withUnsafeMutableBufferPointer { vp in
                    // Large parameter arrays are split over two threads (disjoint halves).
                    let parts = count >= 16_384 ? 2 : 1
                    let shared = UnsafeSendable((x, g, mp.baseAddress!, vp.baseAddress!))
                    let (b1, b2, eps) = (s.beta1, s.beta2, s.epsilon)
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let (x, g, m, v) = shared.value
                        let lo = count * part / parts / 4 * 4, hi = part == parts - 1 ? count : count * (part + 1) / parts / 4 * 4
                        OptimizerState.adamStep(x: x + lo, g: g + lo, m: m + lo, v: v + lo, count: hi - lo, decay: decay,
                                                beta1: b1, beta2: b2, epsilon: eps, stepSize: stepSize, root2: root2)
                    }
                }
            }
        }
    }

    /// PyTorch's Adam update, element by element (torch.optim.Adam's single-tensor path), in
    /// mftool's SIMD kernel (no fused multiply-adds: the same rounding as the scalar formula).
    @inline(__always)
    static func adamStep(x: UnsafeMutablePointer<Double>, g: UnsafePointer<Double>, m: UnsafeMutablePointer<Double>,
                         v: UnsafeMutablePointer<Double>, count: Int, decay: Double, beta1: Double, beta2: Double,
                         epsilon: Double, stepSize: Double, root2: Double) {
        NativeKernels.adamStep(x: x, g: g, m: m, v: v, count: count, decay: decay, beta1: beta1, beta2: beta2,
                               epsilon: epsilon, stepSize: stepSize, root2: root2)
    }
}

import Dispatch
import Foundation
