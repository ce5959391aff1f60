import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

extension Objective.Loss: ExpressibleByArgument {}
extension Objective.Confidence: ExpressibleByArgument {}
extension Objective.Regularization: ExpressibleByArgument {}
extension Objective.Offset: ExpressibleByArgument {}
extension RidgeSolver.Precision: ExpressibleByArgument {}
extension RidgeSolver.Fallback: ExpressibleByArgument {}
extension RidgeSolver.Kernel: ExpressibleByArgument {}
extension RidgeSolver.Form: ExpressibleByArgument {}
extension NativeKernelVariant: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// A value typed for an objective setting, read by its row of ``Objective/settings`` when the
/// options are validated.
struct SettingText: ExpressibleByArgument, Equatable {
    let text: String
    init?(argument: String) { text = argument }
}

extension ArgumentHelp {
    /// The help of the objective setting `--flag`, from its row.
    static func setting(_ flag: String) -> ArgumentHelp { ArgumentHelp(Objective.setting(flag).help) }
}

/// The objective shared by `solve`, `fit` and `check`: one option per row of
/// ``Objective/settings``, which gives its help, default, range and when it applies. An option
/// not typed is nil, so that `--like` can tell a flag typed on the command line from a default.
struct ObjectiveOptions: ParsableArguments {
    @Option(name: .customLong("loss"), help: .setting("loss")) var loss: SettingText?
    @Option(name: .customLong("lambda"), parsing: .unconditional, help: .setting("lambda")) var lambda: SettingText?
    @Option(name: .customLong("reg"), help: .setting("reg")) var reg: SettingText?
    @Option(name: .customLong("reg-exponent"), parsing: .unconditional, help: .setting("reg-exponent")) var regExponent: SettingText?
    @Option(name: .customLong("unobserved-weight"), parsing: .unconditional, help: .setting("unobserved-weight"))
    var unobservedWeight: SettingText?
    @Option(name: .customLong("alpha"), parsing: .unconditional, help: .setting("alpha")) var alpha: SettingText?
    @Option(name: .customLong("confidence"), help: .setting("confidence")) var confidence: SettingText?
    @Flag(name: .customLong("user-bias"), help: .setting("user-bias")) var userBias = false
    @Option(name: .customLong("offset"), help: .setting("offset")) var offset: SettingText?
    @Option(name: .customLong("mean"), parsing: .unconditional, help: .setting("mean")) var mean: SettingText?

    @Option(name: .customLong("item-bias"), help: "A fixed item bias to subtract from targets: FILE.h5:/DATASET or FILE.npy.", completion: .file())
    var itemBias: String?

    /// The settings typed on the command line, by flag, as their rows read them; a number that
    /// is not one or a choice not among the row's is a usage error naming the flag. The options
    /// are found by their property names (`regExponent` for `--reg-exponent`).
    func given() throws -> [String: SettingValue] {
        var out: [String: SettingValue] = [:]
        for (property, value) in Mirror(reflecting: self).children {
            guard let property, let option = value as? TypedSetting, let typed = option.typed else { continue }
            let row = Objective.setting(Self.flag(ofProperty: property))
            if case .flag? = row.defaultValue {
                out[row.flag] = .flag(true)
            } else if !row.choices.isEmpty {
                guard row.choices.contains(typed) else {
                    throw ValidationError("--\(row.flag) '\(typed)' is not one of \(row.choices.joined(separator: ", "))")
                }
                out[row.flag] = .choice(typed)
            } else {
                guard let number = Double(typed.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--\(row.flag) '\(typed)' is not a number")
                }
                out[row.flag] = .number(number)
            }
        }
        return out
    }

    /// `--reg-exponent` for the property `_regExponent` (a property wrapper's storage) or `regExponent`.
    static func flag(ofProperty name: String) -> String {
        var flag = ""
        for c in name.drop(while: { $0 == "_" }) {
            if c.isUppercase { flag += "-" + c.lowercased() } else { flag.append(c) }
        }
        return flag
    }

