import ArgumentParser
import IO
import Loading
import Matrices
import Solvers

extension Objective.Loss: ExpressibleByArgument {}
extension Objective.Confidence: ExpressibleByArgument {}
extension Objective.Regularization: ExpressibleByArgument {}
extension Objective.Offset: ExpressibleByArgument {}
extension RidgeSolver.Precision: ExpressibleByArgument {}
extension RidgeSolver.Fallback: ExpressibleByArgument {}
extension RidgeSolver.Kernel: ExpressibleByArgument {}
extension RidgeSolver.Form: ExpressibleByArgument {}
extension NativeKernelVariant: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// The objective shared by `solve`, `fit` and `check`. Options with a default are stored as
/// optionals (`…Given`), so that `solve --like` can tell a flag typed on the command line from
/// its default; the plain names give the value in effect.
struct ObjectiveOptions: ParsableArguments {
    @Option(name: .customLong("loss"), help: "observed (explicit ratings, the default), dense (every entry, unobserved = 0) or implicit (Hu–Koren–Volinsky).")
    var lossGiven: Objective.Loss?
    var loss: Objective.Loss { get { lossGiven ?? .observed } set { lossGiven = newValue } }

    @Option(name: .customLong("lambda"), parsing: .unconditional, help: "Regularization λ on the summed objective (default 0.1).")
    var lambdaGiven: Double?
    var lambda: Double { get { lambdaGiven ?? 0.1 } set { lambdaGiven = newValue } }

    @Option(help: "constant (λ_u = λ, the default), count (λ_u = λ·|Ω_u|, ALS-WR) or frequency (λ_u = λ·(|Ω_u| + c0·n)^ν, iALS; c0 the unobserved weight: 0 observed, 1 dense, α0 implicit).")
    var reg: Objective.Regularization?

    @Option(name: .customLong("reg-exponent"), parsing: .unconditional, help: "ν of --reg frequency (given alone, it implies --reg frequency): 0 is constant λ, 1 with --unobserved-weight 0 is count.")
    var regExponent: Double?

    @Option(name: .customLong("unobserved-weight"), parsing: .unconditional, help: "α0, the weight of the unobserved entries under the implicit loss (Rendle et al. 2021's iALS); 1, the default, is Hu–Koren–Volinsky.")
    var unobservedWeightGiven: Double?
    var unobservedWeight: Double { get { unobservedWeightGiven ?? 1 } set { unobservedWeightGiven = newValue } }

    @Option(name: .customLong("alpha"), parsing: .unconditional, help: "α of the implicit loss's confidence (default 1).")
    var alphaGiven: Double?
    var alpha: Double { get { alphaGiven ?? 1 } set { alphaGiven = newValue } }

    @Option(name: .customLong("confidence"), help: "Implicit confidence: one-plus (c = 1 + α r, the default) or linear (c = α r, as the implicit library).")
    var confidenceGiven: Objective.Confidence?
    var confidence: Objective.Confidence { get { confidenceGiven ?? .onePlus } set { confidenceGiven = newValue } }

    @Flag(name: .customLong("user-bias"), help: "Add an unregularized per-user intercept (the last factor column).")
    var userBias = false

    @Option(name: .customLong("offset"), help: "none (the default), or global-mean: subtract the mean observed value from every target first.")
    var offsetGiven: Objective.Offset?
    var offset: Objective.Offset { get { offsetGiven ?? .none } set { offsetGiven = newValue } }

    @Option(parsing: .unconditional, help: "With --offset global-mean: this μ instead of the interactions' own mean, e.g. the training mean when folding in new users (a factor file's global_mean attribute).")
    var mean: Double?

    @Option(name: .customLong("item-bias"), help: "A fixed item bias to subtract from targets: FILE.h5:/DATASET or FILE.npy.", completion: .file())
    var itemBias: String?

    var objective: Objective {
        var o = Objective(loss: loss, lambda: lambda, regularization: regularization, alpha: alpha, confidence: confidence,
                          userBias: userBias, offset: offset)
        o.fixedMean = mean
        o.unobservedWeight = unobservedWeight
        if let regExponent { o.regularizationExponent = regExponent }
        return o
    }

