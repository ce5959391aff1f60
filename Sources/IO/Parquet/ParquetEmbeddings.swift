import Matrices

/// Embeddings from a Parquet table in the wide layout pandas writes for a DataFrame of vectors:
/// one FLOAT or DOUBLE column per factor, in schema order, and at most one other column, the
/// ids (text or integers; pandas' index `__index_level_0__` when it is named nothing else).
/// Nulls, non-finite values and columns of any other kind are refused naming the column.
enum ParquetEmbeddings {
    static func read(path: String, reading: FactorReading, limits: ReadLimits) throws(IOError) -> (FactorMatrix, IDMap?) {
        let file = try ParquetFile(path: path, limits: limits)
        var idColumn: ParquetColumnSchema? = nil
        var factorColumns: [ParquetColumnSchema] = []
        for column in file.columns {
            if let refusal = column.refusal {
                throw IOError(file: path, "column '\(column.name)' \(refusal); embeddings are read as one FLOAT or DOUBLE column per factor")
            }
            switch column.physicalType {
            case .float?, .double?:
                factorColumns.append(column)
            default:
                if let idColumn {
                    throw IOError(file: path, "has two columns that are not factors, '\(idColumn.name)' and '\(column.name)': embeddings are one FLOAT or DOUBLE column per factor and at most one id column")
                }
                idColumn = column
            }
        }
        let (rows, k) = (file.rowCount, factorColumns.count)
        guard k >= 1 else { throw IOError(file: path, "has no FLOAT or DOUBLE column: embeddings are one such column per factor") }
        try limits.check(rows * k, of: 8, file: path, what: "the embeddings (\(rows) rows × \(k) factors)")
        let single = reading == .single || (reading == .asStored && factorColumns.allSatisfy { $0.physicalType == .float })
        var doubles: [Double] = [], floats: [Float] = []
        if single { floats = [Float](repeating: 0, count: rows * k) } else { doubles = [Double](repeating: 0, count: rows * k) }
        for (c, schema) in factorColumns.enumerated() {
            let column = try file.read(schema.name)
            if let row = column.nullRows.first {
                throw IOError(file: path, location: "column '\(schema.name)', row \(row)", "the factor is null (\(column.nullRows.count) null rows)")
            }
            let values = column.numbers().values ?? []
            if let bad = values.firstIndex(where: { !InputValues.isUsable($0) || (single && Float($0).isInfinite) }) {
                let problem = InputValues.isUsable(values[bad]) ? "beyond float32's range (±3.4e38): it cannot be read in single precision" : InputValues.problem(values[bad])
                throw IOError(file: path, location: "column '\(schema.name)', row \(bad)", "value \(values[bad]) is \(problem)")
            }
            for r in 0..<rows {
                if single { floats[r * k + c] = Float(values[r]) } else { doubles[r * k + c] = values[r] }
            }
        }
        let matrix: FactorMatrix = single ? .single(DenseMatrix(rows: rows, columns: k, storage: floats))
            : .double(DenseMatrix(rows: rows, columns: k, storage: doubles))
        return (matrix, try idColumn.map { schema throws(IOError) in try ids(file.read(schema.name), file: path) })
    }

    /// The id column's values as ids, each once.
    private static func ids(_ column: ParquetColumn, file: String) throws(IOError) -> IDMap {
        if let row = column.nullRows.first {
            throw IOError(file: file, location: "column '\(column.name)', row \(row)", "the id is null (\(column.nullRows.count) null rows)")
        }
        do { return try IDMap((0..<column.values.count).map { column.token(at: $0) }) } catch {
            throw IOError(file: file, location: "column '\(column.name)'", "id '\(error.id)' occurs twice (at row \(error.position))")
        }
    }
}
