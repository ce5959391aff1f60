import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `--like FACTORS.h5`: the objective (`solve`, `check`) or the model terms (`eval`) taken from
/// a factor file's recorded settings, so that a fold-in solves, and a check or an evaluation
/// measures, exactly the training problem.
struct LikeOptions: ParsableArguments {
    @Option(help: "Take the objective (loss, λ, regularization and its exponent, α, confidence, unobserved weight, user bias, offset, μ, item bias) from this factor file's recorded settings.", completion: .file())
    var like: String?

    @Flag(help: "Objective flags given on the command line replace the recorded settings instead of contradicting them (eval: the --like file's terms replace the user file's).")
    var override = false

    /// `options` with every setting the --like file records (unchanged without --like); see
    /// ``apply(to:recordedIn:path:items:limits:)``. `items` is the items file given with it, where an
    /// ALS model's item bias lives.
    func apply(to options: ObjectiveOptions, items: String? = nil, limits: ReadLimits) throws -> ObjectiveOptions {
        guard let like else { return options }
        let path = FileSpec(like).path
        let file = try FactorFile.readSettings(path, limits: limits)
        guard file.objective != nil else {
            throw DataError("\(path) records no objective (loss), so --like has nothing to take")
        }
        return try apply(to: options, recordedIn: file, path: path, items: items, limits: limits)
    }

    /// `options` with every setting `file` (read from `path`) records; a flag typed on the
    /// command line that disagrees with the recording is an error (exit 1, naming both) unless
    /// --override, which keeps the flag.
    func apply(to options: ObjectiveOptions, recordedIn file: FactorFile, path: String, items: String?, limits: ReadLimits) throws -> ObjectiveOptions {
        guard let recorded = file.objective else { return options }
        var conflicts: [String] = []
        var taken: [String: SettingValue?] = [:]
        let given = try options.given()
        for row in Objective.settings {
            // A setting that does not apply to the recorded objective is recorded as its default.
            let value = row.applies(to: recorded) ? row.value(in: recorded) : row.defaultValue
            if let typed = given[row.flag], typed != value {
                conflicts.append("--\(row.flag) \(typed) (recorded: \(value?.description ?? "none"))")
                if override { continue }
            }
            taken[row.flag] = .some(value)
        }
        var out = try options.replacing(taken)
        try takeItemBias(file, path: path, items: items, given: options.itemBias, limits: limits, into: &out, conflicts: &conflicts)
        if !conflicts.isEmpty && !override {
            throw DataError("\(conflicts.joined(separator: ", ")) contradict\(conflicts.count == 1 ? "s" : "") the settings recorded in \(path) (--override keeps the flags)")
        }
        return out
    }

    /// The item bias: the one stored in the factor file (as `FILE.h5:/item_bias`), else the one
    /// it records the source of (an ALS model's, in its items file). A given --item-bias
    /// contradicts it unless its values are the same.
    private func takeItemBias(_ file: FactorFile, path: String, items: String?, given: String?, limits: ReadLimits,
                              into out: inout ObjectiveOptions, conflicts: inout [String]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let recorded = file.itemBias != nil ? FileSpec(path: path, object: "/item_bias")
            : try file.recordedItemBiasSource(items: items.map { FileSpec($0) }, folder: folder, limits: limits)
        if let given {
            let values = try EmbeddingsFile.readVector(FileSpec(given), limits: limits)
            if try values != recorded.map({ try EmbeddingsFile.readVector($0, limits: limits) }) {
                conflicts.append("--item-bias \(given) (recorded: \(recorded?.description ?? "none"))")
                if override { return }
            }
        }
        out.itemBias = recorded?.description
    }
}

extension LikeOptions {
    /// The --like file and --override, as ``LoadedModel`` takes them; nil without --like.
    var file: (path: String, override: Bool)? { like.map { (FileSpec($0).path, override) } }
}
