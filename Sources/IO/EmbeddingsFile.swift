import Foundation
import Matrices

/// Reads and writes dense item embedding matrices: HDF5 datasets and NumPy `.npy`. User (and
/// solved item) factors with their recorded settings go through `FactorFile`.
public enum EmbeddingsFile {
    /// The dataset name mftool writes item embeddings under, and looks for first.
    public static let itemDataset = "item_factors"

    /// Reads embeddings from `spec`: `FILE.npy`, `FILE.h5` (dataset `item_factors`, else the only
    /// 2-D dataset) or `FILE.h5:/path/to/dataset`; ids from `item_ids` or `ids` in the dataset's
    /// group, else `item_ids` at the root, else from `ids` (see ``IDListFile``), else none.
    public static func read(_ spec: FileSpec, ids: FileSpec? = nil, limits: ReadLimits = ReadLimits()) throws(IOError) -> ItemEmbeddings {
        let (factors, itemIDs) = try readFactors(spec, ids: ids, limits: limits)
        return ItemEmbeddings(factors: factors.doubles, itemIDs: itemIDs)
    }

    /// Reads as ``read(_:ids:limits:)`` does, in the precision `reading` asks for.
    public static func readFactors(_ spec: FileSpec, ids: FileSpec? = nil, reading: FactorReading = .double, limits: ReadLimits = ReadLimits()) throws(IOError) -> (FactorMatrix, IDMap?) {
        let stored = try readMatrix(spec, preferred: [itemDataset], idsName: "item_ids", reading: reading, limits: limits)
        guard let ids else { return (stored.factors, stored.ids) }
        let given = try IDListFile.read(ids, limits: limits)
        guard given.count == stored.factors.rows else {
            throw IOError(file: ids.description, "has \(given.count) ids but \(spec) has \(stored.factors.rows) rows")
        }
        if let own = stored.ids, own != given {
            throw IOError(file: ids.description, "differs from the item ids \(spec) carries itself; leave out --item-ids")
        }
        return (stored.factors, given)
    }

    /// A 2-D matrix read from a file, with its ids and, for HDF5, the open file and dataset.
    struct StoredMatrix {
        var factors: FactorMatrix
        var ids: IDMap?
        var file: HDF5File?
        var dataset: String?
    }

    /// Reads a matrix from `FILE.npy`, or from `FILE.h5` (the dataset named in `spec`, else the
    /// first of `preferred`, else the only 2-D dataset) with the ids `idsName` beside it.
    static func readMatrix(_ spec: FileSpec, preferred: [String], idsName: String, reading: FactorReading = .double, limits: ReadLimits) throws(IOError) -> StoredMatrix {
        let stored = try readAnyMatrix(spec, preferred: preferred, idsName: idsName, reading: reading, limits: limits)
        guard stored.factors.columns >= 1 else {
            throw IOError(file: spec.path, location: stored.dataset,
                          "has \(stored.factors.rows) rows of 0 factors; expected at least one column")
        }
        return stored
    }

    private static func readAnyMatrix(_ spec: FileSpec, preferred: [String], idsName: String, reading: FactorReading, limits: ReadLimits) throws(IOError) -> StoredMatrix {
        let path = spec.path
        try InputFile.check(path)
        if Parquet.isParquet(path) {
            let (factors, ids) = try ParquetEmbeddings.read(path: path, reading: reading, limits: limits)
            return StoredMatrix(factors: factors, ids: ids)
        }
        switch FileFormat.detect(path) {
        case .npy:
            return StoredMatrix(factors: try NumPyReaders.readFactors(path: path, reading: reading))
        case .hdf5:
            let file = try HDF5File.open(path, limits: limits)
            let dataset = try file.resolveMatrixDataset(spec.object, preferred: preferred)
            let storesSingle = try file.info(dataset).kind == .float(bytes: 4)
            let factors: FactorMatrix
            switch reading {
            case .single: factors = .single(try file.readMatrixAsSingle(dataset))
            case .asStored where storesSingle: factors = .single(try file.readMatrix(dataset, as: Float.self))
            case .asStored, .double: factors = .double(try file.readMatrix(dataset))
            }
            let ids = try file.optionalIDs(idsName, besideDataset: dataset, count: factors.rows)
            return StoredMatrix(factors: factors, ids: ids, file: file, dataset: dataset)
        default:
            throw IOError(file: path, "unknown embeddings format: expected an HDF5 file or a NumPy .npy array")
        }
    }

    /// Reads only an id list (for `--item-ids-from`): an embeddings file's ids, or any list
    /// ``IDListFile`` reads.
    public static func readIDs(_ spec: FileSpec, limits: ReadLimits = ReadLimits()) throws(IOError) -> IDMap {
        try IDListFile.read(spec, limits: limits)
    }

    /// Writes item embeddings to HDF5 as `item_factors` (float64, or float32 when `single`) with
    /// `item_ids`.
    public static func write(_ factors: DenseMatrix<Double>, ids: IDMap?, to path: String, single: Bool = false) throws(IOError) {
        var file = FactorFile(side: .items, factors: factors, ids: ids)
        file.single = single
        try file.write(to: path)
    }
}

extension EmbeddingsFile {
    /// Reads a finite 1-D numeric dataset (such as a fixed item bias) from `FILE.h5:/dataset`
    /// or a 1-D `.npy`.
    public static func readVector(_ spec: FileSpec, limits: ReadLimits = ReadLimits()) throws(IOError) -> [Double] {
        let path = spec.path
        try InputFile.check(path)
        switch FileFormat.detect(path) {
        case .hdf5:
            guard let object = spec.object else {
                throw IOError(file: path, "name the dataset of the vector as FILE:/DATASET")
            }
            let file = try HDF5File.open(path, limits: limits)
            let (shape, values) = try file.read(object, as: Double.self)
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw IOError(file: path, location: object, "has shape \(shape), expected a 1-D vector")
            }
            if let bad = values.firstIndex(where: { !InputValues.isUsable($0) }) {
                throw IOError(file: path, location: object, "entry \(bad) is \(values[bad]), \(InputValues.problem(values[bad]))")
            }
            return values
        case .npy:
            let data = try InputFile.contents(path)
            let array = try NPYArray(data: data, file: path)
            guard array.shape.count == 1, let values = array.doubles(), values.allSatisfy(InputValues.isUsable) else {
                throw IOError(file: path, "expected a 1-D array of finite numbers, found \(array.descr) \(array.shape)")
            }
            return values
        default:
            throw IOError(file: path, "expected an HDF5 dataset or a .npy vector")
        }
    }
}
