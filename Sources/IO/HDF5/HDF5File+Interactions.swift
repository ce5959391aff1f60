import Matrices

extension HDF5File {
    /// Reads an AnnData-encoded CSR (or CSC) group and its optional `user_ids`/`item_ids`.
    func readInteractions(group requested: String?) throws(IOError) -> ParsedTriplets {
        let group = try csrGroup(requested)
        let prefix = group == "/" ? "/" : group + "/"
        let (csc, m, n) = try csrLayout(group)
        try ParsedTriplets.checkDeclaredShape(rows: m, columns: n, file: path)
        for name in ["data", "indices", "indptr"] {
            let info = try info(prefix + name)
            guard info.shape.count == 1 else {
                throw IOError(file: path, location: prefix + name, "has shape \(info.shape), expected 1-D")
            }
        }
        let data = try read(prefix + "data", as: Double.self).values
        let indices = try read(prefix + "indices", as: Int64.self).values
        let indptr = try read(prefix + "indptr", as: Int64.self).values
        let compressed = try SparseArrays.compressed(indptr: indptr, indices: indices, data: data,
                                                     major: csc ? n : m, minor: csc ? m : n, file: path, prefix: prefix)
        let csr = csc ? compressed.transposed() : compressed
        var userIDs = try ids(named: "user_ids", near: prefix, count: m, axis: "users")
        if userIDs == nil { userIDs = try annDataIndex("/obs", count: m, axis: "users") }
        var itemIDs = try ids(named: "item_ids", near: prefix, count: n, axis: "items")
        if itemIDs == nil { itemIDs = try annDataIndex("/var", count: n, axis: "items") }
        var parsed = ParsedTriplets(userIDs: userIDs.map { IDList($0) } ?? ParsedTriplets.positionalIDs(m),
                                    itemIDs: itemIDs.map { IDList($0) } ?? ParsedTriplets.positionalIDs(n), csr: csr)
        parsed.positionalUsers = userIDs == nil
        parsed.positionalItems = itemIDs == nil
        if var times = try storedTimestamps(group: group, csc: csc, indptr: indptr, indices: indices) {
            if csc {
                // Follow the entries through the transpose by transposing their positions.
                var positions = compressed
                positions.values = (0..<positions.nnz).map(Double.init)
                let order = positions.transposed().values
                times = order.map { times[Int($0)] }
            }
            parsed.timestamps = times
        }
        return parsed
    }

    /// The timestamps of a CSR (CSC) group's stored values, in their stored order: the
    /// `timestamps` dataset beside its arrays, or, for an AnnData file's `X`, the layer
    /// `timestamps` when it has `X`'s encoding and sparsity; nil when there are none.
    func storedTimestamps(group: String, csc: Bool, indptr: [Int64], indices: [Int64]) throws(IOError) -> [Double]? {
        let prefix = group == "/" ? "/" : group + "/"
        if kind(of: prefix + "timestamps") == .dataset {
            let times = try read(prefix + "timestamps", as: Double.self).values
            guard times.count == indices.count else {
                throw IOError(file: path, location: prefix + "timestamps", "has \(times.count) entries, expected one per stored value (\(indices.count))")
            }
            return times
        }
        let layer = "/layers/timestamps"
        guard group == "/X", kind(of: layer) == .group else { return nil }
        let (layerCSC, rows, columns) = try csrLayout(layer)
        let (_, m, n) = try csrLayout(group)
        guard layerCSC == csc, rows == m, columns == n else {
            throw IOError(file: path, location: layer, "is a \(rows) × \(columns) \(layerCSC ? "csc" : "csr")_matrix, expected X's \(m) × \(n) \(csc ? "csc" : "csr")_matrix")
        }
        guard try read(layer + "/indptr", as: Int64.self).values == indptr,
              try read(layer + "/indices", as: Int64.self).values == indices else {
            throw IOError(file: path, location: layer, "does not store its values where X does (expected one timestamp per interaction)")
        }
        return try read(layer + "/data", as: Double.self).values
    }

    /// The group to read: the one asked for, else the root or `/X`, whichever holds `indptr`.
    func csrGroup(_ requested: String?) throws(IOError) -> String {
        let group: String
        if let requested {
            group = requested
        } else if kind(of: "/indptr") == .dataset {
            group = "/"
        } else if kind(of: "/X/indptr") == .dataset {
            group = "/X"
        } else {
            let here = (try? members(of: "/")) ?? []
            throw IOError(file: path, location: "/", "no CSR group found: expected datasets data, indices, indptr at the root or in /X (the file holds: \(here.joined(separator: ", ")))")
        }
        switch kind(of: group) {
        case .group: break
        case .external: throw externalLinkError(group)
        default: throw IOError(file: path, location: group, "no such group")
        }
        return group
    }

