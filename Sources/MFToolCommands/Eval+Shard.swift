import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

extension Eval {
    /// The settings every part of a sharded run must share: what is computed and how inputs
    /// are matched, as canonical JSON.
    func partSettings(_ wanted: Set<String>, cutoffs: [Int]) -> String {
        Console.json(["k": Array(Set(cutoffs)).sorted(), "metrics": wanted.sorted(), "precision": precision.rawValue, "train": train != nil,
                      "allow_empty": alignment.idMatching.allowEmpty, "drop_unknown_items": alignment.idMatching.dropUnknownItems,
                      "require_ids": alignment.idMatching.requireIDs] as [String: Any])
    }

    /// What identifies the inputs of a sharded run: the test file as the shard read saw it
    /// (with a hash of its bytes), the factors and ids of users and items, and the training
    /// file's bytes.
    func fingerprint(_ loaded: LoadedModel, test: InteractionsFile.ShardRead, train: LoadedModel.Aligned?) -> String {
        var testFile = Fingerprint(), model = Fingerprint(), trainFile = Fingerprint()
        testFile.add(test.identity)
        model.add(model: loaded)
        if let train, let path = self.train {
            trainFile.add("train rows=\(train.matrix.rows) columns=\(train.matrix.columns) nnz=\(train.matrix.nnz)")
            trainFile.add(contentsOf: FileSpec(path).path)
        }
        return Fingerprint.labeled([("--test", testFile), ("factors", model), ("--train", trainFile)])
    }

    /// A part of a sharded eval: its record (`part`), the test file as given (for messages)
    /// and the totals with exact partial sums, as one JSON object.
    static func writePart(_ part: ShardPart, totals: EvaluationTotals, test: String, to path: String) throws {
        try TextOutput.write(Console.json(["part": part.json, "test": test, "totals": totals.json] as [String: Any]) + "\n", to: path)
    }
}
