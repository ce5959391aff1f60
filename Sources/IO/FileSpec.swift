import Foundation

/// A file argument with an optional object inside it: `items.h5:/model/emb` or `data.h5ad:/X`.
public struct FileSpec: Sendable, Equatable, CustomStringConvertible {
    /// The file path.
    public var path: String
    /// The dataset or group path inside the file, when given.
    public var object: String?

    /// Splits `FILE:OBJECT` at the last `:` followed by `/` (so plain paths with colons survive).
    public init(_ argument: String) {
        if let range = argument.range(of: ":/", options: .backwards), range.lowerBound != argument.startIndex {
            path = String(argument[..<range.lowerBound])
            object = String(argument[argument.index(after: range.lowerBound)...])
        } else {
            path = argument
            object = nil
        }
    }

    public init(path: String, object: String? = nil) {
        self.path = path
        self.object = object
    }

    public var description: String { object.map { "\(path):\($0)" } ?? path }
}

/// The file formats mftool reads and writes.
public enum FileFormat: String, Sendable, CaseIterable {
    /// Delimited text triplets (CSV, TSV, white space, `::`).
    case text
    /// Matrix Market coordinate.
    case mtx
    /// SciPy `save_npz`.
    case npz
    /// NumPy `.npy`.
    case npy
    /// HDF5 (h5py, AnnData).
    case hdf5

    /// The format of an existing file, by its first bytes, else by its extension.
    public static func detect(_ path: String) -> FileFormat {
        let head = InputFile.head(path, 16)
        if !head.isEmpty {
            if head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) { return .hdf5 }
            if head.starts(with: [0x93] + Array("NUMPY".utf8)) { return .npy }
            if head.starts(with: [0x50, 0x4b, 0x03, 0x04]) || head.starts(with: [0x50, 0x4b, 0x05, 0x06]) { return .npz }
            if head.starts(with: Array("%%MatrixMarket".utf8)) { return .mtx }
        }
        return byExtension(path) ?? .text
    }

    /// The format named by a path's extension, if it names one.
    public static func byExtension(_ path: String) -> FileFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "h5", "hdf5", "h5ad", "he5", "hdf": return .hdf5
        case "mtx", "mm": return .mtx
        case "npz": return .npz
        case "npy": return .npy
        case "csv", "tsv", "txt", "dat", "data", "inter", "tab": return .text
        default: return nil
        }
    }
}
