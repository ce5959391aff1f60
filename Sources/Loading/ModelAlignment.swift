import IO

/// How files read against a model are matched to its users and items, and what is accepted
/// that would otherwise be an error.
public struct ModelAlignment: Sendable, Equatable {
    /// Ids of the items file's rows, for embeddings that carry none (`.npy`).
    public var itemIDs: FileSpec? = nil
    /// Drop interactions whose item the items file lacks (counted) instead of failing.
    public var dropUnknownItems = false
    /// Fail instead of matching users or items by position when a file carries no ids.
    public var requireIDs = false
    /// Accept an empty outcome (no interactions or users left to use) instead of failing.
    public var allowEmpty = false
    /// Join integer ids as they are even when they match better shifted by ±1.
    public var allowIDShift = false
    /// Accept interactions whose user ids look like the model's item ids (swapped columns), or
    /// an item factor file given as the users.
    public var allowRoleSwap = false

    public init() {}
}
