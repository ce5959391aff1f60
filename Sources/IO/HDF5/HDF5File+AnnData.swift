import Matrices

/// AnnData's on-disk encoding (anndata ≥ 0.8, read by `anndata.read_h5ad` 0.10–0.12): every
/// element carries `encoding-type` and `encoding-version` attributes; the root is an
/// `anndata`, `obs` and `var` are dataframes whose `_index` dataset holds the names, `X` a
/// `csr_matrix`/`csc_matrix` group or a dense `array`, and `layers`, `obsm`, `varm`, `obsp`,
/// `varp` and `uns` are dicts.
extension HDF5File {
    /// Sets AnnData's encoding attributes on `object`.
    func setEncoding(_ object: String, _ type: String, version: String) throws(IOError) {
        try setAttribute("encoding-type", on: object, string: type)
        try setAttribute("encoding-version", on: object, string: version)
    }

    /// Whether the file's root says it is an AnnData file.
    var isAnnData: Bool {
        hasAttribute("encoding-type", on: "/") && (try? stringAttribute("encoding-type", on: "/")) == "anndata"
    }

    /// Writes the root's encoding and the dicts an AnnData file has even when empty; `X`,
    /// `obs`, `var`, `layers` and `uns` are written by the caller.
    func writeAnnDataRoot() throws(IOError) {
        try setEncoding("/", "anndata", version: "0.1.0")
        for group in ["/obsm", "/varm", "/obsp", "/varp"] { try writeAnnDataDict(group) }
    }

    /// An empty `dict` element (filled by the caller).
    func writeAnnDataDict(_ group: String) throws(IOError) {
        try createGroup(group)
        try setEncoding(group, "dict", version: "0.1.0")
    }

    /// A dataframe at `frame` (`/obs`, `/var`) whose index holds `names` and whose columns are
    /// `columns` (float64), as `anndata.write_h5ad` writes one.
    func writeAnnDataFrame(_ frame: String, names: [String], columns: [(String, [Double])] = []) throws(IOError) {
        try createGroup(frame)
        try setEncoding(frame, "dataframe", version: "0.2.0")
        try setAttribute("_index", on: frame, string: "_index")
        if columns.isEmpty {
            try setAttribute("column-order", on: frame, doubles: [])
        } else {
            try setAttribute("column-order", on: frame, strings: columns.map(\.0))
        }
        try writeStrings(frame + "/_index", names)
        try setEncoding(frame + "/_index", "string-array", version: "0.2.0")
        for (name, values) in columns {
            precondition(values.count == names.count)
            try write(frame + "/" + name, values, shape: [values.count])
            try setEncoding(frame + "/" + name, "array", version: "0.2.0")
        }
    }

    /// `uns/mftool`: a dict of scalars (strings as `string`, numbers as `numeric-scalar`), which
    /// `anndata.read_h5ad` gives as `adata.uns["mftool"]`; the provenance's names lose their
    /// `mftool_` prefix there (`version`, `command`, `settings`, `inputs`).
    func writeAnnDataRecords(_ records: [(String, AttributeValue)]) throws(IOError) {
        try writeAnnDataDict("/uns")
        guard !records.isEmpty else { return }
        try writeAnnDataDict("/uns/mftool")
        for (name, value) in records {
            let object = "/uns/mftool/" + (name.hasPrefix("mftool_") ? String(name.dropFirst("mftool_".count)) : name)
            switch value {
            case let .string(s):
                try writeScalarString(object, s)
                try setEncoding(object, "string", version: "0.2.0")
            case let .double(d):
                try writeScalar(object, d)
                try setEncoding(object, "numeric-scalar", version: "0.2.0")
            case let .integer(i):
                try writeScalar(object, i)
                try setEncoding(object, "numeric-scalar", version: "0.2.0")
            }
        }
    }

    /// A scalar dataset of one variable-length UTF-8 string.
    func writeScalarString(_ object: String, _ value: String) throws(IOError) {
        guard let type = HDF5Handle.variableStringType(), let space = HDF5Handle.scalarSpace(),
              let d = handle.createDataset(object, type: type, space: space) else {
            throw IOError(file: path, location: object, "cannot create the dataset")
        }
        guard d.writeVariableStrings([value], type: type) else { throw IOError(file: path, location: object, "cannot write the string") }
    }

    /// A scalar numeric dataset.
    func writeScalar<T: HDF5Scalar>(_ object: String, _ value: T) throws(IOError) {
        guard let space = HDF5Handle.scalarSpace(), let d = handle.createDataset(object, of: T.self, space: space, creation: nil) else {
            throw IOError(file: path, location: object, "cannot create the dataset")
        }
        guard d.writeDataset([value]) else { throw IOError(file: path, location: object, "cannot write the data") }
    }

    /// Writes interactions as an AnnData file: `X` the CSR matrix (CSC with `csc`), `obs` and
    /// `var` indexed by the user and item ids, the timestamps as the layer `timestamps` (the
    /// same sparsity as `X`), and `records` (the provenance) in `uns/mftool`.
    func writeAnnDataInteractions(_ interactions: Interactions, compression: Int?, csc: Bool,
                                  records: [(String, AttributeValue)]) throws(IOError) {
        try writeAnnDataRoot()
        try writeSparse(interactions.matrix, group: "/X", compression: compression, csc: csc)
        try writeAnnDataFrame("/obs", names: Array(interactions.userIDs.ids))
        try writeAnnDataFrame("/var", names: Array(interactions.itemIDs.ids))
        try writeAnnDataDict("/layers")
        if let times = interactions.timestamps {
            var layer = interactions.matrix
            layer.values = times
            try writeSparse(layer, group: "/layers/timestamps", compression: compression, csc: csc)
        }
        try writeAnnDataRecords(records)
    }

    /// Makes the file around a dense `X` (written by the caller, whole or by slabs) an AnnData
    /// file of factors: one observation per row (`obs` indexed by `ids`, with float64 `columns`
    /// such as an item bias), one variable per factor (`var` indexed by `factorNames`), and
    /// `records` in `uns/mftool`.
    func writeAnnDataFactorFrames(ids: [String], factorNames: [String], columns: [(String, [Double])],
                                  records: [(String, AttributeValue)]) throws(IOError) {
        try writeAnnDataRoot()
        try setEncoding("/X", "array", version: "0.2.0")
        try writeAnnDataFrame("/obs", names: ids, columns: columns)
        try writeAnnDataFrame("/var", names: factorNames)
        try writeAnnDataDict("/layers")
        try writeAnnDataRecords(records)
    }

    /// The ids of an AnnData matrix's rows: the `obs` index for `X`, a layer or an `obsm`
    /// entry, the `var` index for a `varm` entry; nil for any other dataset or without an index.
    func annDataRowIDs(of dataset: String, count: Int) throws(IOError) -> [String]? {
        if dataset == "/X" || dataset.hasPrefix("/obsm/") || dataset.hasPrefix("/layers/") {
            return try annDataIndex("/obs", count: count, axis: "rows of \(dataset)")
        }
        if dataset.hasPrefix("/varm/") { return try annDataIndex("/var", count: count, axis: "rows of \(dataset)") }
        return nil
    }
}
