import Foundation
import Matrices
import ModelSettings

extension FactorFile {
    /// Reads factors from `FILE.npy` (no ids, nothing recorded) or from `FILE.h5`: the dataset
    /// named as `FILE.h5:/DATASET`, else `user_factors` (`item_factors` for the item side), else
    /// the only 2-D dataset; ids from `user_ids` (`item_ids`) beside it or at the root; the
    /// recorded settings from the root attributes, and a stored `item_bias`.
    ///
    /// Attributes may be encoded as earlier versions and other tools wrote them: numbers and
    /// flags as strings ("1", "0.5") or numbers of either type, strings as numbers.
    ///
    /// `matrix` holds the factors in the precision `reading` asks for (Float64 by default).
    public static func read(_ spec: FileSpec, side: Side = .users, reading: FactorReading = .double, limits: ReadLimits = ReadLimits()) throws(IOError) -> FactorFile {
        let stored = try EmbeddingsFile.readMatrix(spec, preferred: [side.dataset], idsName: side.idsDataset, reading: reading, limits: limits)
        var result = FactorFile(side: side, factors: DenseMatrix(rows: 0, columns: 0, storage: []), ids: nil)
        result.matrix = stored.factors
        result.ids = stored.ids
        guard let file = stored.file, let dataset = stored.dataset else { return result }
        result.single = try file.info(dataset).kind == .float(bytes: 4)
        try result.decode(RecordedAttributes(file))
        result.part = try ShardPart.read(from: file)
        if let bias = storedItemBias(file) {
            result.itemBias = try EmbeddingsFile.readVector(FileSpec(path: spec.path, object: bias), limits: limits)
        }
        return result
    }

