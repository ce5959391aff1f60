import Matrices

extension FactorFile {
    /// Writes the file to `path` (atomically) in `format`, by default the one the name's
    /// extension picks (`.h5`, `.hdf5` or `.h5ad`; any other name is an error). HDF5: the
    /// factors (float64, or float32 when `single`) as `user_factors` or `item_factors`, the ids
    /// as `user_ids` or `item_ids` (int64 when every id is an integer, else UTF-8 strings), a
    /// stored item bias as `item_bias`, and `attributes` on the root, with `provenance` when
    /// given. AnnData (``writeAnnData(in:provenance:)``): the rows as observations.
    public func write(to path: String, format: OutputFormat? = nil, provenance: Provenance? = nil) throws(IOError) {
        let format = try OutputFormat.resolving(path, kind: .factors, given: format)
        guard OutputKind.factors.formats.contains(format) else {
            throw IOError(file: path, "factors cannot be written as \(format.rawValue); write \(OutputKind.factors.acceptedExtensions)")
        }
        try checkFinite(writing: path)
        try AtomicOutput.write(to: path) { temporary throws(IOError) in
            let file = try HDF5File.create(temporary)
            if format == .h5ad {
                try file.writeMatrix(factors, name: "/X", single: single)
                try writeAnnDataRecords(in: file, rows: matrix.rows, provenance: provenance)
            } else {
                try file.writeMatrix(factors, name: "/" + side.dataset, single: single)
                try writeRecords(in: file, provenance: provenance)
            }
            try file.flush()
        }
    }

    /// Everything but the factors of an AnnData file, as `anndata` keeps embeddings, around
    /// `X`, the `rows` × k matrix the caller writes: `obs` indexed by the ids (`0 … n−1` without
    /// ids) with a stored item bias as its column `item_bias`, `var` indexed by the factors'
    /// numbers (the user bias column `user_bias`), the settings and `provenance` in
    /// `uns/mftool`. The same attributes go on the root too, where ``read(_:side:reading:)``
    /// finds them, with `factors` naming the side.
    func writeAnnDataRecords(in file: HDF5File, rows: Int, provenance: Provenance?) throws(IOError) {
        let columns = matrix.columns
        let names = ids.map { Array($0.ids) } ?? (0..<rows).map(String.init)
        var factorNames = (0..<columns).map(String.init)
        if side == .users && userBias && columns > 0 { factorNames[columns - 1] = "user_bias" }
        var records = attributes
        records.append(("factors", .string(side.rawValue)))
        for (name, value) in provenance?.attributes ?? [] where !records.contains(where: { $0.0 == name }) {
            records.append((name, value))
        }
        try file.writeAnnDataFactorFrames(ids: names, factorNames: factorNames,
                                          columns: itemBias.map { [("item_bias", $0)] } ?? [], records: records)
        for (name, value) in records { try file.setAttribute(name, on: "/", value) }
    }

    /// Everything but the factors: the ids, the attributes, a stored item bias, the part
    /// record and `provenance`.
    func writeRecords(in file: HDF5File, provenance: Provenance?) throws(IOError) {
        if let ids { try file.writeIDs("/" + side.idsDataset, ids) }
        for (name, value) in attributes { try file.setAttribute(name, on: "/", value) }
        if let itemBias { try file.write("/item_bias", itemBias, shape: [itemBias.count]) }
        try part?.record(in: file)
        try provenance?.record(in: file)
    }

    /// The recorded settings that every part of a sharded run must share: the root attributes
    /// but the input paths, as `name=value` lines.
    public var partSettings: String {
        attributes.filter { !["interactions", "items", "users"].contains($0.0) }.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
    }

    /// The recorded settings as JSON values, without the input paths and the version: what a
    /// command's provenance records of the model and the run, from the same attributes.
    public var recordedSettings: [String: Any] {
        var out: [String: Any] = [:]
        for (name, value) in attributes where !["interactions", "items", "users", "mftool_version"].contains(name) {
            switch value {
            case let .string(s): out[name] = s
            case let .double(d): out[name] = d
            case let .integer(i): out[name] = i
            }
        }
        return out
    }

    /// The root attributes, in the order they are written. Strings are variable-length UTF-8,
    /// numbers float64, counts and flags int64 (flags 0 or 1). The objective's settings are
    /// written as their rows of ``Objective/settings`` say (every objective, where they apply,
    /// or unless at their default); the model terms (`user_bias`, `offset`, `global_mean`,
    /// `item_bias` — "" for none — and `k`) are recorded together whenever an objective is or
    /// any of them is set.
    var attributes: [(String, AttributeValue)] {
        var out: [(String, AttributeValue)] = []
        if let objective {
            for row in Objective.settings where row.isRecorded(in: objective) {
                if let value = row.value(in: objective) { out.append((row.attribute, AttributeValue(value))) }
            }
        }
        if objective != nil || userBias || offset != .none || itemBiasSource != nil {
            out += [("user_bias", .integer(userBias ? 1 : 0)), ("offset", .string(offset.rawValue)),
                    ("global_mean", .double(globalMean)), ("item_bias", .string(itemBiasSource?.description ?? "")),
                    ("k", .integer(Int64(k)))]
        }
        if let version { out.append(("mftool_version", .string(version))) }
        if let run { out += run.attributes }
        return out
    }
}

extension FactorFile.Run {
    /// `method`, then whichever of the settings and input files are set.
    var attributes: [(String, AttributeValue)] {
        var out: [(String, AttributeValue)] = [("method", .string(method.rawValue))]
        if let side { out.append(("side", .string(side.rawValue))) }
        if let precision { out.append(("precision", .string(precision.rawValue))) }
        if let kernel { out.append(("kernel", .string(kernel))) }
        if let gradient {
            out += [("lr", .double(gradient.optimizer.learningRate)), ("lr_decay", .double(gradient.optimizer.learningRateDecay))]
        }
        if let epochs { out.append(("epochs", .integer(Int64(epochs)))) }
        if let bestEpoch { out.append(("best_epoch", .integer(Int64(bestEpoch)))) }
        if let validationMetric { out.append(("validation_metric", .string(validationMetric))) }
        if let validationScore { out.append(("validation_score", .double(validationScore))) }
        if let objectiveValue { out.append(("objective_value", .double(objectiveValue))) }
        if let gradient { out.append(("batch_size", .integer(Int64(gradient.batchSize)))) }
        if let seed { out.append(("seed", .integer(Int64(bitPattern: seed)))) }
        if let gradient {
            let o = gradient.optimizer
            out += [("weight_decay", .double(o.weightDecay)), ("decoupled", .integer(o.decoupled ? 1 : 0)),
                    ("momentum", .double(o.momentum)), ("beta1", .double(o.beta1)),
                    ("beta2", .double(o.beta2)), ("eps", .double(o.epsilon)),
                    ("loss_scale", .string(gradient.lossScale.rawValue))]
            if o.sparse { out.append(("sparse", .integer(1))) }
        }
        for (name, file) in [("interactions", interactions), ("items", items), ("users", users)] {
            if let file { out.append((name, .string(file))) }
        }
        return out
    }
}

extension AttributeValue {
    /// A setting's value as a factor file stores it: numbers float64, choices strings, flags 0 or 1.
    init(_ value: SettingValue) {
        switch value {
        case let .number(d): self = .double(d)
        case let .choice(s): self = .string(s)
        case let .flag(b): self = .integer(b ? 1 : 0)
        }
    }
}
