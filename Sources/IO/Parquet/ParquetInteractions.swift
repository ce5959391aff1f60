import Matrices

/// Interaction triplets from a Parquet file's columns, or from every part of a Parquet dataset
/// folder (``ParquetDataset``) in order, chosen as in delimited text: by `--user-col`,
/// `--item-col`, `--value-col` and `--time-col` (names, or positions among the top-level
/// columns), else by the known names (`user_id`, `item`, `rating`, …), else the first, second
/// and third columns. Ids are interned like text tokens (integers by value, strings that are
/// canonical integers too), so a Parquet file and its CSV export give the same ids; values
/// must be finite numbers, times are numbers or timestamps (seconds since 1970) or dates. A
/// null in a used column is refused naming the file, the column and the row, or its row dropped
/// and counted (``DelimitedOptions/dropNullRows``).
enum ParquetInteractions {
    static func read(path: String, options: DelimitedOptions, limits: ReadLimits) throws(IOError) -> ParsedTriplets {
        let dataset = try ParquetDataset(path)
        var users = TokenTable(), items = TokenTable()
        var rows: [Int32] = [], columns: [Int32] = [], values: [Double] = [], times: [Double] = []
        var first: (layout: Layout, path: String)? = nil
        var nullRows = 0
        for part in dataset.parts {
            let source = try ParquetPartColumns(part, limits: limits)
            let layout = try Layout(names: source.names, file: part.path, options: options)
            if let first, first.layout != layout {
                throw IOError(file: part.path, "takes \(layout) where \(first.path) takes \(first.layout): the parts of a dataset must agree")
            }
            if first == nil { first = (layout: layout, path: part.path) }
            guard source.file.rowCount > 0 else { continue }
            let roles = [("user", layout.user), ("item", layout.item), ("value", layout.value), ("time", layout.time)]
                .compactMap { role, name in name.map { (role: role, name: $0) } }
            // Columns are read one at a time and released once appended, unless rows with a null
            // are dropped: that needs every used column's nulls first.
            var held: [String: ParquetColumn] = [:]
            var dropped: [Int] = []
            if options.dropNullRows {
                for (role, name) in roles { held[role] = try source.read(name) }
                dropped = rowsWithNulls(Array(held.values))
                nullRows += dropped.count
            }
            for (role, name) in roles {
                let column: ParquetColumn
                if let readFirst = held.removeValue(forKey: role) { column = readFirst } else { column = try source.read(name) }
                if !options.dropNullRows { try refuseNulls(column, role: role, file: part.path) }
                let kept = keptValues(nulls: column.nullRows, dropped: dropped, rows: column.rowCount)
                switch role {
                case "user": append(try intern(column, into: &users, role: role, file: part.path, kept: kept), to: &rows)
                case "item": append(try intern(column, into: &items, role: role, file: part.path, kept: kept), to: &columns)
                case "time": append(try numbers(column, role: role, file: part.path, kept: kept), to: &times)
                default: append(try numbers(column, role: role, file: part.path, kept: kept), to: &values)
                }
            }
        }
        guard !rows.isEmpty else { throw IOError(file: path, "holds no rows") }
        let coo = COOMatrix(rows: users.count, columns: items.count, rowIndices: rows, columnIndices: columns,
                            values: first?.layout.value == nil ? [Double](repeating: 1, count: rows.count) : values)
        var parsed = ParsedTriplets(userIDs: IDList(users.ids), itemIDs: IDList(items.ids), coo: coo)
        parsed.timestamps = first?.layout.time == nil ? nil : times
        parsed.nullRows = nullRows
        return parsed
    }

    /// Appends `part` to `whole`, taking it as it is when `whole` is empty (no copy).
    static func append<T>(_ part: [T], to whole: inout [T]) {
        if whole.isEmpty { whole = part } else { whole += part }
    }

    /// The columns that play each role.
    struct Layout: Equatable, CustomStringConvertible {
        var user: String
        var item: String
        var value: String?
        var time: String?

        var description: String {
            "user '\(user)', item '\(item)'" + (value.map { ", value '\($0)'" } ?? "") + (time.map { ", time '\($0)'" } ?? "")
        }

