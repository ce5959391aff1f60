import Foundation

/// A setting's value as a flag, a factor-file attribute or a recording gives it.
public enum SettingValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case choice(String)
    case flag(Bool)

    public var description: String {
        switch self {
        case let .number(d): return "\(d)"
        case let .choice(s): return s
        case let .flag(b): return b ? "1" : "0"
        }
    }
}

/// One setting of the objective: a row of ``Objective/settings``. The row says what the
/// setting is called on the command line and in a factor file, what it accepts, when it
/// applies and what its flag's help says; its default is `Objective()`'s value. The command
/// line's flags, validation, factor-file attributes, `inspect` and `--like` all read the rows,
/// so that a new setting is a field of ``Objective``, a row, and the code that uses it.
public struct ObjectiveSetting: Sendable {
    /// The long flag, without dashes: `lambda` for `--lambda`.
    public let flag: String
    /// The factor-file attribute that records it.
    public let attribute: String
    /// When a factor file records it: with every objective, only where it applies, or only
    /// where it is not the default. Model terms (`user_bias`, `offset`, `global_mean`) are
    /// recorded with the factor file's own terms, objective or not.
    public enum Recording: Sendable { case always, whereItApplies, unlessDefault, asModelTerm }
    public let recording: Recording
    /// The flag's help; `{default}` stands for the default value.
    let helpTemplate: String
    /// Whether the number multiplies the data (a weight, λ, μ): past ``InputValues``'s limit
    /// of 1e150 products with the data overflow.
    public let multipliesData: Bool
    /// The values a choice accepts, in order; empty for numbers and flags.
    public let choices: [String]
    /// What a number must be ("a finite number ≥ 0"), and the test; nil for other kinds.
    let range: (text: String, test: @Sendable (Double) -> Bool)?
    /// When the setting applies, and how to say so ("--loss implicit"); nil when always.
    let condition: (text: String, test: @Sendable (Objective) -> Bool)?
    let read: @Sendable (Objective) -> SettingValue?
    let write: @Sendable (inout Objective, SettingValue?) -> Void

    /// The value in `objective`; nil for an optional setting that is not set.
    public func value(in objective: Objective) -> SettingValue? { read(objective) }

    /// `objective` with this setting's value `value` (nil: unset, or the default of a required one).
    public func setting(_ value: SettingValue?, in objective: Objective) -> Objective {
        var out = objective
        write(&out, value)
        return out
    }

    /// The default: the value of `Objective()`.
    public var defaultValue: SettingValue? { read(Objective()) }

    /// Whether the setting takes part in `objective` (α only under the implicit loss, say).
    public func applies(to objective: Objective) -> Bool { condition?.test(objective) ?? true }

    /// The flag's help, with the default filled in.
    public var help: String {
        helpTemplate.replacingOccurrences(of: "{default}", with: defaultValue.map(\.description) ?? "none")
    }

    /// Whether a factor file recording `objective` writes this setting with the objective's
    /// others (model terms are written with the file's own terms).
    public func isRecorded(in objective: Objective) -> Bool {
        switch recording {
        case .always: return true
        case .whereItApplies: return applies(to: objective)
        case .unlessDefault: return read(objective) != defaultValue
        case .asModelTerm: return false
        }
    }

    /// The condition under which it applies, as flags say it ("--loss implicit"); nil when always.
    public var conditionText: String? { condition?.text }

    /// Why `objective`'s value of this setting is out of its range; nil when it is in it.
    public func problem(in objective: Objective) -> String? {
        if let range, case let .number(d)? = read(objective), !range.test(d) { return "--\(flag) must be \(range.text)" }
        return nil
    }

    /// Why giving this setting is wrong for `objective`, where it does not apply; nil when it
    /// applies. (A value that does not apply is ignored by the objective: this is for settings
    /// a user typed.)
    public func misplaced(in objective: Objective) -> String? {
        guard let condition, !condition.test(objective) else { return nil }
        return "--\(flag) applies with \(condition.text) only"
    }
}