    /// --reg as given, or frequency when only --reg-exponent is.
    var regularization: Objective.Regularization { reg ?? (regExponent != nil ? .frequency : .constant) }

    func validate() throws {
        guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a finite number ≥ 0") }
        try ObjectiveOptions.refuseAbsurd([("--lambda", lambdaGiven), ("--alpha", alphaGiven),
                                           ("--unobserved-weight", unobservedWeightGiven), ("--mean", mean)])
        if regExponent != nil && regularization != .frequency {
            throw ValidationError("--reg-exponent goes with --reg frequency, not --reg \(regularization.rawValue)")
        }
        if let regExponent, !regExponent.isFinite { throw ValidationError("--reg-exponent must be a finite number") }
        guard unobservedWeight >= 0, unobservedWeight.isFinite else { throw ValidationError("--unobserved-weight must be a finite number ≥ 0") }
        if unobservedWeight != 1 && loss != .implicit { throw ValidationError("--unobserved-weight applies to --loss implicit only") }
        guard alpha > 0, alpha.isFinite else { throw ValidationError("--alpha must be a finite number > 0") }
        if let mean {
            guard offset == .globalMean else { throw ValidationError("--mean needs --offset global-mean") }
            guard mean.isFinite else { throw ValidationError("--mean must be a finite number") }
        }
    }
}

extension ObjectiveOptions {
    /// Refuses a finite option beyond ``InputValues/limit`` in magnitude, naming it: products of
    /// such a weight with the data overflow, and the solve would fail far from the cause.
    static func refuseAbsurd(_ options: [(name: String, value: Double?)]) throws {
        for case let (name, value?) in options where value.isFinite && !InputValues.isUsable(value) {
            throw ValidationError("\(name) \(value) is larger than 1e150 in magnitude, where products with the data overflow")
        }
    }
}

/// The data of a problem: interactions and the fixed item matrix, aligned by item id.
struct ProblemInputOptions: ParsableArguments {
    @Option(name: .customLong("interactions"), help: "Interactions: canonical HDF5 or any format convert reads.", completion: .file())
    var interactionsFile: String

    @Option(name: .customLong("items"), help: "Item embeddings: FILE.h5[:/DATASET] or FILE.npy.", completion: .file())
    var itemsFile: String?

    @Option(name: .customLong("item-ids"), help: "Ids of the --items rows, for embeddings without ids (.npy): text with one id per line, a 1-D .npy, or FILE.h5:/DATASET.", completion: .file())
    var itemIDs: String?

    @OptionGroup(title: "Interactions input")
    var input: InteractionsInputOptions

    /// Reads both files; the interactions' items are aligned to the embeddings' (or to
    /// --item-ids-from) by the one alignment rule: by id when both carry ids, else by position
    /// when the counts agree, said on stderr.
    func load(objective: ObjectiveOptions, limits: ReadLimits) throws -> (Interactions, ItemEmbeddings, RidgeProblem) {
        let (interactions, items, problem, _) = try loadReporting(objective: objective, limits: limits)
        return (interactions, items, problem)
    }

    /// `load`, with what reading the interactions dropped.
    func loadReporting(objective: ObjectiveOptions, limits: ReadLimits) throws -> (Interactions, ItemEmbeddings, RidgeProblem, ConversionReport) {
        let loaded = try load(objective: objective, shard: nil, limits: limits)
        return (loaded.interactions, loaded.items, loaded.problem, loaded.report)
    }

    /// The problem, or with `shard` only its rows of the interactions (see
    /// ``ProblemInput/load(objective:shard:notices:)``); how ids were matched goes to stderr.
    func load(objective settings: ObjectiveOptions, shard: Shard?, limits: ReadLimits) throws -> LoadedProblem {
        guard let itemsFile else { throw ValidationError("--items is required") }
        var input = ProblemInput(interactions: FileSpec(interactionsFile), items: FileSpec(itemsFile),
                                 read: try self.input.readOptions(limits: limits))
        input.itemIDs = itemIDs.map { FileSpec($0) }
        input.itemBias = settings.itemBias.map { FileSpec($0) }
        var notices = AlignmentNotices.printing()
        return try input.load(objective: settings.objective, shard: shard, notices: &notices)
    }
}