    /// The group's `encoding-type` (CSR unless it says CSC) and its `shape` attribute.
    func csrLayout(_ group: String) throws(IOError) -> (csc: Bool, rows: Int, columns: Int) {
        var encoding = "csr_matrix"
        if hasAttribute("encoding-type", on: group) {
            encoding = try stringAttribute("encoding-type", on: group)
        }
        guard encoding == "csr_matrix" || encoding == "csc_matrix" else {
            throw IOError(file: path, location: group, "encoding-type is '\(encoding)', expected csr_matrix or csc_matrix")
        }
        guard hasAttribute("shape", on: group) else {
            throw IOError(file: path, location: group, "has no 'shape' attribute (expected [users, items])")
        }
        let shape = try integerAttribute("shape", on: group)
        guard shape.count == 2, shape.allSatisfy({ $0 >= 0 && $0 < Int64(Int32.max) }) else {
            throw IOError(file: path, location: group, "attribute 'shape' is \(shape), expected two non-negative integers")
        }
        return (encoding == "csc_matrix", Int(shape[0]), Int(shape[1]))
    }

    /// Ids from `prefix + name`, else from the root, else nil; checked against `count`.
    func ids(named name: String, near prefix: String, count: Int, axis: String) throws(IOError) -> [String]? {
        for candidate in [prefix + name, "/" + name] where kind(of: candidate) == .dataset {
            return try checkedIDs(candidate, count: count, axis: axis)
        }
        return nil
    }

    /// The index of an AnnData dataframe (`/obs` for users, `/var` for items): the dataset its
    /// `_index` attribute names (`_index` as `anndata.write_h5ad` writes it); nil without one.
    func annDataIndex(_ frame: String, count: Int, axis: String) throws(IOError) -> [String]? {
        guard kind(of: frame) == .group else { return nil }
        let column = hasAttribute("_index", on: frame) ? try stringAttribute("_index", on: frame) : "_index"
        let dataset = frame + "/" + column
        guard kind(of: dataset) == .dataset else { return nil }
        return try checkedIDs(dataset, count: count, axis: axis)
    }

    private func checkedIDs(_ dataset: String, count: Int, axis: String) throws(IOError) -> [String] {
        let ids = try readStrings(dataset)
        guard ids.count == count else {
            throw IOError(file: path, location: dataset, "has \(ids.count) ids but the matrix has \(count) \(axis)")
        }
        return ids
    }

    /// Writes ids as int64 when every id is a canonical integer that fits, as uint64 when every
    /// one is a canonical non-negative integer and some exceed 2^63 - 1 (NumPy's dtype for
    /// them), else as UTF-8 strings: every id is stored exactly.
    func writeIDs(_ object: String, _ ids: IDMap) throws(IOError) {
        if ids.allIntegers {
            try write(object, ids.integers, shape: [ids.count])
        } else if let unsigned = ids.unsignedIntegers {
            try write(object, unsigned, shape: [ids.count])
        } else {
            try writeStrings(object, Array(ids.ids))
        }
    }

    /// Writes interactions in mftool's canonical layout: an AnnData CSR group at `group` with
    /// `user_ids` and `item_ids` beside its arrays; with `csc`, the same matrix item-major
    /// (AnnData's `csc_matrix`: `indptr` over items, `indices` of users), which sharded item
    /// solves cut by items.
    func writeInteractions(_ interactions: Interactions, group: String = "/", compression: Int? = nil, csc: Bool = false) throws(IOError) {
        let m = interactions.matrix
        try writeSparse(m, group: group, compression: compression, csc: csc)
        let prefix = group == "/" ? "/" : group + "/"
        if var times = interactions.timestamps {
            if csc {
                // Follow the entries through the transpose by transposing their positions.
                var positions = m
                positions.values = (0..<m.nnz).map(Double.init)
                let order = positions.transposed().values
                times = order.map { times[Int($0)] }
            }
            try write(prefix + "timestamps", times, shape: [m.nnz], compression: compression)
        }
        try writeIDs(prefix + "user_ids", interactions.userIDs)
        try writeIDs(prefix + "item_ids", interactions.itemIDs)
    }

    /// Writes a sparse matrix as an AnnData CSR group at `group` (CSC with `csc`): attributes
    /// `encoding-type`, `encoding-version` and `shape`, datasets `data`, `indices`, `indptr`.
    func writeSparse(_ m: CSRMatrix, group: String, compression: Int?, csc: Bool) throws(IOError) {
        let stored = csc ? m.transposed() : m
        if group != "/" { try createGroup(group) }
        let prefix = group == "/" ? "/" : group + "/"
        try setAttribute("encoding-type", on: group, string: csc ? "csc_matrix" : "csr_matrix")
        try setAttribute("encoding-version", on: group, string: "0.1.0")
        try setAttribute("shape", on: group, integers: [Int64(m.rows), Int64(m.columns)])
        try write(prefix + "data", stored.values, shape: [m.nnz], compression: compression)
        // indices and indptr share one integer type, as SciPy and AnnData write them (SciPy's
        // tocoo() refuses mixed types): int32 while nnz fits, else int64.
        if m.nnz < Int(Int32.max) {
            try write(prefix + "indices", stored.indices, shape: [m.nnz], compression: compression)
            try write(prefix + "indptr", stored.indptr.map { Int32($0) }, shape: [stored.rows + 1], compression: compression)
        } else {
            try write(prefix + "indices", stored.indices.map { Int64($0) }, shape: [m.nnz], compression: compression)
            try write(prefix + "indptr", stored.indptr.map { Int64($0) }, shape: [stored.rows + 1], compression: compression)
        }
    }
}
