import Matrices

/// A value stored as an HDF5 attribute on a factor file.
public enum AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case double(Double)
    case integer(Int64)

    public var description: String {
        switch self {
        case let .string(s): return s
        case let .double(d): return "\(d)"
        case let .integer(i): return "\(i)"
        }
    }
}

extension HDF5File {
    /// Finds the 2-D dataset to read: the one asked for, else `item_factors` (or `preferred`),
    /// else the only 2-D dataset in the file.
    func resolveMatrixDataset(_ requested: String?, preferred: [String]) throws(IOError) -> String {
        if let requested { return requested.hasPrefix("/") ? requested : "/" + requested }
        for name in preferred where kind(of: "/" + name) == .dataset { return "/" + name }
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
        let (shape, values) = try read(dataset, as: Double.self)
        guard shape.count == 2 else {
            throw IOError(file: path, location: dataset, "has shape \(shape), expected a 2-D matrix")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw IOError(file: path, location: dataset, "entry (\(bad / Swift.max(shape[1], 1)), \(bad % Swift.max(shape[1], 1))) is \(values[bad]), expected finite numbers")
        }
        return DenseMatrix(rows: shape[0], columns: shape[1], storage: values)
    }

    /// The ids beside a dataset: `ids` in its group, else at the root; nil when there are none.
    func optionalIDs(_ name: String, besideDataset dataset: String, count: Int) throws(IOError) -> IDMap? {
        let parent = dataset.split(separator: "/").dropLast().joined(separator: "/")
        let local = parent.isEmpty ? "/" + name : "/" + parent + "/" + name
        for candidate in [local, "/" + name] where kind(of: candidate) == .dataset {
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

    /// Writes a factor matrix (float64 or float32) with its ids and attributes on the root.
    func writeFactors(_ matrix: DenseMatrix<Double>, name: String, ids: IDMap?, idsName: String,
                      single: Bool, attributes: [(String, AttributeValue)]) throws(IOError) {
        let shape = [matrix.rows, matrix.columns]
        if single {
            try write("/" + name, matrix.storage.map { Float($0) }, shape: shape)
        } else {
            try write("/" + name, matrix.storage, shape: shape)
        }
        if let ids { try writeIDs("/" + idsName, ids) }
        for (key, value) in attributes {
            switch value {
            case let .string(s): try setAttribute(key, on: "/", string: s)
            case let .double(d): try setAttribute(key, on: "/", double: d)
            case let .integer(i): try setAttribute(key, on: "/", integer: i)
            }
        }
    }
}
