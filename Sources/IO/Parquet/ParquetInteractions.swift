import Matrices

/// Interaction triplets from a Parquet file's columns, chosen as in delimited text: by
/// `--user-col`, `--item-col`, `--value-col` and `--time-col` (names, or positions among the
/// top-level columns), else by the known names (`user_id`, `item`, `rating`, …), else the
/// first, second and third columns. Ids are interned like text tokens (integers by value,
/// strings that are canonical integers too), so a Parquet file and its CSV export give the
/// same ids; values must be finite numbers, times are numbers or timestamps (seconds since
/// 1970) or dates. A null in a used column is refused naming the column and the row.
enum ParquetInteractions {
    static func read(path: String, options: DelimitedOptions) throws(IOError) -> ParsedTriplets {
        let file = try ParquetFile(path: path)
        let layout = try Layout(file, options: options)
        guard file.rowCount > 0 else { throw IOError(file: path, "holds no rows") }
        var users = TokenTable(), items = TokenTable()
        let rows = try intern(file.read(layout.user), into: &users, role: "user", file: path)
        let columns = try intern(file.read(layout.item), into: &items, role: "item", file: path)
        let values = try layout.value.map { c throws(IOError) in try numbers(file.read(c), role: "value", file: path) }
        let times = try layout.time.map { c throws(IOError) in try numbers(file.read(c), role: "time", file: path) }
        if let values, let bad = values.firstIndex(where: { !InputValues.isUsable($0) }) {
            throw IOError(file: path, location: "column '\(layout.value!)', row \(bad)", "value \(values[bad]) is \(InputValues.problem(values[bad]))")
        }
        let coo = COOMatrix(rows: users.count, columns: items.count, rowIndices: rows, columnIndices: columns,
                            values: values ?? [Double](repeating: 1, count: rows.count))
        var parsed = ParsedTriplets(userIDs: IDList(users.ids), itemIDs: IDList(items.ids), coo: coo)
        parsed.timestamps = times
        return parsed
    }

    /// The columns that play each role.
    struct Layout {
        var user: String
        var item: String
        var value: String?
        var time: String?

        init(_ file: ParquetFile, options: DelimitedOptions) throws(IOError) {
            let names = file.columns.map(\.name)
            func resolve(_ column: DelimitedOptions.Column, role: String) throws(IOError) -> String {
                switch column {
                case let .index(k):
                    guard k < names.count else {
                        throw IOError(file: file.path, "\(role) column \(k) does not exist: the file has \(names.count) columns")
                    }
                    return names[k]
                case let .name(name):
                    if names.contains(name) { return name }
                    if let k = names.firstIndex(where: { KnownColumns.normalize($0) == KnownColumns.normalize(name) }) { return names[k] }
                    throw IOError(file: file.path, "no \(role) column named '\(name)' (its columns are \(names.joined(separator: ", ")))")
                }
            }
            func known(_ set: Set<String>) -> String? { names.first { set.contains(KnownColumns.normalize($0)) } }
            guard names.count >= 2 else { throw IOError(file: file.path, "has \(names.count) column; expected at least 2 (user, item[, value])") }
            user = try options.userColumn.map { c throws(IOError) in try resolve(c, role: "user") } ?? known(KnownColumns.user) ?? names[0]
            item = try options.itemColumn.map { c throws(IOError) in try resolve(c, role: "item") } ?? known(KnownColumns.item) ?? names[1]
            time = try options.timeColumn.map { c throws(IOError) in try resolve(c, role: "time") }
            if !options.implicit {
                let (u, i, t) = (user, item, time)
                value = try options.valueColumn.map { c throws(IOError) in try resolve(c, role: "value") }
                    ?? known(KnownColumns.value) ?? (names.count >= 3 ? names.first { $0 != u && $0 != i && $0 != t } : nil)
            }
            guard user != item else { throw IOError(file: file.path, "the user and item columns are the same ('\(user)')") }
            if let time, time == user || time == item || time == value {
                throw IOError(file: file.path, "the time column ('\(time)') is also the user, item or value column")
            }
        }
    }

    /// Throws when `column` holds a null: a missing id, value or time is not an interaction.
    static func refuseNulls(_ column: ParquetColumn, role: String, file: String) throws(IOError) {
        guard let row = column.nullRows.first else { return }
        throw IOError(file: file, location: "column '\(column.name)', row \(row)",
                      "the \(role) is null (\(column.nullRows.count) null rows); a missing \(role) is not an interaction")
    }

    /// The index of each row's id in `table`, interned as text tokens are.
    static func intern(_ column: ParquetColumn, into table: inout TokenTable, role: String, file: String) throws(IOError) -> [Int32] {
        try refuseNulls(column, role: role, file: file)
        var indices: [Int32] = []
        indices.reserveCapacity(column.values.count)
        switch column.values {
        case let .int32(v) where !column.isUnsigned:
            for x in v { indices.append(table.index(ofInteger: Int64(x))) }
        case let .int64(v) where !column.isUnsigned:
            for x in v { indices.append(table.index(ofInteger: x)) }
        case .float, .double:
            throw IOError(file: file, "column '\(column.name)' holds \(column.physicalType.name) numbers, which are not \(role) ids")
        default:
            for i in 0..<column.values.count {
                let token = column.token(at: i)
                let integer = token.utf8.withContiguousStorageIfAvailable { bytes in
                    bytes.baseAddress.flatMap { ByteParsing.canonicalInteger($0, bytes.count) }
                } ?? nil
                indices.append(integer.map { table.index(ofInteger: $0) } ?? table.index(ofString: token))
            }
        }
        return indices
    }

    /// The column's values as numbers; text and booleans are refused.
    static func numbers(_ column: ParquetColumn, role: String, file: String) throws(IOError) -> [Double] {
        try refuseNulls(column, role: role, file: file)
        let (values, refusal) = column.numbers()
        guard let values else { throw IOError(file: file, "\(role) column '\(column.name)' \(refusal ?? "is not numeric")") }
        return values
    }
}
