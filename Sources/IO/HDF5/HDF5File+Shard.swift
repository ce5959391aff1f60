import Matrices

/// One shard of a compressed (CSR or CSC) interactions group, read by slabs: the rows of the
/// major axis it covers, never the rest.
struct InteractionsShard {
    var parsed: ParsedTriplets
    /// The major-axis rows read (users of a CSR group, items of a CSC group).
    var rows: Range<Int>
    /// The major axis's length.
    var totalRows: Int
    /// The other axis's length and the group's stored entries.
    var columns: Int, entries: Int
}

extension HDF5File {
    /// The `shard` of a compressed group: its major-axis rows' `indptr`, `indices` and `data`
    /// slabs, and the matching slab of that axis's ids (all of the other axis's). A CSR group is
    /// cut by users; a CSC group (an item-major copy, `convert --layout csc`) by items, returned
    /// as the users × (those items) matrix it stores. Timestamps are not read.
    func readInteractions(group requested: String?, shard: Shard) throws(IOError) -> InteractionsShard {
        let group = try csrGroup(requested)
        let prefix = group == "/" ? "/" : group + "/"
        let (csc, m, n) = try csrLayout(group)
        let (major, minor) = csc ? (n, m) : (m, n)
        for name in ["data", "indices", "indptr"] {
            let shape = try info(prefix + name).shape
            guard shape.count == 1 else {
                throw IOError(file: path, location: prefix + name, "has shape \(shape), expected 1-D")
            }
        }
        let pointers = try info(prefix + "indptr").shape[0]
        guard pointers == major + 1 else {
            throw IOError(file: path, location: prefix + "indptr", "has \(pointers) entries, expected \(major + 1) for shape")
        }
        let nnz = try element(prefix + "indptr", at: major)
        guard nnz >= 0, nnz <= Int64(try info(prefix + "indices").shape[0]) else {
            throw IOError(file: path, location: prefix + "indptr", "ends at \(nnz), outside the \(try info(prefix + "indices").shape[0]) stored indices")
        }
        let rows = try shard.rows(of: major, nnz: Int(nnz)) { r throws(IOError) in Int(try element(prefix + "indptr", at: r)) }
        let slab = try compressedSlab(prefix: prefix, rows: rows, minor: minor)
        var (userIDs, itemIDs): ([String]?, [String]?)
        let (userRows, itemRows) = csc ? (0..<m, rows) : (rows, 0..<n)
        userIDs = try idsSlab(named: "user_ids", near: prefix, frame: "/obs", rows: userRows, count: m, axis: "users")
        itemIDs = try idsSlab(named: "item_ids", near: prefix, frame: "/var", rows: itemRows, count: n, axis: "items")
        try ParsedTriplets.checkDeclaredShape(rows: userRows.count, columns: itemRows.count, file: path)
        let csr = csc ? slab.transposed() : slab
        var parsed = ParsedTriplets(userIDs: userIDs.map { IDList($0) } ?? IDList(numbering: userRows),
                                    itemIDs: itemIDs.map { IDList($0) } ?? IDList(numbering: itemRows), csr: csr)
        parsed.positionalUsers = userIDs == nil
        parsed.positionalItems = itemIDs == nil
        return InteractionsShard(parsed: parsed, rows: rows, totalRows: major, columns: minor, entries: Int(nnz))
    }

    /// Rows `rows` of the compressed arrays under `prefix`, as a matrix of those rows.
    private func compressedSlab(prefix: String, rows: Range<Int>, minor: Int) throws(IOError) -> CSRMatrix {
        var indptr = try read(prefix + "indptr", rows: rows.lowerBound..<(rows.upperBound + 1), as: Int64.self)
        let first = indptr[0], last = indptr[indptr.count - 1]
        guard first >= 0, first <= last else {
            throw IOError(file: path, location: prefix + "indptr", "entries \(rows.lowerBound) and \(rows.upperBound) are \(first) and \(last): not monotone")
        }
        let entries = Int(first)..<Int(last)
        let indices = try read(prefix + "indices", rows: entries, as: Int64.self)
        let data = try read(prefix + "data", rows: entries, as: Double.self)
        for k in indptr.indices { indptr[k] -= first }
        return try SparseArrays.compressed(indptr: indptr, indices: indices, data: data, major: rows.count, minor: minor,
                                           file: path, prefix: prefix)
    }

    /// Rows `rows` of the ids of one axis: `name` beside the arrays or at the root, else the
    /// AnnData frame's index; nil when the file has none. The dataset must hold `count` ids.
    private func idsSlab(named name: String, near prefix: String, frame: String, rows: Range<Int>,
                         count: Int, axis: String) throws(IOError) -> [String]? {
        var dataset: String? = [prefix + name, "/" + name].first { kind(of: $0) == .dataset }
        if dataset == nil, kind(of: frame) == .group {
            let column = hasAttribute("_index", on: frame) ? try stringAttribute("_index", on: frame) : "_index"
            if kind(of: frame + "/" + column) == .dataset { dataset = frame + "/" + column }
        }
        guard let dataset else { return nil }
        let shape = try info(dataset).shape
        guard shape == [count] else {
            throw IOError(file: path, location: dataset, "has \(shape.first ?? 0) ids but the matrix has \(count) \(axis)")
        }
        return try readStrings(dataset, rows: rows)
    }
}