    /// The recorded settings of the factor file at `path` (attributes and a stored item bias),
    /// without its factor matrix, which is left empty: what `--like` takes from a file. A `.npy`
    /// records nothing.
    public static func readSettings(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> FactorFile {
        var result = FactorFile(side: .users, factors: DenseMatrix(rows: 0, columns: 0, storage: []), ids: nil)
        try InputFile.check(path)
        guard FileFormat.detect(path) == .hdf5 else { return result }
        let file = try HDF5File.open(path, limits: limits)
        result.side = try recordedSide(path, limits: limits) ?? .users
        try result.decode(RecordedAttributes(file))
        if let stored = storedItemBias(file) {
            result.itemBias = try EmbeddingsFile.readVector(FileSpec(path: path, object: stored), limits: limits)
        }
        return result
    }

    /// Where `file` stores an item bias: the dataset `item_bias`, or an AnnData file's `obs`
    /// column `item_bias`; nil when it stores none.
    static func storedItemBias(_ file: HDF5File) -> String? {
        if file.kind(of: "/item_bias") == .dataset { return "/item_bias" }
        if file.isAnnData, file.kind(of: "/obs/item_bias") == .dataset { return "/obs/item_bias" }
        return nil
    }

    /// Whether the HDF5 file at `path` holds item factors (`item_factors`, no `user_factors`;
    /// an AnnData file that mftool wrote says so in its attribute `factors`).
    public static func holdsItems(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> Bool {
        try recordedSide(path, limits: limits) == .items
    }

    /// The side the HDF5 file at `path` holds: by its `user_factors` or `item_factors` dataset,
    /// or the `factors` attribute of an AnnData file mftool wrote; nil when it does not say.
    public static func recordedSide(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> Side? {
        let file = try HDF5File.open(path, limits: limits)
        let users = file.kind(of: "/user_factors") == .dataset, items = file.kind(of: "/item_factors") == .dataset
        if users != items { return users ? .users : .items }
        guard file.isAnnData, file.hasAttribute("factors", on: "/") else { return nil }
        return Side(rawValue: try file.stringAttribute("factors", on: "/"))
    }

    private mutating func decode(_ recorded: RecordedAttributes) throws(IOError) {
        userBias = try recorded.flag("user_bias") ?? false
        offset = try recorded.value("offset", as: Objective.Offset.self) ?? .none
        globalMean = try recorded.double("global_mean") ?? 0
        if let source = recorded.string("item_bias"), !source.isEmpty { itemBiasSource = FileSpec(source) }
        version = recorded.string("mftool_version")
        objective = try Objective(recorded, userBias: userBias, offset: offset, mean: globalMean)
        run = try Run(recorded)
    }
}

extension Objective {
    /// The recorded objective with the file's model terms, or nil when the file records no
    /// `loss`. Each setting is read as its row of ``Objective/settings`` says: one recorded
    /// with every objective is required, one recorded where it applies is required there, one
    /// recorded unless at its default is that default when absent. Under a global-mean offset
    /// μ is the recorded one, as a fold-in against the same items needs.
    init?(_ recorded: RecordedAttributes, userBias: Bool, offset: Objective.Offset, mean: Double) throws(IOError) {
        guard recorded.values["loss"] != nil else { return nil }
        self.init(userBias: userBias, offset: offset)
        if offset == .globalMean { fixedMean = mean }
        for row in Objective.settings where row.recording != .asModelTerm {
            let value = try recorded.setting(row)
            switch row.recording {
            case .always:
                self = row.setting(try recorded.required(value, row.attribute, with: "loss"), in: self)
            case .whereItApplies where row.applies(to: self):
                self = row.setting(try recorded.required(value, row.attribute, with: row.conditionText ?? row.attribute), in: self)
            case .unlessDefault:
                self = row.setting(value ?? row.defaultValue, in: self)
            default:
                break
            }
        }
    }
}

extension FactorFile.Run {
    /// The recorded run, or nil when the file records no `method`.
    init?(_ recorded: RecordedAttributes) throws(IOError) {
        guard let method = try recorded.value("method", as: Method.self) else { return nil }
        self.init(method: method)
        side = try recorded.value("side", as: FactorFile.Side.self)
        precision = try recorded.value("precision", as: SolvePrecision.self)
        kernel = recorded.string("kernel")
        epochs = try recorded.integer("epochs").map { Int($0) }
        bestEpoch = try recorded.integer("best_epoch").map { Int($0) }
        validationMetric = recorded.string("validation_metric")
        validationScore = try recorded.double("validation_score")
        objectiveValue = try recorded.double("objective_value")
        seed = try recorded.integer("seed").map { UInt64(bitPattern: $0) }
        gradient = try FactorFile.Gradient(recorded, method: method)
        interactions = recorded.string("interactions")
        items = recorded.string("items")
        users = recorded.string("users")
    }
}

extension FactorFile.Gradient {
    /// The recorded optimizer settings, or nil when the file records no `lr`. A missing
    /// `lr_decay` is 1: files written before the option existed trained at a constant rate. A
    /// missing `sparse` is false: dense updates (the flag is written only when set).
    init?(_ recorded: RecordedAttributes, method: FactorFile.Run.Method) throws(IOError) {
        guard let learningRate = try recorded.double("lr") else { return nil }
        func require<T>(_ value: T?, _ name: String) throws(IOError) -> T { try recorded.required(value, name, with: "lr") }
        var optimizer = OptimizerSettings()
        optimizer.kind = method == .sgd ? .sgd : .adam
        optimizer.learningRate = learningRate
        optimizer.learningRateDecay = try recorded.double("lr_decay") ?? 1
        optimizer.weightDecay = try require(recorded.double("weight_decay"), "weight_decay")
        optimizer.decoupled = try require(recorded.flag("decoupled"), "decoupled")
        optimizer.momentum = try require(recorded.double("momentum"), "momentum")
        optimizer.beta1 = try require(recorded.double("beta1"), "beta1")
        optimizer.beta2 = try require(recorded.double("beta2"), "beta2")
        optimizer.epsilon = try require(recorded.double("eps"), "eps")
        optimizer.sparse = try recorded.flag("sparse") ?? false
        self.init(optimizer: optimizer, batchSize: Int(try require(recorded.integer("batch_size"), "batch_size")),
                  lossScale: try require(recorded.value("loss_scale", as: GradientLossScale.self), "loss_scale"))
    }
}

/// The root attributes of a factor file, decoded to typed values whatever their stored
/// encoding: a number may be stored as an int64, a float64 or a string, a string as a number.
struct RecordedAttributes {
    let path: String
    let values: [String: AttributeValue]

    init(_ file: HDF5File) throws(IOError) {
        path = file.path
        var values: [String: AttributeValue] = [:]
        for name in file.attributeNames(on: "/") {
            if let value = try file.attribute(name, on: "/") { values[name] = value }
        }
        self.values = values
    }

    private func invalid(_ name: String, _ value: AttributeValue, expected: String) -> IOError {
        IOError(file: path, location: "/", "attribute '\(name)' is '\(value)', expected \(expected)")
    }

    /// The value of `name` as text: a string as stored, a number as Swift prints it.
    func string(_ name: String) -> String? { values[name]?.description }

    func double(_ name: String) throws(IOError) -> Double? {
        switch values[name] {
        case nil: return nil
        case let .double(d): return d
        case let .integer(i): return Double(i)
        case let .string(s)?:
            guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else { throw invalid(name, .string(s), expected: "a number") }
            return d
        }
    }

    func integer(_ name: String) throws(IOError) -> Int64? {
        guard let value = values[name] else { return nil }
        if case let .integer(i) = value { return i }
        if case let .string(s) = value, let i = Int64(s.trimmingCharacters(in: .whitespaces)) { return i }
        guard let d = try double(name), d == d.rounded(), abs(d) < 9.2e18 else { throw invalid(name, value, expected: "an integer") }
        return Int64(d)
    }

    /// A flag: 1 or 0 as a number, or "1", "0", "true", "false" as a string.
    func flag(_ name: String) throws(IOError) -> Bool? {
        guard let value = values[name] else { return nil }
        switch value.description.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "1.0", "true": return true
        case "0", "0.0", "false": return false
        default: throw invalid(name, value, expected: "1 or 0")
        }
    }

    func value<E: RawRepresentable & CaseIterable>(_ name: String, as _: E.Type) throws(IOError) -> E? where E.RawValue == String {
        guard let value = values[name] else { return nil }
        guard let decoded = E(rawValue: value.description) else {
            throw invalid(name, value, expected: E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return decoded
    }

    /// The value of the attribute of `row`, decoded as its kind: a number, one of its choices,
    /// or a flag; nil when absent.
    func setting(_ row: ObjectiveSetting) throws(IOError) -> SettingValue? {
        guard let value = values[row.attribute] else { return nil }
        if !row.choices.isEmpty {
            guard row.choices.contains(value.description) else {
                throw invalid(row.attribute, value, expected: row.choices.joined(separator: ", "))
            }
            return .choice(value.description)
        }
        if case .flag? = row.defaultValue { return try flag(row.attribute).map(SettingValue.flag) }
        return try double(row.attribute).map(SettingValue.number)
    }

    /// `value`, or an error naming the attribute `name` that a file recording `anchor` must have.
    func required<T>(_ value: T?, _ name: String, with anchor: String) throws(IOError) -> T {
        guard let value else {
            throw IOError(file: path, location: "/", "records '\(anchor)' but has no attribute '\(name)'")
        }
        return value
    }
}
