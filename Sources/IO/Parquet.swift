import Foundation

/// Recognizing Parquet input (its `PAR1` magic, or a `.parquet` or `.pq` extension), read as
/// interactions (`ParquetInteractions`), embeddings (`ParquetEmbeddings`) or an id list.
enum Parquet {
    static func isParquet(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".parquet") || path.lowercased().hasSuffix(".pq") { return true }
        return InputFile.head(path, 4) == Array("PAR1".utf8)
    }
}
