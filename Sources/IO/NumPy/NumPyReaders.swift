import Foundation
import Matrices

/// Readers for SciPy's `save_npz` sparse matrices and NumPy `.npy` arrays.
enum NumPyReaders {
    /// Reads a `scipy.sparse.save_npz` file holding a CSR, CSC or COO matrix.
    static func readSparse(path: String, limits: ReadLimits) throws(IOError) -> ParsedTriplets {
        let npz = try NPZArchive(path: path, limits: limits)
        guard npz.contains("format"), npz.contains("shape") else {
            throw IOError(file: path, "is not a scipy.sparse save_npz file: no 'format' and 'shape' arrays (it holds: \(npz.memberNames.joined(separator: ", ")))")
        }
        let format = try npz.array("format").strings()?.first ?? ""
        guard let shape = try npz.array("shape").integers(), shape.count == 2, shape.allSatisfy({ $0 >= 0 && $0 < Int64(Int32.max) }) else {
            throw IOError(file: path, location: "shape", "expected two non-negative integers")
        }
        let (m, n) = (Int(shape[0]), Int(shape[1]))
        try ParsedTriplets.checkDeclaredShape(rows: m, columns: n, file: path)
        func ints(_ name: String) throws(IOError) -> [Int64] {
            let a = try npz.array(name)
            guard a.shape.count == 1, let v = a.integers() else {
                throw IOError(file: path, location: name, "expected a 1-D integer array, found \(a.descr) \(a.shape)")
            }
            return v
        }
        func reals(_ name: String) throws(IOError) -> [Double] {
            let a = try npz.array(name)
            guard a.shape.count == 1, let v = a.doubles() else {
                throw IOError(file: path, location: name, "expected a 1-D numeric array, found \(a.descr) \(a.shape)")
            }
            return v
        }
        let data = try reals("data")
        switch format {
        case "csr", "csc":
            let compressed = try SparseArrays.compressed(
                indptr: try ints("indptr"), indices: try ints("indices"), data: data,
                major: format == "csr" ? m : n, minor: format == "csr" ? n : m, file: path, prefix: "")
            let csr = format == "csr" ? compressed : compressed.transposed()
            return try .positional(csr, file: path)
        case "coo":
            let row = try ints("row"), col = try ints("col")
            guard row.count == data.count, col.count == data.count else {
                throw IOError(file: path, "row, col and data have different lengths (\(row.count), \(col.count), \(data.count))")
            }
            for t in 0..<data.count {
                guard row[t] >= 0, row[t] < m, col[t] >= 0, col[t] < n else {
                    throw IOError(file: path, location: "row/col", "entry \(t) at (\(row[t]), \(col[t])) is outside the shape (\(m), \(n))")
                }
                guard InputValues.isUsable(data[t]) else {
                    throw IOError(file: path, location: "data", "value at position \(t) is \(data[t]), \(InputValues.problem(data[t]))")
                }
            }
            return try .positional(COOMatrix(rows: m, columns: n, rowIndices: row.map { Int32($0) },
                                             columnIndices: col.map { Int32($0) }, values: data), file: path)
        default:
            throw IOError(file: path, location: "format", "sparse format '\(format)' is not supported; expected csr, csc or coo")
        }
    }

    /// Reads a 2-D `.npy` array: as item embeddings, or as a dense rating matrix whose nonzero
    /// entries are the interactions.
    static func readDense(path: String) throws(IOError) -> (shape: [Int], values: [Double]) {
        let data = try InputFile.contents(path, mapped: true)
        let array = try NPYArray(data: data, file: path)
        guard array.shape.count == 2 else {
            throw IOError(file: path, "has shape \(array.shape); expected a 2-D array")
        }
        guard let values = array.doubles() else {
            throw IOError(file: path, "has dtype '\(array.descr)'; expected a numeric array")
        }
        if let bad = values.firstIndex(where: { !InputValues.isUsable($0) }) {
            let c = array.shape[1]
            throw IOError(file: path, "entry (\(bad / c), \(bad % c)) is \(values[bad]), \(InputValues.problem(values[bad]))")
        }
        return (array.shape, values)
    }

