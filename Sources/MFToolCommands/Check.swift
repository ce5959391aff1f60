import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool check`: how far user factors from anywhere are from the exact optimum.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report how far a user-factor file (from PyTorch, say) is from the exact optimum of an objective.",
        discussion: """
        Reads user factors (dataset user_factors, else the only 2-D dataset; rows aligned by \
        user_ids when the file has them), solves the objective exactly and prints the objective \
        at both, the relative gap, ‖U − U*‖/‖U*‖, the worst user and the gradient norm.

        The objective is the one the factor file records (solve and fit write it), else the \
        flags'; --like FILE takes another factor file's. A typed objective flag that contradicts \
        the recorded setting is an error unless --override.

        Exit codes: 0, 1 on bad input, 2 when --check-tol is exceeded.

        Example (an h5py dump of a PyTorch nn.Embedding trained with MSELoss and weight_decay=w):
          mftool check --users torch_users.h5 --interactions r.h5 --items v.h5 --loss dense --lambda <w·m·n/2> --check-tol 1e-6
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "User factors: FILE.h5[:/DATASET] or FILE.npy.", completion: .file())
    var users: String

    @OptionGroup var data: ProblemInputOptions
    @OptionGroup(title: "Objective") var objective: ObjectiveOptions
    @OptionGroup(title: "Training settings") var like: LikeOptions

    @Option(name: .customLong("check-tol"), help: "Exit 2 when the relative objective gap exceeds this.")
    var checkTol: Double?

    @Flag(help: "Print the report as JSON on stdout too.")
    var json = false

    func validate() throws { try CheckOptions.validate(checkTol: checkTol) }

    mutating func run() throws {
        let userFile = try FactorFile.read(FileSpec(users), limits: resources.limits)
        if like.like != nil {
            objective = try like.apply(to: objective, items: data.itemsFile, limits: resources.limits)
        } else if userFile.objective != nil {
            objective = try like.apply(to: objective, recordedIn: userFile, path: FileSpec(users).path, items: data.itemsFile, limits: resources.limits)
        } else if like.override {
            throw ValidationError("--override goes with --like or a factor file that records its objective")
        }
        let (interactions, _, problem) = try data.load(objective: objective, limits: resources.limits)
        var notices = AlignmentNotices.printing()
        let factors = try userFile.factors(alignedTo: interactions.userIDs, argument: users, interactions: data.interactionsFile,
                                                                   requireIDs: data.input.idMatching.requireIDs, allowShift: data.input.idMatching.allowIDShift, notices: &notices)
        guard factors.columns == problem.width else {
            throw DataError("\(users) has \(factors.columns) columns, the objective needs \(problem.width)\(objective.userBias ? " (k + 1 for the user bias)" : "")")
        }
        try resources.limits.memory.charge(rows: problem.userCount, columns: problem.width, copies: 3, gram: objective.objective.loss != .observed,
                                 what: "checking \(problem.userCount) users at k = \(problem.width) (the exact factors, two gradients\(objective.objective.loss != .observed ? ", VᵀV" : ""))")
        var solver = RidgeSolver(fallback: .lstsq)
        solver.memory = resources.limits.memory
        let exact = try solver.solve(problem)
        var options = CheckOptions()
        options.checkTol = checkTol
        options.checkJSON = json
        try options.finish(CheckReport(factors: factors, exact: exact.factors, problem: problem), userIDs: interactions.userIDs)
    }
}
