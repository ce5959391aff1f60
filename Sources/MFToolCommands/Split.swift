import ArgumentParser
import Foundation
import IO
import Matrices
import Solvers

/// `mftool split`: deterministic train/test splits that keep the id maps.
struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split interactions into train and test files with the same user and item ids.",
        discussion: """
        Random per-user holdout: each user's interactions go to the test file with probability \
        --test-fraction, keeping at least one training interaction per user with two or more. \
        Deterministic for a --seed. Both outputs keep every user and item id, so factors solved \
        on one align with the other.

        Example:
          mftool split --interactions ml100k.h5 --train train.h5 --test test.h5 --test-fraction 0.2 --seed 1
        """
    )

    @Option(help: "Interactions to split.") var interactions: String
    @Option(help: "Training output.") var train: String
    @Option(help: "Test output.") var test: String
    @Option(name: .customLong("test-fraction"), help: "Share of each user's interactions held out.") var testFraction: Double = 0.2
    @Option(help: "Seed.") var seed: UInt64 = 0
    @OptionGroup(title: "Input") var input: InteractionsInputOptions

    func validate() throws {
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
    }

    mutating func run() throws {
        let (x, _) = try input.read(interactions)
        var rng = SplitMix64(seed: seed)
        var chosen = [Bool](repeating: false, count: x.matrix.nnz)
        for u in 0..<x.userCount {
            let range = x.matrix.range(ofRow: u)
            var picks = range.filter { _ in rng.uniform() < testFraction }
            if picks.count == range.count && range.count > 1 { picks.removeLast() }
            for p in picks { chosen[p] = true }
        }
        let (a, b) = x.matrix.partitioned { _, p in chosen[p] }
        try InteractionsFile.write(Interactions(matrix: a, userIDs: x.userIDs, itemIDs: x.itemIDs), to: train)
        try InteractionsFile.write(Interactions(matrix: b, userIDs: x.userIDs, itemIDs: x.itemIDs), to: test)
        Console.error("split \(x.matrix.nnz) interactions: \(a.nnz) train → \(train), \(b.nnz) test → \(test)")
    }
}
