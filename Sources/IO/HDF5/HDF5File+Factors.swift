import Matrices

extension HDF5File {
    /// Finds the 2-D dataset to read: the one asked for, else `item_factors` (or `preferred`),
    /// else the only 2-D dataset in the file.
    func resolveMatrixDataset(_ requested: String?, preferred: [String]) throws(IOError) -> String {
        if let requested { return requested.hasPrefix("/") ? requested : "/" + requested }
        for name in preferred where kind(of: "/" + name) == .dataset { return "/" + name }
        // An AnnData file keeps its matrix in X; obsm, varm and layers may hold more.
        if isAnnData, kind(of: "/X") == .dataset, (try? info("/X").shape.count) == 2 { return "/X" }
        var candidates: [String] = []
        for d in try datasets() where (try? info(d).shape.count) == 2 { candidates.append(d) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty {
            throw IOError(file: path, "holds no 2-D dataset (expected \(preferred.first ?? "a matrix"), n × k)")
        }
        throw IOError(file: path, "holds several 2-D datasets and none is named \(preferred.first ?? ""): \(candidates.joined(separator: ", ")); name one as FILE:DATASET")
    }

    /// Reads a finite 2-D numeric dataset as a row-major Double matrix.
    func readMatrix(_ dataset: String) throws(IOError) -> DenseMatrix<Double> {
        try readMatrix(dataset, as: Double.self)
    }

    /// Reads a finite 2-D numeric dataset as a row-major matrix of T (Float for a float32
    /// dataset read as it is stored).
    func readMatrix<T: HDF5Scalar & BinaryFloatingPoint>(_ dataset: String, as _: T.Type) throws(IOError) -> DenseMatrix<T> {
        let (shape, values) = try read(dataset, as: T.self)
        guard shape.count == 2 else {
            throw IOError(file: path, location: dataset, "has shape \(shape), expected a 2-D matrix")
        }
        if let bad = values.firstIndex(where: { !InputValues.isUsable(Double($0)) }) {
            throw IOError(file: path, location: dataset, "entry (\(bad / Swift.max(shape[1], 1)), \(bad % Swift.max(shape[1], 1))) is \(values[bad]), \(InputValues.problem(Double(values[bad])))")
        }
        return DenseMatrix(rows: shape[0], columns: shape[1], storage: values)
    }

    /// Reads a finite 2-D numeric dataset as Float32 whatever it stores: HDF5 rounds wider
    /// values as it reads them, a block at a time, so no Float64 copy is ever held. A value
    /// finite in the file but beyond Float32's range is refused by name.
    func readMatrixAsSingle(_ dataset: String) throws(IOError) -> DenseMatrix<Float> {
        do {
            return try readMatrix(dataset, as: Float.self)
        } catch {
            try refuseValuesBeyondSingle(dataset)
            throw error
        }
    }

    /// Throws for the first entry of a float64 matrix dataset that is finite but rounds to
    /// infinity as Float32; reads a slab of rows at a time.
    private func refuseValuesBeyondSingle(_ dataset: String) throws(IOError) {
        let info = try info(dataset)
        guard info.shape.count == 2, info.kind == .float(bytes: 8) else { return }
        let (rows, columns) = (info.shape[0], Swift.max(1, info.shape[1]))
        let step = Swift.max(1, (1 << 20) / columns)
        for start in stride(from: 0, to: rows, by: step) {
            let values = try read(dataset, rows: start..<Swift.min(rows, start + step), as: Double.self)
            if let bad = values.firstIndex(where: { $0.isFinite && Float($0).isInfinite }) {
                throw IOError(file: path, location: dataset,
                              "entry (\(start + bad / columns), \(bad % columns)) is \(values[bad]), beyond float32's range (±3.4e38): it cannot be read in single precision")
            }
        }
    }

    /// The ids beside a dataset: `name` or `ids` in its group, else `name` at the root, else
    /// for an AnnData matrix the index of its rows' dataframe (``annDataRowIDs(of:count:)``);
    /// nil when there are none.
    func optionalIDs(_ name: String, besideDataset dataset: String, count: Int) throws(IOError) -> IDMap? {
        if let ids = try groupIDs(name, besideDataset: dataset, count: count) { return ids }
        guard let names = try annDataRowIDs(of: dataset, count: count) else { return nil }
        do { return try IDMap(names) } catch {
            throw IOError(file: path, location: dataset.hasPrefix("/varm/") ? "/var/_index" : "/obs/_index", "id '\(error.id)' occurs twice")
        }
    }

    private func groupIDs(_ name: String, besideDataset dataset: String, count: Int) throws(IOError) -> IDMap? {
        let parent = dataset.split(separator: "/").dropLast().joined(separator: "/")
        let group = parent.isEmpty ? "/" : "/" + parent + "/"
        for candidate in [group + name, group + "ids", "/" + name] where kind(of: candidate) == .dataset {
            let ids = try readStrings(candidate)
            guard ids.count == count else {
                throw IOError(file: path, location: candidate, "has \(ids.count) ids but \(dataset) has \(count) rows")
            }
            do { return try IDMap(ids) } catch {
                throw IOError(file: path, location: candidate, "id '\(error.id)' occurs twice")
            }
        }
        return nil
    }

    /// Writes a factor matrix as a 2-D dataset of float64, or float32 when `single`.
    func writeMatrix(_ matrix: DenseMatrix<Double>, name: String, single: Bool) throws(IOError) {
        let shape = [matrix.rows, matrix.columns]
        if single {
            let narrow = matrix.storage.map { Float($0) }
            if let bad = narrow.indices.first(where: { !narrow[$0].isFinite }) {
                let (row, column) = (bad / Swift.max(matrix.columns, 1), bad % Swift.max(matrix.columns, 1))
                throw IOError(file: path, location: name, "entry (\(row), \(column)) is \(matrix.storage[bad]), which float32 cannot hold; write float64")
            }
            try write(name, narrow, shape: shape)
        } else {
            try write(name, matrix.storage, shape: shape)
        }
    }
}
