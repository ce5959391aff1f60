extension OptimizerSettings {
    /// Why these settings cannot train, naming the option, or nil when they can: the ranges
    /// `torch.optim` checks (a learning rate > 0, β1 and β2 in [0, 1), ε > 0, momentum and
    /// weight decay ≥ 0), every value finite, and a decay factor in (0, 1]. Outside them the
    /// updates divide by zero (β = 1 makes the bias correction 1 − β^t zero) or grow without
    /// bound, and training ends in NaN far from the cause.
    public var invalidSetting: String? {
        let checks: [(name: String, value: Double, ok: Bool, range: String)] = [
            ("--lr", learningRate, learningRate > 0, "> 0"),
            ("--lr-decay", learningRateDecay, learningRateDecay > 0 && learningRateDecay <= 1, "in (0, 1]"),
            ("--momentum", momentum, momentum >= 0, "≥ 0"),
            ("--beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)"),
            ("--beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)"),
            ("--eps", epsilon, epsilon > 0, "> 0"),
            ("--weight-decay", weightDecay, weightDecay >= 0, "≥ 0"),
        ]
        for check in checks where !(check.ok && check.value.isFinite) {
            return "\(check.name) must be a finite number \(check.range), not \(check.value)"
        }
        return nil
    }
}
