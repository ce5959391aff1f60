import Matrices

extension FactorFile {
    /// Writes the factor-file parts of one sharded run, given in row order and checked by
    /// ``ShardPart/ordered(_:)``, as the one file the unsharded run writes (atomically): the
    /// factors row range by row range, one part in memory at a time; the ids concatenated; the
    /// records of the first part without its part record. Returns the merged shape. `format`
    /// (by default the one `out`'s extension picks) is `.hdf5` or `.h5ad`; `provenance`, when
    /// given, is recorded beside the first part's records.
    public static func merge(_ paths: [String], side: Side, to out: String, format: OutputFormat? = nil,
                             provenance: Provenance? = nil, limits: ReadLimits) throws(IOError) -> (rows: Int, columns: Int) {
        let format = try OutputFormat.resolving(out, kind: .factors, given: format)
        guard OutputKind.factors.formats.contains(format) else {
            throw IOError(file: out, "factors cannot be written as \(format.rawValue); write \(OutputKind.factors.acceptedExtensions)")
        }
        var template = try read(FileSpec(paths[0]), side: side, limits: limits)
        guard let firstRecord = template.part else { throw IOError(file: paths[0], "is not a part of a sharded run") }
        let total = firstRecord.totalRows
        let columns = template.factors.columns
        template.part = nil
        try AtomicOutput.write(to: out) { temporary throws(IOError) in
            let file = try HDF5File.create(temporary)
            let dataset = format == .h5ad ? "/X" : "/" + side.dataset
            if template.single {
                try file.createDataset(dataset, of: Float.self, shape: [total, columns])
            } else {
                try file.createDataset(dataset, of: Double.self, shape: [total, columns])
            }
            var ids: [String] = [], positional = true
            for (k, path) in paths.enumerated() {
                let part = k == 0 ? template : try read(FileSpec(path), side: side, limits: limits)
                guard let record = k == 0 ? firstRecord : part.part else { throw IOError(file: path, "is not a part of a sharded run") }
                let rows = try checkedRows(part, record: record, path: path, first: paths[0], columns: columns, template: template)
                if template.single {
                    try file.write(dataset, rows: rows, part.factors.storage.map { Float($0) })
                } else {
                    try file.write(dataset, rows: rows, part.factors.storage)
                }
                if let partIDs = part.ids { ids += partIDs.ids; positional = positional && partIDs.isPositional }
            }
            if template.ids != nil {
                guard ids.count == total else { throw IOError(file: paths[0], "the parts carry \(ids.count) ids for \(total) rows") }
                do { template.ids = try IDMap(ids).markedPositional(positional) } catch let error as DuplicateIDError {
                    throw IOError(file: paths[0], "the id '\(error.id)' occurs in two parts (the input repeats it)")
                } catch {
                    throw IOError(file: paths[0], "\(error)")
                }
            }
            if format == .h5ad {
                try template.writeAnnDataRecords(in: file, rows: total, provenance: provenance)
            } else {
                try template.writeRecords(in: file, provenance: provenance)
            }
            try file.flush()
        }
        return (total, columns)
    }

    /// The rows a part covers, after checking its shape and ids against its record and the
    /// first part.
    private static func checkedRows(_ part: FactorFile, record: ShardPart, path: String, first: String, columns: Int,
                                    template: FactorFile) throws(IOError) -> Range<Int> {
        let rows = record.rows
        guard part.factors.rows == rows.count else {
            throw IOError(file: path, "holds \(part.factors.rows) rows but records rows \(rows.lowerBound)..<\(rows.upperBound)")
        }
        guard part.factors.columns == columns || part.factors.rows == 0 else {
            throw IOError(file: path, "has \(part.factors.columns) columns, \(first) has \(columns)")
        }
        guard (part.ids == nil) == (template.ids == nil), part.single == template.single else {
            throw IOError(file: path, "differs from \(first) in its ids or its stored type")
        }
        return rows
    }
}
