import Foundation

/// Recognizing Parquet input (its `PAR1` magic, or a `.parquet` or `.pq` extension). Interactions
/// in Parquet are read (`ParquetInteractions`); embeddings in Parquet are refused with the pandas
/// line that converts them to a format mftool reads.
enum Parquet {
    /// What the file was expected to hold, which decides the conversion offered.
    enum Content { case interactions, embeddings }

    static func isParquet(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".parquet") || path.lowercased().hasSuffix(".pq") { return true }
        return InputFile.head(path, 4) == Array("PAR1".utf8)
    }

    /// Throws, with the conversion, when `path` is a Parquet file.
    static func refuse(_ path: String, as content: Content) throws(IOError) {
        guard isParquet(path) else { return }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let conversion = switch content {
        case .interactions: "python -c \"import pandas as pd; pd.read_parquet('\(path)').to_csv('\(stem).csv', index=False)\""
        case .embeddings: "python -c \"import numpy as np, pandas as pd; np.save('\(stem).npy', pd.read_parquet('\(path)').to_numpy())\""
        }
        throw IOError(file: path, "is a Parquet file, which mftool does not read; convert it first: \(conversion)")
    }
}
