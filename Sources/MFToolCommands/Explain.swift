import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool explain`: one prediction split into the contributions of the user's past items.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split one user's score of one item into the contributions of the user's past items and the bias terms.",
        discussion: """
        For the observed and implicit losses, the exact user factor is x_u = A_u⁻¹ b_u with \
        b_u = Σ_i w_i v_i over the user's items, so v_jᵀ x_u = Σ_i w_i · v_jᵀ A_u⁻¹ v_i (Hu, Koren \
        & Volinsky 2008, §5). The objective is the factor file's recorded one; A_u and b_u are \
        formed from the interactions as solve forms them. Printed: the score, μ, the item and \
        user bias, and each past item's contribution, largest first; they sum to the score. \
        When the factor file's own prediction differs (factors trained otherwise, or on other \
        interactions), it is printed beside it.

        Example:
          mftool explain --users u.h5 --items v.h5 --interactions r.h5 --user 42 --item 7
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "User factors with their recorded objective.", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "The interactions the factors were solved on.", completion: .file()) var interactions: String
    @Option(name: .customLong("user"), help: "The user id.") var userID: String
    @Option(name: .customLong("item"), help: "The item id.") var itemID: String
    @Option(help: "Contributions printed (largest in magnitude first; 0: all).") var top: Int = 20
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @Flag(help: "Print the explanation as JSON on stdout (every contribution).") var json = false

    mutating func run() throws {
        let loaded = try LoadedModel(users: FileSpec(users), items: FileSpec(items), alignment: alignment.alignment, limits: resources.limits)
        guard let objective = try FactorFile.read(FileSpec(users), limits: resources.limits).objective else {
            throw DataError("\(FileSpec(users).path) records no objective (loss), so its normal equations are unknown")
        }
        guard let u = loaded.userIDs.index(of: userID) else { throw DataError("no user '\(userID)' in \(users)") }
        guard let j = loaded.itemIDs.index(of: itemID) else { throw DataError("no item '\(itemID)' in \(items)") }
        var notices = AlignmentNotices.printing()
        let x = try loaded.aligned(FileSpec(interactions), role: "interactions", notices: &notices).matrix
        let row = x.range(ofRow: u)
        let one = CSRMatrix(rows: 1, columns: x.columns, indptr: [0, row.count], indices: Array(x.indices[row]), values: Array(x.values[row]))
        let problem = try RidgeProblem(interactions: one, items: loaded.model.items.doubles, objective: objective, itemBias: loaded.model.itemBias)
        let explanation = try Explanation(problem: problem, user: 0, item: j, memory: resources.limits.memory)
        let stored = loaded.model.predict(u, j)
        print(explanation, stored: stored, itemIDs: loaded.itemIDs, userIDs: loaded.userIDs)
    }

    func print(_ e: Explanation, stored: Double, itemIDs: IDMap, userIDs: IDMap) {
        let ranked = e.contributions.sorted { abs($0.value) > abs($1.value) || (abs($0.value) == abs($1.value) && $0.item < $1.item) }
        if json {
            var object: [String: Any] = ["user": userIDs.jsonValue(userID), "item": itemIDs.jsonValue(itemID), "score": e.score,
                                         "factor_score": stored, "mean": e.mean,
                                         "item_bias": e.itemBias, "user_bias": e.userBias, "background": e.background]
            let integers = itemIDs.allIntegers
            object["contributions"] = ranked.map { c -> [String: Any] in
                let id = itemIDs.ids[c.item]
                return ["item": integers ? Int64(id)! as Any : id as Any, "value": c.value]
            }
            Console.out(Console.json(object))
            return
        }
        var lines = ["user \(userID), item \(itemID): score \(e.score)"]
        if abs(stored - e.score) > 1e-9 * Swift.max(1, abs(e.score)) {
            lines.append("  (the factor file predicts \(stored): its factors are not the exact solve of these interactions)")
        }
        lines.append("  mean \(e.mean)\n  item bias \(e.itemBias)\n  user bias \(e.userBias)")
        if e.background != 0 { lines.append("  unobserved entries \(e.background)") }
        let shown = top > 0 ? Array(ranked.prefix(top)) : ranked
        lines.append("  \(e.contributions.count) past items\(shown.count < ranked.count ? ", the \(shown.count) largest" : ""):")
        for c in shown { lines.append("    \(itemIDs.ids[c.item])\t\(c.value)") }
        Console.out(lines.joined(separator: "\n"))
    }
}