    /// These options with `values` for the settings (a value at its default left untyped), as
    /// if typed: parsed from their flags, so that every option is set the one way.
    func replacing(_ values: [String: SettingValue?]) throws -> ObjectiveOptions {
        var given: [String: SettingValue?] = try self.given()
        for (flag, value) in values { given[flag] = .some(value) }
        var arguments: [String] = []
        for row in Objective.settings {
            guard case let value?? = given[row.flag], values[row.flag] == nil || value != row.defaultValue else { continue }
            arguments += value == .flag(true) ? ["--\(row.flag)"] : ["--\(row.flag)", value.description]
        }
        if let itemBias { arguments += ["--item-bias", itemBias] }
        return try ObjectiveOptions.parse(arguments)
    }

    /// The objective the options give: `Objective()` with each typed setting; `--reg-exponent`
    /// given alone implies `--reg frequency`.
    var objective: Objective {
        let given = (try? self.given()) ?? [:]
        var o = Objective()
        for row in Objective.settings { if let value = given[row.flag] { o = row.setting(value, in: o) } }
        if given["reg-exponent"] != nil && given["reg"] == nil { o.regularization = .frequency }
        return o
    }

    func validate() throws {
        let given = try self.given()
        let objective = self.objective
        for row in Objective.settings where given[row.flag] != nil {
            if row.multipliesData, case let .number(value)? = given[row.flag], value.isFinite, !InputValues.isUsable(value) {
                throw ValidationError("--\(row.flag) \(value) is larger than 1e150 in magnitude, where products with the data overflow")
            }
            if let problem = row.problem(in: objective) ?? row.misplaced(in: objective) { throw ValidationError(problem) }
        }
    }
}

/// The data of a problem: interactions and the fixed item matrix, aligned by item id.
struct ProblemInputOptions: ParsableArguments {
    @Option(name: .customLong("interactions"), help: "Interactions: canonical HDF5 or any format convert reads.", completion: .file())
    var interactionsFile: String

    @Option(name: .customLong("items"), help: "Item embeddings: FILE.h5[:/DATASET] or FILE.npy.", completion: .file())
    var itemsFile: String?

    @Option(name: .customLong("item-ids"), help: "Ids of the --items rows, for embeddings without ids (.npy): text with one id per line, a 1-D .npy, or FILE.h5:/DATASET.", completion: .file())
    var itemIDs: String?

    @OptionGroup(title: "Interactions input")
    var input: InteractionsInputOptions

    /// Reads both files; the interactions' items are aligned to the embeddings' (or to
    /// --item-ids-from) by the one alignment rule: by id when both carry ids, else by position
    /// when the counts agree, said on stderr.
    func load(objective: ObjectiveOptions, limits: ReadLimits) throws -> (Interactions, ItemEmbeddings, RidgeProblem) {
        let (interactions, items, problem, _) = try loadReporting(objective: objective, limits: limits)
        return (interactions, items, problem)
    }

    /// `load`, with what reading the interactions dropped.
    func loadReporting(objective: ObjectiveOptions, limits: ReadLimits) throws -> (Interactions, ItemEmbeddings, RidgeProblem, ConversionReport) {
        let loaded = try load(objective: objective, shard: nil, limits: limits)
        return (loaded.interactions, loaded.items, loaded.problem, loaded.report)
    }

    /// The problem, or with `shard` only its rows of the interactions (see
    /// ``ProblemInput/load(objective:shard:notices:)``); how ids were matched goes to stderr.
    func load(objective settings: ObjectiveOptions, shard: Shard?, limits: ReadLimits) throws -> LoadedProblem {
        guard let itemsFile else { throw ValidationError("--items is required") }
        var input = ProblemInput(interactions: FileSpec(interactionsFile), items: FileSpec(itemsFile),
                                 read: try self.input.readOptions(limits: limits))
        input.itemIDs = itemIDs.map { FileSpec($0) }
        input.itemBias = settings.itemBias.map { FileSpec($0) }
        var notices = AlignmentNotices.printing()
        return try input.load(objective: settings.objective, shard: shard, notices: &notices)
    }
}


/// An objective option as `given()` reads it through a mirror: the text typed, nil when absent.
protocol TypedSetting { var typed: String? { get } }
extension Option: TypedSetting where Value == SettingText? { var typed: String? { wrappedValue?.text } }
extension Flag: TypedSetting where Value == Bool { var typed: String? { wrappedValue ? "1" : nil } }
