import IO

/// How files read against a model are matched to its users and items, and what is accepted
/// that would otherwise be an error.
public struct ModelAlignment: Sendable, Equatable {
    /// Ids of the items file's rows, for embeddings that carry none (`.npy`).
    public var itemIDs: FileSpec? = nil
    /// How the files' ids are matched, and which outcomes are accepted.
    public var matching = IDMatching()

    public init() {}
}
