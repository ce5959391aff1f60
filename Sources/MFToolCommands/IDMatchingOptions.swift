import ArgumentParser
import IO

/// How strictly ids are matched between an interactions file and the items and users it is
/// joined to: the one definition of these flags, included by the commands that read
/// interactions (`InteractionsInputOptions`) and by those that read a model
/// (`ModelInputOptions`).
struct IDMatchingOptions: ParsableArguments {
    @Flag(name: .customLong("drop-unknown-items"), help: "Drop interactions whose item the items file or item order lacks (counted), instead of failing.")
    var dropUnknownItems = false

    @Flag(name: .customLong("require-ids"), help: "Fail instead of matching users or items by position when a file carries no ids.")
    var requireIDs = false

    @Flag(name: .customLong("allow-empty"), help: "Accept an empty outcome (no interactions or users left after filtering and matching ids) instead of failing.")
    var allowEmpty = false

    @Flag(name: .customLong("allow-id-shift"), help: "Join integer ids as they are even when they match better shifted by ±1 (one side counting from 0, the other from 1), instead of failing.")
    var allowIDShift = false

    @Flag(name: .customLong("allow-role-swap"), help: "Accept interactions whose user ids look like the items file's item ids (swapped columns), and in eval, recommend, explain and export an item factor file given as --users, instead of failing.")
    var allowRoleSwap = false

    /// The library's matching settings these flags give.
    var value: IDMatching {
        var out = IDMatching()
        out.dropUnknownItems = dropUnknownItems
        out.requireIDs = requireIDs
        out.allowEmpty = allowEmpty
        out.allowIDShift = allowIDShift
        out.allowRoleSwap = allowRoleSwap
        return out
    }
}
