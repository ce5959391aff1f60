import Foundation
import Matrices

/// Reads a list of ids given apart from the matrix it labels (`--item-ids`, `--item-ids-from`):
/// text with one id per line, a 1-D `.npy` of integers or strings, a 1-D HDF5 dataset
/// (`FILE.h5:/ids`), or the ids of an embeddings file (`FILE.h5` or `FILE.h5:/model/emb`).
public enum IDListFile {
    public static func read(_ spec: FileSpec) throws(IOError) -> IDMap {
        let path = spec.path
        try InputFile.check(path)
        let ids: [String]
        switch FileFormat.detect(path) {
        case .hdf5: return try readHDF5(spec)
        case .npy: ids = try readNPY(path)
        case .text: ids = try readText(path)
        default: throw IOError(file: path, "expected ids as text (one per line), a 1-D .npy or an HDF5 dataset")
        }
        do { return try IDMap(ids) } catch {
            throw IOError(file: path, "id '\(error.id)' occurs twice (at position \(error.position))")
        }
    }

    /// A 1-D dataset's ids, or the ids beside an embeddings matrix.
    private static func readHDF5(_ spec: FileSpec) throws(IOError) -> IDMap {
        let file = try HDF5File.open(spec.path)
        if let object = spec.object, file.kind(of: object) == .dataset, try file.info(object).shape.count == 1 {
            let ids = try file.readStrings(object)
            do { return try IDMap(ids) } catch {
                throw IOError(file: spec.path, location: object, "id '\(error.id)' occurs twice (at position \(error.position))")
            }
        }
        guard let ids = try EmbeddingsFile.read(spec).itemIDs else {
            throw IOError(file: spec.path, "has no item ids beside its embeddings (item_ids or ids); name a 1-D dataset as FILE.h5:/DATASET")
        }
        return ids
    }

    private static func readNPY(_ path: String) throws(IOError) -> [String] {
        let data = try InputFile.contents(path)
        let array = try NPYArray(data: data, file: path)
        guard array.shape.count == 1 else {
            throw IOError(file: path, "has shape \(array.shape); expected a 1-D array of ids")
        }
        if let ints = array.integerStrings() { return ints }
        if let strings = array.strings() { return strings }
        throw IOError(file: path, "has dtype '\(array.descr)'; expected integer or string ids")
    }

    private static func readText(_ path: String) throws(IOError) -> [String] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw IOError(file: path, "cannot be read as UTF-8 text (\(FileErrorText.describe(error)))")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        if let blank = lines.firstIndex(of: "") { throw IOError.line(blank + 1, of: path, "is empty, expected one id per line") }
        return lines
    }
}
