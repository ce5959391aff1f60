import ArgumentParser
import IO
import Loading
import Matrices
import Solvers

/// `fit --method als --validation FILE --metric ndcg@100 --patience P`.
struct EarlyStoppingOptions: ParsableArguments {
    @Option(help: "Held-out interactions scored after every epoch; the factors of the best epoch are kept, and training stops after --patience epochs without a better one.", completion: .file())
    var validation: String?

    @Option(help: "The validation metric, NAME@K: precision, recall, ndcg, map, mrr or hit_rate.")
    var metric: String = "ndcg@100"

    @Option(help: "Epochs without a better validation score before training stops.")
    var patience: Int = 3

    func validate() throws {
        guard patience >= 1 else { throw ValidationError("--patience must be at least 1") }
        _ = try parsedMetric()
    }

    /// The metric's name and cut-off.
    func parsedMetric() throws -> (name: String, k: Int) {
        let parts = metric.split(separator: "@")
        let names: Set<String> = ["precision", "recall", "ndcg", "map", "mrr", "hit_rate"]
        guard parts.count == 2, names.contains(String(parts[0])), let k = Int(parts[1]), k > 0 else {
            throw ValidationError("--metric takes NAME@K with NAME one of \(names.sorted().joined(separator: ", ")), e.g. ndcg@100")
        }
        return (String(parts[0]), k)
    }

    /// The score ALS calls after every epoch: the metric on the validation file aligned to the
    /// training users and items by id, the training items excluded from the rankings; nil
    /// without --validation.
    func score(interactions: Interactions, trainingFile: String, factors: Int, userBias: Bool, threads: Int,
               input: InteractionsInputOptions, limits: ReadLimits) throws -> (@Sendable (AlternatingLeastSquares.Factors) -> Double)? {
        guard let validation else { return nil }
        let (name, k) = try parsedMetric()
        try Split.refuseMismatchedPair(train: trainingFile, test: validation, limits: limits)
        var read = InteractionsFile.ReadOptions(limits: limits)
        read.canonical.itemOrder = interactions.itemIDs
        read.canonical.itemOrderSource = "the training interactions"
        read.canonical.matching.dropUnknownItems = true
        read.canonical.matching.allowIDShift = input.idMatching.allowIDShift
        read.canonical.matching.allowRoleSwap = input.idMatching.allowRoleSwap
        let (x, report) = try InteractionsFile.read(FileSpec(validation), options: read)
        var notices = AlignmentNotices.printing()
        notices.add(report.notices)
        let sides = IDAlignment.Sides(entity: "user", source: "the validation file \(FileSpec(validation).path)",
                                      target: "the training interactions")
        let alignment = try IDAlignment.align(x.userIDs, to: interactions.userIDs, sides, allowShift: input.idMatching.allowIDShift)
        notices.add(alignment)
        let held = x.rows(alignment), train = interactions.matrix
        guard held.nnz > 0 else { throw DataError("\(validation): no validation interactions on the training users and items") }
        var ranking = RankingEvaluator(cutoffs: [k])
        ranking.threads = threads
        ranking.memory = limits.memory
        let heldUsers = (0..<held.rows).reduce(0) { $0 + (held.degree(ofRow: $1) > 0 ? 1 : 0) }
        let width = factors == Int.max ? factors : factors + (userBias ? 1 : 0)
        try limits.memory.charge(ranking.workingMemory(items: held.columns, width: width, modelUsers: held.rows, users: heldUsers, k: k, lists: false),
                                 what: "ranking \(heldUsers) validation users against \(held.columns) items at K = \(Swift.min(k, held.columns)) after every epoch")
        return { factors in
            let model = try! FactorModel(users: factors.users, items: factors.items, mean: factors.mean, itemBias: factors.itemBias,
                                         userBias: userBias)
            var evaluator = RankingEvaluator(cutoffs: [k])
            evaluator.memory = limits.memory
            evaluator.threads = threads
            return evaluator.evaluate(model: model, test: held, train: train).values[k]?[name] ?? .nan
        }
    }
}
