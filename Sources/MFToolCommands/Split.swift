import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool split`: deterministic train/test splits that keep the id maps.
struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split interactions into train and test files with the same user and item ids.",
        discussion: """
        Strategies (--by; inferred from the other options when omitted):
          random  each user's round(f·n) interactions chosen at random go to test (--test-fraction f), \
        at most n−1, so every user keeps a training interaction
          last    each user's --last-k latest interactions go to test (users with k or fewer stay whole; \
        equal timestamps are ordered by item column, so a tie at the cut goes the same way every run)
          time    a global time cut: interactions at or after --cut (a number or an ISO 8601 date) go to \
        test, or the latest --cut-fraction of all interactions
          users   strong generalization: --heldout-users N users drawn at random leave the training file; \
        their interactions split into --fold-in (1−f) and --test (f)
          kfold   the interactions dealt at random into --folds K folds; fold --fold i is the test file
        Time-based strategies need timestamps: read text with --time-col, or a file converted with it.
        Every output keeps every user and item id, so factors solved on one align with the others. \
        Deterministic for a --seed.

        Examples:
          mftool split --interactions ml100k.h5 --train train.h5 --test test.h5 --test-fraction 0.2 --seed 1
          mftool split --interactions ml-100k.inter --time-col timestamp --by last --last-k 5 --train tr.h5 --test te.h5
          mftool split --interactions ml100k.h5 --by users --heldout-users 200 --train tr.h5 --fold-in fi.h5 --test te.h5
          for i in 0 1 2 3 4; do mftool split --interactions ml100k.h5 --folds 5 --fold $i --train tr$i.h5 --test te$i.h5; done
        """
    )

    enum Strategy: String, ExpressibleByArgument, CaseIterable {
        case random, last, time, users, kfold
    }

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "Interactions to split.", completion: .file()) var interactions: String
    @Option(help: "Training output.", completion: .file()) var train: String
    @Option(help: "Test output.", completion: .file()) var test: String
    @Option(name: .customLong("fold-in"), help: "Fold-in output of --by users: the held-out users' non-test interactions.", completion: .file())
    var foldIn: String?
    @Option(help: "Strategy: random, last, time, users or kfold.") var by: Strategy?
    @Option(name: .customLong("test-fraction"), help: "Share of each user's interactions held out (random, users).") var testFraction: Double = 0.2
    @Option(name: .customLong("last-k"), help: "Latest interactions per user held out (last).") var lastK: Int?
    @Option(help: "Time cut (time): a number on the file's time scale or an ISO 8601 date.") var cut: String?
    @Option(name: .customLong("cut-fraction"), help: "Time cut (time) leaving this share of all interactions, the latest, in test.") var cutFraction: Double?
    @Option(name: .customLong("heldout-users"), help: "Users held out of training (users).") var heldoutUsers: Int?
    @Option(help: "Number of folds (kfold).") var folds: Int?
    @Option(help: "The test fold, 0-based (kfold).") var fold: Int?
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "No summary on stderr.") var quiet = false
    @OptionGroup(title: "Input") var input: InteractionsInputOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    /// The strategy asked for, or the one the other options imply.
    var strategy: Strategy {
        if let by { return by }
        if lastK != nil { return .last }
        if cut != nil || cutFraction != nil { return .time }
        if heldoutUsers != nil { return .users }
        if folds != nil || fold != nil { return .kfold }
        return .random
    }

    func validate() throws {
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
        switch strategy {
        case .random: break
        case .last:
            guard (lastK ?? 1) >= 1 else { throw ValidationError("--last-k must be at least 1") }
        case .time:
            guard (cut == nil) != (cutFraction == nil) else { throw ValidationError("--by time needs exactly one of --cut and --cut-fraction") }
            if let cutFraction, !(cutFraction > 0 && cutFraction < 1) { throw ValidationError("--cut-fraction must be between 0 and 1") }
            if let cut, Split.parseTime(cut) == nil { throw ValidationError("--cut '\(cut)' is neither a number nor an ISO 8601 date") }
        case .users:
            guard let heldoutUsers, heldoutUsers >= 1 else { throw ValidationError("--by users needs --heldout-users N (N ≥ 1)") }
            guard foldIn != nil else { throw ValidationError("--by users needs --fold-in FILE for the held-out users' fold-in interactions") }
        case .kfold:
            guard let folds, folds >= 2 else { throw ValidationError("--by kfold needs --folds K (K ≥ 2)") }
            guard let fold, fold >= 0, fold < folds else { throw ValidationError("--fold must be between 0 and \(folds - 1)") }
        }
        if strategy != .users, foldIn != nil { throw ValidationError("--fold-in is an output of --by users only") }
    }

    static func parseTime(_ text: String) -> Double? { TimeParsing.seconds(text) }

    mutating func run() throws {
        let outputs = strategy == .users ? [train, foldIn!, test] : [train, test]
        let options = strategy == .users ? ["--train", "--fold-in", "--test"] : ["--train", "--test"]
        let formats = try zip(outputs, options).map { try output.format(of: $0, .interactions, option: $1) }
        let inputs = [interactions, input.itemIDsFrom].compactMap { $0.map { FileSpec($0).path } }
        try OutputGroup.refuseOverlap(inputs: inputs, outputs: outputs)
        let (x, _) = try input.read(interactions, limits: resources.limits)
        // The outputs are copies of the input's entries, made before any is written.
        let perEntry = 1 + 4 + 8 + (x.timestamps == nil ? 0 : 8)
        try resources.limits.memory.charge([(x.matrix.nnz, perEntry), (WorkingMemory.cells(outputs.count, x.userCount + 1), 8)],
                                 what: "splitting \(x.matrix.nnz) interactions into \(outputs.count) files (a copy of every entry)")
        let assignment: [UInt8]
        var note = ""
        var tied: Int? = nil
        do {
            switch strategy {
            case .random:
                assignment = x.randomHoldout(fraction: testFraction, seed: seed)
            case .last:
                assignment = try x.lastK(lastK ?? 1)
                tied = Split.tiedUsers(x, assignment)
                note = ", \(tied!) users tied at the cut, ordered by item"
            case .time:
                let at = try cut.map { Split.parseTime($0)! } ?? x.cutTime(leavingLatest: cutFraction!)
                assignment = try x.timeCut(at: at)
                note = ", cut at \(at)"
            case .users:
                assignment = try x.heldOutUsers(heldoutUsers!, testFraction: testFraction, seed: seed)
            case .kfold:
                assignment = x.kFold(folds!, fold: fold!, seed: seed)
            }
        } catch let error as SplitError {
            throw IOError(file: FileSpec(interactions).path, error.message)
        }
        let parts = x.parts(assignment, count: outputs.count)
        let provenance = self.provenance
        let memory = resources.limits.memory
        // All outputs are renamed into place together, after all were written: a kill or a
        // failure never leaves a new train file beside an old test file.
        try OutputGroup.writeTogether { () throws(IOError) in
            for k in parts.indices { try InteractionsFile.write(parts[k], to: outputs[k], format: formats[k], provenance: provenance, memory: memory) }
        }
        report(total: x.matrix.nnz, parts: parts.map(\.matrix.nnz), note: note, tied: tied)
    }
}

extension Split {
    /// What every HDF5 output records of this split; `pair` is one random marker shared by the
    /// outputs of one run, so a train and a test file from different runs can be told apart.
    var provenance: Provenance {
        var settings = input.recordedSettings
        let chosen: [String: Any?] = ["by": strategy.rawValue, "test_fraction": testFraction, "last_k": lastK, "cut": cut,
                                      "cut_fraction": cutFraction, "heldout_users": heldoutUsers, "folds": folds, "fold": fold, "seed": seed,
                                      "pair": UUID().uuidString]
        settings.merge(chosen) { _, new in new }
        return Provenance(command: "split", settings: settings, inputs: ["interactions": interactions])
    }

    /// The summary line on stderr, and with --json an object on stdout: the interactions of each output.
    func report(total: Int, parts: [Int], note: String, tied: Int? = nil) {
        if json {
            var summary: [String: Any] = ["by": strategy.rawValue, "interactions": total, "train": parts[0], "test": parts[parts.count - 1],
                                          "train_out": train, "test_out": test]
            if let tied { summary["tied_users"] = tied }
            if strategy == .users {
                summary["fold_in"] = parts[1]
                summary["fold_in_out"] = foldIn!
                summary["heldout_users"] = heldoutUsers!
            }
            Console.out(Console.json(summary))
        }
        guard !quiet else { return }
        if strategy == .users {
            Console.error("split \(total) interactions (users): \(parts[0]) train → \(train), \(heldoutUsers!) held-out users: \(parts[1]) fold-in → \(foldIn!), \(parts[2]) test → \(test)")
        } else {
            Console.error("split \(total) interactions (\(strategy.rawValue)\(note)): \(parts[0]) train → \(train), \(parts[1]) test → \(test)")
        }
    }
}

extension Split {
    /// The users whose earliest held-out time equals their latest training time: where equal
    /// timestamps straddle the cut and the item order decided.
    static func tiedUsers(_ x: Interactions, _ assignment: [UInt8]) -> Int {
        guard let t = x.timestamps else { return 0 }
        var tied = 0
        for u in 0..<x.matrix.rows {
            var latestTrain = -Double.infinity, earliestTest = Double.infinity
            for p in x.matrix.range(ofRow: u) {
                if assignment[p] == 0 { latestTrain = max(latestTrain, t[p]) } else { earliestTest = min(earliestTest, t[p]) }
            }
            if latestTrain == earliestTest { tied += 1 }
        }
        return tied
    }

    /// Refuses a train and a test file that `split` wrote in different runs: their `pair`
    /// markers differ, so the test file may hold interactions the model was trained on. Files
    /// without a marker (not from `split`, or not HDF5) are accepted.
    static func refuseMismatchedPair(train: String, test: String, limits: ReadLimits) throws {
        guard let trainPair = pairMarker(FileSpec(train).path, limits: limits), let testPair = pairMarker(FileSpec(test).path, limits: limits),
              trainPair != testPair else { return }
        throw DataError("\(train) and \(test) come from different split runs (pair \(trainPair) vs \(testPair)); pass the train and test files of one split")
    }

    /// The `pair` setting `split` records in its HDF5 outputs, if `path` is one.
    static func pairMarker(_ path: String, limits: ReadLimits) -> String? {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard ["h5", "hdf5", "h5ad"].contains(ext), let attributes = try? Provenance.read(path, limits: limits),
              attributes["mftool_command"] == "split", let text = attributes["mftool_settings"],
              let settings = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return settings["pair"] as? String
    }
}
