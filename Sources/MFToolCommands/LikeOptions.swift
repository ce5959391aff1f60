import ArgumentParser
import Foundation
import IO
import Matrices
import Solvers

/// `solve --like FACTORS.h5`: the objective of a solve taken from a factor file's recorded
/// settings, so that a fold-in solves exactly the training problem.
struct LikeOptions: ParsableArguments {
    @Option(help: "Take the objective (loss, λ, regularization and its exponent, α, confidence, unobserved weight, user bias, offset, μ, item bias) from this factor file's recorded settings.", completion: .file())
    var like: String?

    @Flag(help: "With --like: objective flags given on the command line replace the recorded settings instead of contradicting them.")
    var override = false

    func validate() throws {
        if override && like == nil { throw ValidationError("--override goes with --like") }
    }

    /// `options` with every setting the factor file records; a flag set to something other than
    /// its default that disagrees with the recording is an error (exit 1, naming both) unless
    /// --override, which keeps the flag.
    func apply(to options: ObjectiveOptions) throws -> ObjectiveOptions {
        guard let like else { return options }
        let file = try FactorFile.read(FileSpec(like))
        guard let recorded = file.objective else {
            throw DataError("\(FileSpec(like).path) records no objective (loss), so --like has nothing to take")
        }
        var out = options
        var conflicts: [String] = []
        /// A setting typed on the command line is the optional's value; an absent one is nil.
        func take<T: Equatable>(_ name: String, _ path: WritableKeyPath<ObjectiveOptions, T?>, _ value: T?) {
            if let given = options[keyPath: path], given != value {
                conflicts.append("\(name) \(given) (recorded: \(value.map { "\($0)" } ?? "none"))")
                if override { return }
            }
            out[keyPath: path] = value
        }
        take("--loss", \.lossGiven, recorded.loss)
        take("--lambda", \.lambdaGiven, recorded.lambda)
        take("--reg", \.reg, recorded.regularization)
        take("--alpha", \.alphaGiven, recorded.alpha)
        take("--confidence", \.confidenceGiven, recorded.confidence)
        take("--offset", \.offsetGiven, recorded.offset)
        take("--mean", \.mean, recorded.fixedMean)
        take("--reg-exponent", \.regExponent, recorded.regularization == .frequency ? recorded.regularizationExponent : nil)
        take("--unobserved-weight", \.unobservedWeightGiven, recorded.unobservedWeight)
        if options.userBias && !recorded.userBias {
            conflicts.append("--user-bias (recorded: none)")
        }
        if !(options.userBias && override) { out.userBias = recorded.userBias }
        try takeItemBias(file, given: options.itemBias, into: &out, conflicts: &conflicts)
        if !conflicts.isEmpty && !override {
            throw DataError("\(conflicts.joined(separator: ", ")) contradict\(conflicts.count == 1 ? "s" : "") the settings recorded in \(FileSpec(like).path) (--override keeps the flags)")
        }
        return out
    }

    /// The item bias: the one stored in the factor file (as `FILE.h5:/item_bias`). A given
    /// --item-bias contradicts it unless its values are the same.
    private func takeItemBias(_ file: FactorFile, given: String?, into out: inout ObjectiveOptions, conflicts: inout [String]) throws {
        let stored = file.itemBias != nil ? "\(FileSpec(like!).path):/item_bias" : nil
        if let given {
            let values = try EmbeddingsFile.readVector(FileSpec(given))
            if values != file.itemBias {
                conflicts.append("--item-bias \(given) (recorded: \(stored ?? "none"))")
                if override { return }
            }
        }
        out.itemBias = stored
    }
}