        init(names: [String], file: String, options: DelimitedOptions) throws(IOError) {
            func resolve(_ column: DelimitedOptions.Column, role: String) throws(IOError) -> String {
                switch column {
                case let .index(k):
                    guard k < names.count else {
                        throw IOError(file: file, "\(role) column \(k) does not exist: the file has \(names.count) columns")
                    }
                    return names[k]
                case let .name(name):
                    if names.contains(name) { return name }
                    if let k = names.firstIndex(where: { KnownColumns.normalize($0) == KnownColumns.normalize(name) }) { return names[k] }
                    throw IOError(file: file, "no \(role) column named '\(name)' (its columns are \(names.joined(separator: ", ")))")
                }
            }
            func known(_ set: Set<String>) -> String? { names.first { set.contains(KnownColumns.normalize($0)) } }
            guard names.count >= 2 else { throw IOError(file: file, "has \(names.count) column; expected at least 2 (user, item[, value])") }
            user = try options.userColumn.map { c throws(IOError) in try resolve(c, role: "user") } ?? known(KnownColumns.user) ?? names[0]
            item = try options.itemColumn.map { c throws(IOError) in try resolve(c, role: "item") } ?? known(KnownColumns.item) ?? names[1]
            time = try options.timeColumn.map { c throws(IOError) in try resolve(c, role: "time") }
            if !options.implicit {
                let (u, i, t) = (user, item, time)
                value = try options.valueColumn.map { c throws(IOError) in try resolve(c, role: "value") }
                    ?? known(KnownColumns.value) ?? (names.count >= 3 ? names.first { $0 != u && $0 != i && $0 != t } : nil)
            }
            guard user != item else { throw IOError(file: file, "the user and item columns are the same ('\(user)')") }
            if let time, time == user || time == item || time == value {
                throw IOError(file: file, "the time column ('\(time)') is also the user, item or value column")
            }
        }
    }

    /// The rows with a null in any of `used`, ascending: the rows `--drop-null-rows` drops.
    static func rowsWithNulls(_ used: [ParquetColumn]) -> [Int] {
        Array(Set(used.flatMap(\.nullRows))).sorted()
    }

    /// Throws when `column` holds a null: a missing id, value or time is not an interaction.
    static func refuseNulls(_ column: ParquetColumn, role: String, file: String) throws(IOError) {
        guard let row = column.nullRows.first else { return }
        throw IOError(file: file, location: "column '\(column.name)', row \(row)",
                      "the \(role) is null (\(column.nullRows.count) null rows); a missing \(role) is not an interaction (--drop-null-rows drops such rows)")
    }

    /// The positions among a column's non-null values of the rows kept: nil for all of them,
    /// else those whose row is not in `dropped` (ascending, and holding the column's `nulls`).
    static func keptValues(nulls: [Int], dropped: [Int], rows: Int) -> [Int]? {
        guard !dropped.isEmpty else { return nil }
        var kept: [Int] = []
        kept.reserveCapacity(rows - dropped.count)
        var (n, d, v) = (0, 0, 0)
        for row in 0..<rows {
            let isNull = n < nulls.count && nulls[n] == row
            if isNull { n += 1 }
            let isDropped = d < dropped.count && dropped[d] == row
            if isDropped { d += 1 }
            guard !isNull else { continue }
            if !isDropped { kept.append(v) }
            v += 1
        }
        return kept
    }

    /// The row of a column's `index`-th non-null value.
    static func row(ofValue index: Int, nulls: [Int]) -> Int {
        var row = index
        for null in nulls {
            guard null <= row else { break }
            row += 1
        }
        return row
    }

    /// The index of each kept value's id in `table`, interned as text tokens are.
    static func intern(_ column: ParquetColumn, into table: inout TokenTable, role: String, file: String, kept: [Int]?) throws(IOError) -> [Int32] {
        let count = kept?.count ?? column.values.count
        var indices: [Int32] = []
        indices.reserveCapacity(count)
        switch column.values {
        case let .int32(v) where !column.isUnsigned:
            for k in 0..<count { indices.append(table.index(ofInteger: Int64(v[kept?[k] ?? k]))) }
        case let .int64(v) where !column.isUnsigned:
            for k in 0..<count { indices.append(table.index(ofInteger: v[kept?[k] ?? k])) }
        case .float, .double:
            throw IOError(file: file, "column '\(column.name)' holds \(column.physicalType.name) numbers, which are not \(role) ids")
        default:
            for k in 0..<count {
                let token = column.token(at: kept?[k] ?? k)
                let integer = token.utf8.withContiguousStorageIfAvailable { bytes in
                    bytes.baseAddress.flatMap { ByteParsing.canonicalInteger($0, bytes.count) }
                } ?? nil
                indices.append(integer.map { table.index(ofInteger: $0) } ?? table.index(ofString: token))
            }
        }
        return indices
    }

    /// The kept values of the column as numbers, every value finite; text and booleans are refused.
    static func numbers(_ column: ParquetColumn, role: String, file: String, kept: [Int]?) throws(IOError) -> [Double] {
        let (numbers, refusal) = column.numbers()
        guard let numbers else { throw IOError(file: file, "\(role) column '\(column.name)' \(refusal ?? "is not numeric")") }
        if role == "value", let bad = numbers.firstIndex(where: { !InputValues.isUsable($0) }) {
            throw IOError(file: file, location: "column '\(column.name)', row \(row(ofValue: bad, nulls: column.nullRows))",
                          "value \(numbers[bad]) is \(InputValues.problem(numbers[bad]))")
        }
        return kept.map { $0.map { numbers[$0] } } ?? numbers
    }
}
