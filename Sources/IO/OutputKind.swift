/// What an output holds; each kind lists the formats its writer produces.
public enum OutputKind: String, Sendable, CaseIterable {
    /// A user × item interaction matrix (`convert`, `split`, `generate --out`).
    case interactions
    /// A factor matrix with its ids: item embeddings or user factors (`solve`, `fit`, `merge`,
    /// `generate --items-out`, `convert` of embeddings).
    case factors
    /// A part of a sharded run, for `mftool merge` (`solve --shard`, `recommend --shard`).
    case part
    /// Top-K lists (`recommend`, `similar`, `merge` of recommendations).
    case recommendations
    /// A JSON report (`eval --out`, `merge` of eval parts).
    case report
    /// Vectors for inner-product search engines (`export --ann`).
    case annVectors
    /// One JSON object per epoch (`fit --log`).
    case log
    /// A chart (`fit --plot`).
    case plot

    /// The formats this kind can be written in, the first the usual one.
    public var formats: [OutputFormat] {
        switch self {
        case .interactions: [.hdf5, .h5ad, .mtx, .csv, .tsv]
        case .factors: [.hdf5, .h5ad]
        case .part, .annVectors: [.hdf5]
        case .recommendations: [.csv, .jsonl, .hdf5, .parquet]
        case .report: [.json]
        case .log: [.jsonl]
        case .plot: [.svg]
        }
    }

    /// The accepted extensions, as a list for messages: ".h5, .hdf5, .h5ad, …".
    public var acceptedExtensions: String {
        formats.flatMap(\.extensions).map { "." + $0 }.joined(separator: ", ")
    }
}

extension OutputKind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .interactions: "interactions"
        case .factors: "factors"
        case .part: "a part of a sharded run"
        case .recommendations: "recommendation lists"
        case .report: "a JSON report"
        case .annVectors: "ANN vectors"
        case .log: "an epoch log"
        case .plot: "a plot"
        }
    }
}