    /// A 2-D `.npy` of factors, every entry finite: Float32 when it stores float32 and
    /// `reading` is `.asStored`, or whenever it is `.single` (float64 rounded as it is
    /// converted); else Float64.
    static func readFactors(path: String, reading: FactorReading) throws(IOError) -> FactorMatrix {
        let data = try InputFile.contents(path, mapped: true)
        let array = try NPYArray(data: data, file: path)
        guard reading != .double, array.shape.count == 2, let values = array.floats(rounding: reading == .single) else {
            let (shape, values) = try readDense(path: path)
            return .double(DenseMatrix(rows: shape[0], columns: shape[1], storage: values))
        }
        if let bad = values.firstIndex(where: { !InputValues.isUsable(Double($0)) }) {
            let c = array.shape[1]
            if array.type == .float(bytes: 8) {
                // The value as stored: refused for itself when it is not finite there either.
                _ = try readDense(path: path)
                throw IOError(file: path, "entry (\(bad / c), \(bad % c)) is beyond float32's range (±3.4e38): it cannot be read in single precision")
            }
            throw IOError(file: path, "entry (\(bad / c), \(bad % c)) is \(values[bad]), \(InputValues.problem(Double(values[bad])))")
        }
        return .single(DenseMatrix(rows: array.shape[0], columns: array.shape[1], storage: values))
    }

    static func readDenseInteractions(path: String) throws(IOError) -> ParsedTriplets {
        let (shape, values) = try readDense(path: path)
        let (m, n) = (shape[0], shape[1])
        try ParsedTriplets.checkDeclaredShape(rows: m, columns: n, file: path)
        // By stored value, not by row: a shape (m, 0) stores nothing for its m rows.
        var r = [Int32](), c = [Int32](), v = [Double]()
        for (p, x) in values.enumerated() where x != 0 {
            r.append(Int32(p / n)); c.append(Int32(p % n)); v.append(x)
        }
        return try .positional(COOMatrix(rows: m, columns: n, rowIndices: r, columnIndices: c, values: v), file: path)
    }
}

/// Validation of compressed sparse arrays read from a file, shared by the `.npz` and HDF5 readers.
enum SparseArrays {
    static func compressed(indptr: [Int64], indices: [Int64], data: [Double], major: Int, minor: Int,
                           file: String, prefix: String) throws(IOError) -> CSRMatrix {
        guard indptr.count == major + 1 else {
            throw IOError(file: file, location: prefix + "indptr", "has \(indptr.count) entries, expected \(major + 1) for shape")
        }
        guard indices.count == data.count else {
            throw IOError(file: file, location: prefix + "indices", "has \(indices.count) entries but data has \(data.count)")
        }
        guard indptr.first == 0 else { throw IOError(file: file, location: prefix + "indptr", "starts at \(indptr[0]), expected 0") }
        for u in 0..<major where indptr[u + 1] < indptr[u] {
            throw IOError(file: file, location: prefix + "indptr", "is not monotone: entry \(u + 1) (\(indptr[u + 1])) < entry \(u) (\(indptr[u]))")
        }
        guard indptr[major] == Int64(indices.count) else {
            throw IOError(file: file, location: prefix + "indptr", "ends at \(indptr[major]), expected nnz = \(indices.count)")
        }
        var narrow = [Int32](repeating: 0, count: indices.count)
        for (p, j) in indices.enumerated() {
            guard j >= 0, j < Int64(minor) else {
                throw IOError(file: file, location: prefix + "indices", "index \(j) at position \(p) is outside 0..<\(minor)")
            }
            narrow[p] = Int32(j)
        }
        if let bad = data.firstIndex(where: { !InputValues.isUsable($0) }) {
            throw IOError(file: file, location: prefix + "data", "value at position \(bad) is \(data[bad]), \(InputValues.problem(data[bad]))")
        }
        // Sort each row's columns (SciPy allows unsorted indices); duplicates are summed later.
        var csr = CSRMatrix(rows: major, columns: minor, indptr: indptr.map { Int($0) }, indices: narrow, values: data)
        for u in 0..<major {
            let range = csr.range(ofRow: u)
            if range.count > 1 && zip(csr.indices[range].dropFirst(), csr.indices[range]).contains(where: { $0 <= $1 }) {
                let pairs = zip(csr.indices[range], csr.values[range]).sorted { $0.0 < $1.0 }
                csr.indices.replaceSubrange(range, with: pairs.map(\.0))
                csr.values.replaceSubrange(range, with: pairs.map(\.1))
            }
        }
        return csr
    }
}
