import Foundation
import Matrices

/// Reads and writes dense item (or user) factor matrices: HDF5 datasets and NumPy `.npy`.
public enum EmbeddingsFile {
    /// The dataset name mftool writes item embeddings under, and looks for first.
    public static let itemDataset = "item_factors"

    /// Reads embeddings from `spec`: `FILE.npy`, `FILE.h5` (dataset `item_factors`, else the only
    /// 2-D dataset) or `FILE.h5:/path/to/dataset`; ids from `item_ids` when present.
    public static func read(_ spec: FileSpec, preferred: [String] = [itemDataset], idsName: String = "item_ids") throws(IOError) -> ItemEmbeddings {
        let path = spec.path
        guard FileManager.default.fileExists(atPath: path) else { throw IOError(file: path, "no such file") }
        switch FileFormat.detect(path) {
        case .npy:
            let (shape, values) = try NumPyReaders.readDense(path: path)
            return ItemEmbeddings(factors: DenseMatrix(rows: shape[0], columns: shape[1], storage: values), itemIDs: nil)
        case .hdf5:
            let file = try HDF5File.open(path)
            let dataset = try file.resolveMatrixDataset(spec.object, preferred: preferred)
            let factors = try file.readMatrix(dataset)
            let ids = try file.optionalIDs(idsName, besideDataset: dataset, count: factors.rows)
            return ItemEmbeddings(factors: factors, itemIDs: ids)
        default:
            throw IOError(file: path, "unknown embeddings format: expected an HDF5 file or a NumPy .npy array")
        }
    }

    /// Reads only the id list of an embeddings file (for `--item-ids-from`).
    public static func readIDs(_ spec: FileSpec) throws(IOError) -> IDMap {
        let embeddings = try read(spec)
        guard let ids = embeddings.itemIDs else {
            throw IOError(file: spec.path, "has no item_ids dataset to take the item order from")
        }
        return ids
    }

    /// Writes a factor matrix to HDF5 under `dataset` with ids (`idsName`), root attributes, and
    /// any named 1-D `vectors` (such as a learned `item_bias`).
    public static func write(_ factors: DenseMatrix<Double>, ids: IDMap?, to path: String,
                             dataset: String = itemDataset, idsName: String = "item_ids", single: Bool = false,
                             attributes: [(String, AttributeValue)] = [], vectors: [(String, [Double])] = []) throws(IOError) {
        try AtomicOutput.write(to: path) { temporary throws(IOError) in
            let file = try HDF5File.create(temporary)
            try file.writeFactors(factors, name: dataset, ids: ids, idsName: idsName, single: single, attributes: attributes)
            for (name, values) in vectors { try file.write("/" + name, values, shape: [values.count]) }
            try file.flush()
        }
    }
}

extension EmbeddingsFile {
    /// Reads a finite 1-D numeric dataset (such as a fixed item bias) from `FILE.h5:/dataset`
    /// or a 1-D `.npy`.
    public static func readVector(_ spec: FileSpec) throws(IOError) -> [Double] {
        let path = spec.path
        guard FileManager.default.fileExists(atPath: path) else { throw IOError(file: path, "no such file") }
        switch FileFormat.detect(path) {
        case .hdf5:
            guard let object = spec.object else {
                throw IOError(file: path, "name the dataset of the vector as FILE:/DATASET")
            }
            let file = try HDF5File.open(path)
            let (shape, values) = try file.read(object, as: Double.self)
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw IOError(file: path, location: object, "has shape \(shape), expected a 1-D vector")
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw IOError(file: path, location: object, "entry \(bad) is \(values[bad]), expected finite numbers")
            }
            return values
        case .npy:
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw IOError(file: path, "cannot be read (\(FileErrorText.describe(error)))")
            }
            let array = try NPYArray(data: data, file: path)
            guard array.shape.count == 1, let values = array.doubles(), values.allSatisfy(\.isFinite) else {
                throw IOError(file: path, "expected a 1-D array of finite numbers, found \(array.descr) \(array.shape)")
            }
            return values
        default:
            throw IOError(file: path, "expected an HDF5 dataset or a .npy vector")
        }
    }
}

extension EmbeddingsFile {
    /// The root attributes of an HDF5 factor file (what `solve` and `fit` recorded).
    public static func readAttributes(_ path: String) throws(IOError) -> [String: AttributeValue] {
        let file = try HDF5File.open(path)
        var out: [String: AttributeValue] = [:]
        for name in file.attributeNames(on: "/") {
            if let s = try? file.stringAttribute(name, on: "/") {
                out[name] = .string(s)
            } else if let d = try? file.doubleAttribute(name, on: "/") {
                out[name] = d == d.rounded() && abs(d) < 1e15 ? .integer(Int64(d)) : .double(d)
            }
        }
        return out
    }
}
