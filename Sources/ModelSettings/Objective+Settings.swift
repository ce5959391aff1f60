extension Objective {
    /// The objective's settings, one row each, in the order a factor file records them.
    public static let settings: [ObjectiveSetting] = [
        choice("loss", \.loss, recording: .always,
               help: "observed (explicit ratings), dense (every entry, unobserved = 0) or implicit (Hu–Koren–Volinsky); default {default}."),
        number("lambda", \.lambda, range: nonNegative, recording: .always,
               help: "Regularization λ on the summed objective (default {default})."),
        choice("reg", \.regularization, recording: .always,
               help: "constant (λ_u = λ), count (λ_u = λ·|Ω_u|, ALS-WR) or frequency (λ_u = λ·(|Ω_u| + c0·n)^ν, iALS; c0 the unobserved weight: 0 observed, 1 dense, α0 implicit); default {default}."),
        number("alpha", \.alpha, range: ("a finite number > 0", { $0 > 0 && $0.isFinite }), recording: .always,
               help: "α of the implicit loss's confidence (default {default})."),
        choice("confidence", \.confidence, recording: .always,
               help: "Implicit confidence: one-plus (c = 1 + α r) or linear (c = α r, as the implicit library); default {default}."),
        number("reg-exponent", attribute: "reg_exponent", \.regularizationExponent, range: finite, multipliesData: false,
               condition: ("--reg frequency", { $0.regularization == .frequency }), recording: .whereItApplies,
               help: "ν of --reg frequency (given alone, it implies --reg frequency): 0 is constant λ, 1 with --unobserved-weight 0 is count; default {default}."),
        number("unobserved-weight", attribute: "unobserved_weight", \.unobservedWeight, range: nonNegative,
               condition: ("--loss implicit", { $0.loss == .implicit }), recording: .unlessDefault,
               help: "α0, the weight of the unobserved entries under the implicit loss (Rendle et al. 2021's iALS); {default}, the default, is Hu–Koren–Volinsky."),
        ObjectiveSetting(flag: "user-bias", attribute: "user_bias", recording: .asModelTerm,
                         helpTemplate: "Add an unregularized per-user intercept (the last factor column).", multipliesData: false,
                         choices: [], range: nil,
                         condition: nil, read: { .flag($0.userBias) },
                         write: { o, v in if case let .flag(b)? = v { o.userBias = b } else { o.userBias = false } }),
        choice("offset", \.offset, recording: .asModelTerm,
               help: "none, or global-mean: subtract the mean observed value from every target first; default {default}."),
        ObjectiveSetting(flag: "mean", attribute: "global_mean", recording: .asModelTerm,
                         helpTemplate: "With --offset global-mean: this μ instead of the interactions' own mean, e.g. the training mean when folding in new users (a factor file's global_mean attribute).",
                         multipliesData: true, choices: [], range: finite, condition: ("--offset global-mean", { $0.offset == .globalMean }),
                         read: { $0.fixedMean.map(SettingValue.number) },
                         write: { o, v in if case let .number(d)? = v { o.fixedMean = d } else { o.fixedMean = nil } }),
    ]

    /// The row of the setting whose flag is `--flag`.
    public static func setting(_ flag: String) -> ObjectiveSetting {
        guard let row = settings.first(where: { $0.flag == flag }) else { preconditionFailure("no objective setting --\(flag)") }
        return row
    }

    /// What is wrong with the settings, one sentence each naming the flag: a value out of its
    /// range. Empty when the objective is valid.
    public var problems: [String] { Self.settings.compactMap { $0.problem(in: self) } }

    private static let nonNegative: (text: String, test: @Sendable (Double) -> Bool) = ("a finite number ≥ 0", { $0 >= 0 && $0.isFinite })
    private static let finite: (text: String, test: @Sendable (Double) -> Bool) = ("a finite number", { $0.isFinite })

    private static func number(_ flag: String, attribute: String? = nil, _ key: WritableKeyPath<Objective, Double> & Sendable,
                               range: (text: String, test: @Sendable (Double) -> Bool)?, multipliesData: Bool = true,
                               condition: (text: String, test: @Sendable (Objective) -> Bool)? = nil,
                               recording: ObjectiveSetting.Recording, help: String) -> ObjectiveSetting {
        ObjectiveSetting(flag: flag, attribute: attribute ?? flag, recording: recording, helpTemplate: help, multipliesData: multipliesData, choices: [],
                         range: range, condition: condition, read: { .number($0[keyPath: key]) },
                         write: { o, v in if case let .number(d)? = v { o[keyPath: key] = d } else { o[keyPath: key] = Objective()[keyPath: key] } })
    }

    private static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ flag: String, _ key: WritableKeyPath<Objective, E> & Sendable, recording: ObjectiveSetting.Recording, help: String
    ) -> ObjectiveSetting where E.RawValue == String {
        ObjectiveSetting(flag: flag, attribute: flag, recording: recording, helpTemplate: help, multipliesData: false,
                         choices: E.allCases.map(\.rawValue),
                         range: nil, condition: nil, read: { .choice($0[keyPath: key].rawValue) },
                         write: { o, v in
                             if case let .choice(s)? = v, let e = E(rawValue: s) { o[keyPath: key] = e } else { o[keyPath: key] = Objective()[keyPath: key] }
                         })
    }
}
