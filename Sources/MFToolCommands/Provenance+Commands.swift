import IO
import Loading
import Matrices

extension Provenance {
    /// What `command` records in its HDF5 outputs: this mftool version, the settings (unset
    /// options left out) and the input files, as JSON objects.
    init(command: String, settings: [String: Any?], inputs: [String: String?]) {
        self.init(version: mftoolVersion, command: command,
                  settings: Console.json(settings.compactMapValues { $0 }), inputs: Console.json(inputs.compactMapValues { $0 }))
    }

    /// Writes item embeddings (`item_factors`, `item_ids`, or an AnnData file) with the mftool
    /// version and this provenance.
    func writeEmbeddings(_ factors: DenseMatrix<Double>, ids: IDMap?, to path: String, format: OutputFormat) throws(IOError) {
        var file = FactorFile(side: .items, factors: factors, ids: ids)
        file.version = mftoolVersion
        try file.write(to: path, format: format, provenance: self)
    }
}

extension InteractionsInputOptions {
    /// The reading settings, for provenance.
    var recordedSettings: [String: Any?] {
        ["format": format?.rawValue, "delimiter": delimiter, "header": header, "user_col": userColumn, "item_col": itemColumn,
         "value_col": valueColumn, "time_col": timeColumn, "implicit": implicit, "min_value": minimumValue, "drop_null_rows": dropNullRows,
         "duplicates": duplicates.rawValue, "sort_ids": sortIDs, "item_ids_from": itemIDsFrom, "drop_unknown_items": idMatching.dropUnknownItems,
         "require_ids": idMatching.requireIDs, "allow_empty": idMatching.allowEmpty]
    }
}
