import ArgumentParser
import IO
import Matrices
import Solvers

extension Objective.Loss: ExpressibleByArgument {}
extension Objective.Confidence: ExpressibleByArgument {}
extension Objective.Regularization: ExpressibleByArgument {}
extension Objective.Offset: ExpressibleByArgument {}
extension RidgeSolver.Precision: ExpressibleByArgument {}
extension RidgeSolver.Fallback: ExpressibleByArgument {}
extension RidgeSolver.Kernel: ExpressibleByArgument {}
extension NativeKernelVariant: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// The objective shared by `solve`, `fit` and `check`.
struct ObjectiveOptions: ParsableArguments {
    @Option(help: "observed (explicit ratings), dense (every entry, unobserved = 0) or implicit (Hu–Koren–Volinsky).")
    var loss: Objective.Loss = .observed

    @Option(name: .customLong("lambda"), help: "Regularization λ on the summed objective.")
    var lambda: Double = 0.1

    @Option(help: "constant (λ_u = λ) or count (λ_u = λ·|Ω_u|, ALS-WR).")
    var reg: Objective.Regularization = .constant

    @Option(help: "α of the implicit loss's confidence.")
    var alpha: Double = 1

    @Option(help: "Implicit confidence: one-plus (c = 1 + α r) or linear (c = α r, as the implicit library).")
    var confidence: Objective.Confidence = .onePlus

    @Flag(name: .customLong("user-bias"), help: "Add an unregularized per-user intercept (the last factor column).")
    var userBias = false

    @Option(help: "none, or global-mean: subtract the mean observed value from every target first.")
    var offset: Objective.Offset = .none

    @Option(help: "With --offset global-mean: this μ instead of the interactions' own mean, e.g. the training mean when folding in new users (a factor file's global_mean attribute).")
    var mean: Double?

    @Option(name: .customLong("item-bias"), help: "A fixed item bias to subtract from targets: FILE.h5:/DATASET or FILE.npy.", completion: .file())
    var itemBias: String?

    var objective: Objective {
        var o = Objective(loss: loss, lambda: lambda, regularization: reg, alpha: alpha, confidence: confidence,
                          userBias: userBias, offset: offset)
        o.fixedMean = mean
        return o
    }

    func validate() throws {
        guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a finite number ≥ 0") }
        guard alpha > 0, alpha.isFinite else { throw ValidationError("--alpha must be a finite number > 0") }
        if let mean {
            guard offset == .globalMean else { throw ValidationError("--mean needs --offset global-mean") }
            guard mean.isFinite else { throw ValidationError("--mean must be a finite number") }
        }
    }
}

/// The data of a problem: interactions and the fixed item matrix, aligned by item id.
struct ProblemInputOptions: ParsableArguments {
    @Option(name: .customLong("interactions"), help: "Interactions: canonical HDF5 or any format convert reads.", completion: .file())
    var interactionsFile: String

    @Option(name: .customLong("items"), help: "Item embeddings: FILE.h5[:/DATASET] or FILE.npy.", completion: .file())
    var itemsFile: String?

    @OptionGroup(title: "Interactions input")
    var input: InteractionsInputOptions

    /// Reads both files; interactions are aligned to the embeddings' item_ids when it has them,
    /// else their column count must equal the number of embedding rows.
    func load(objective: ObjectiveOptions) throws -> (Interactions, ItemEmbeddings, RidgeProblem) {
        guard let itemsFile else { throw ValidationError("--items is required") }
        let items = try EmbeddingsFile.read(FileSpec(itemsFile))
        var options = try input.readOptions()
        if options.canonical.itemOrder == nil, let ids = items.itemIDs {
            options.canonical.itemOrder = ids
            options.canonical.itemOrderSource = FileSpec(itemsFile).path
        }
        let (interactions, _) = try InteractionsFile.read(FileSpec(interactionsFile), options: options)
        guard interactions.itemCount == items.factors.rows else {
            throw ValidationError("\(interactionsFile) has \(interactions.itemCount) items but \(itemsFile) has \(items.factors.rows) rows and no item_ids to align them by")
        }
        let bias = try objective.itemBias.map { try EmbeddingsFile.readVector(FileSpec($0)) }
        let problem = try RidgeProblem(interactions: interactions.matrix, items: items.factors,
                                       objective: objective.objective, itemBias: bias)
        return (interactions, items, problem)
    }
}
