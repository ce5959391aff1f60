import Foundation
import Matrices

/// Reads a list of ids given apart from the matrix it labels (`--item-ids`, `--item-ids-from`,
/// `--candidates`): text with one id per line, a 1-D `.npy` of integers or strings, a 1-D HDF5
/// dataset (`FILE.h5:/ids`), the ids of an embeddings file (`FILE.h5` or `FILE.h5:/model/emb`),
/// or a Parquet file of one column.
public enum IDListFile {
    public static func read(_ spec: FileSpec, limits: ReadLimits = ReadLimits()) throws(IOError) -> IDMap {
        let path = spec.path
        try InputFile.check(path)
        let ids: [String]
        switch FileFormat.detect(path) {
        case .hdf5: return try readHDF5(spec, limits: limits)
        case .npy: ids = try readNPY(path)
        case .text where Parquet.isParquet(path): ids = try readParquet(path, limits: limits)
        case .text: ids = try readText(path)
        default: throw IOError(file: path, "expected ids as text (one per line), a 1-D .npy or an HDF5 dataset")
        }
        do { return try IDMap(ids) } catch {
            throw IOError(file: path, "id '\(error.id)' occurs twice (at position \(error.position))")
        }
    }

    /// A 1-D dataset's ids, or the ids beside an embeddings matrix.
    private static func readHDF5(_ spec: FileSpec, limits: ReadLimits) throws(IOError) -> IDMap {
        let file = try HDF5File.open(spec.path, limits: limits)
        if let object = spec.object, file.kind(of: object) == .dataset, try file.info(object).shape.count == 1 {
            let ids = try file.readStrings(object)
            do { return try IDMap(ids) } catch {
                throw IOError(file: spec.path, location: object, "id '\(error.id)' occurs twice (at position \(error.position))")
            }
        }
        guard let ids = try EmbeddingsFile.read(spec, limits: limits).itemIDs else {
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

    /// Whether `path` holds a list per user rather than one list: a `.csv` whose header starts
    /// `user,item` (further columns do not matter), or Parquet (a file, or a folder of parts)
    /// of two or more columns, read as interactions.
    public static func isPerUser(_ path: String) -> Bool {
        if InputFile.isFolder(path) || Parquet.isParquet(path) {
            guard let first = try? ParquetDataset(path).parts.first, let file = try? ParquetPartColumns(first, limits: ReadLimits(memory: .unlimited)) else { return false }
            return file.names.count >= 2
        }
        guard (path as NSString).pathExtension.lowercased() == "csv" else { return false }
        let head = String(decoding: InputFile.head(path, 256), as: UTF8.self)
        let header = head.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let fields = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        return fields.count >= 2 && fields[0] == "user" && fields[1] == "item"
    }

    /// The ids of a Parquet file's one column, as text tokens (integers in decimal).
    private static func readParquet(_ path: String, limits: ReadLimits) throws(IOError) -> [String] {
        let file = try ParquetFile(path: path, limits: limits)
        guard file.columns.count == 1, let name = file.columns.first?.name else {
            throw IOError(file: path, "has \(file.columns.count) columns; an id list has one (a list per user has user and item columns)")
        }
        let column = try file.read(name)
        if let row = column.nullRows.first {
            throw IOError(file: path, location: "column '\(name)', row \(row)", "the id is null (\(column.nullRows.count) null rows)")
        }
        switch column.values {
        case .float, .double, .boolean:
            throw IOError(file: path, "column '\(name)' holds \(column.physicalType.name) values, which are not ids")
        default:
            return (0..<column.values.count).map { column.token(at: $0) }
        }
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
