/// How strictly a file's ids are matched to the ids it is joined to (an item order, a model's
/// users and items), and which outcomes are accepted that would otherwise be errors. The
/// reading of interactions (``CanonicalOptions``) and the matching of files to a model
/// (`Loading`'s `ModelAlignment`) take it as it is; the command line sets it with
/// `--drop-unknown-items`, `--require-ids`, `--allow-empty`, `--allow-id-shift` and
/// `--allow-role-swap`.
public struct IDMatching: Sendable, Equatable {
    /// Drop interactions whose item the item order or items file lacks (counted) instead of
    /// failing.
    public var dropUnknownItems = false
    /// Fail instead of matching users or items by position when a side carries no ids.
    public var requireIDs = false
    /// Accept an empty outcome (no interactions or users left after filtering and matching)
    /// instead of failing.
    public var allowEmpty = false
    /// Join integer ids as they are even when they match better shifted by ±1.
    public var allowIDShift = false
    /// Read a file's columns as they are even when its users look like the items it is joined
    /// to (swapped columns), and take an item factor file given as the users.
    public var allowRoleSwap = false

    public init() {}
}
