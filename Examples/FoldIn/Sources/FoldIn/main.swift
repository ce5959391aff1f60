// Folds users in against fixed item embeddings: reads the interactions and the items, aligns
// them by item id, solves each user's ridge regression exactly (the observed loss, λ = LAMBDA),
// and writes the user factors with their ids and the objective, which `mftool check` reads.
//
//   swift run --package-path Examples/FoldIn FoldIn INTERACTIONS ITEMS OUT.h5 [LAMBDA]
import Foundation
import IO
import Loading
import Solvers

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("FoldIn: \(message)\n".utf8))
    exit(code)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard (3...4).contains(arguments.count), let lambda = Double(arguments.count == 4 ? arguments[3] : "0.1") else {
    fail("usage: FoldIn INTERACTIONS ITEMS OUT.h5 [LAMBDA]", code: 64)
}
do {
    let input = ProblemInput(interactions: FileSpec(arguments[0]), items: FileSpec(arguments[1]))
    var notices = AlignmentNotices(printer: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
    let loaded = try input.load(objective: Objective(loss: .observed, lambda: lambda), notices: &notices)
    let solution = try RidgeSolver().solve(loaded.problem)
    var file = FactorFile(factors: solution.factors, ids: loaded.interactions.userIDs)
    file.objective = loaded.problem.objective
    try file.write(to: arguments[2])
    print("\(solution.factors.rows) users folded in at k = \(solution.factors.columns), objective \(solution.objective)")
} catch {
    fail("\(error)", code: 1)
}
