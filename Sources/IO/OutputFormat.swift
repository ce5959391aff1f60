import Foundation

/// The formats mftool writes. An output's name picks one by its extension, from the formats
/// its kind of content can take (``OutputKind``); ``OutputFormat/resolve(_:kind:override:)`` is
/// the one rule every writer and every command goes through.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// mftool's own HDF5 layouts (canonical interactions, factor files, parts, ANN vectors).
    case hdf5
    /// An AnnData file (`anndata.read_h5ad`): X, obs and var with the ids as their index.
    case h5ad
    /// Matrix Market coordinate.
    case mtx
    /// Comma-separated text with a header.
    case csv
    /// Tab-separated text with a header.
    case tsv
    /// JSON lines: one object per line.
    case jsonl
    /// One JSON object.
    case json
    /// An SVG image.
    case svg
    /// An Apache Parquet table (flat columns, ZSTD).
    case parquet

    /// The extensions (lower case, without the dot) that name this format.
    public var extensions: [String] {
        switch self {
        case .hdf5: ["h5", "hdf5"]
        case .h5ad: ["h5ad"]
        case .mtx: ["mtx"]
        case .csv: ["csv"]
        case .tsv: ["tsv"]
        case .jsonl: ["jsonl"]
        case .json: ["json"]
        case .svg: ["svg"]
        case .parquet: ["parquet"]
        }
    }

    /// The format an extension names, whatever the content; nil for an extension mftool never writes.
    public static func named(byExtensionOf path: String) -> OutputFormat? {
        let ext = (path as NSString).pathExtension.lowercased()
        return allCases.first { $0.extensions.contains(ext) }
    }
}

/// An output name that names no format its content can take, or contradicts the format asked
/// for: a usage error.
public struct OutputNameError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension OutputFormat {
    /// The format to write `path` in, holding `kind`:
    /// - the name's extension, when it names a format `kind` can take;
    /// - else `override` (`--out-format`), when it is one of them;
    /// - else an error listing the accepted extensions.
    /// An extension that names a format `override` contradicts is an error too: a name never
    /// promises one format and holds another.
    public static func resolve(_ path: String, kind: OutputKind, override: OutputFormat? = nil) throws(OutputNameError) -> OutputFormat {
        let ext = (path as NSString).pathExtension.lowercased()
        let named = kind.formats.first { $0.extensions.contains(ext) }
        if let named {
            if let override, override != named {
                throw OutputNameError("'\(path)' names a .\(ext) file but --out-format says \(override.rawValue): rename it or drop --out-format")
            }
            return named
        }
        if let override {
            guard kind.formats.contains(override) else {
                throw OutputNameError("--out-format \(override.rawValue) cannot hold \(kind.description) ('\(path)'): use one of \(kind.formats.map(\.rawValue).joined(separator: ", "))")
            }
            // A name that promises another format is refused even when the format is given.
            if let other = OutputFormat.named(byExtensionOf: path), other != override {
                throw OutputNameError("'\(path)' names a .\(ext) file, which \(kind.description) cannot be written as; accepted: \(kind.acceptedExtensions)")
            }
            return override
        }
        let what = ext.isEmpty ? "has no extension" : "ends in .\(ext)"
        throw OutputNameError("'\(path)' \(what), which names no format for \(kind.description): use \(kind.acceptedExtensions) (or --out-format for a name without one)")
    }
}

extension OutputFormat {
    /// ``resolve(_:kind:override:)`` without an override, its error as an ``IOError`` on
    /// `path`: for library callers that write without a command line;
    /// `given` when there is one.
    static func resolving(_ path: String, kind: OutputKind, given: OutputFormat? = nil) throws(IOError) -> OutputFormat {
        if let given { return given }
        do { return try resolve(path, kind: kind) } catch { throw IOError(file: path, error.description) }
    }
}
