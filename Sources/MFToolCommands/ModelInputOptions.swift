import ArgumentParser
import IO
import Loading

extension AlignmentNotices {
    /// Notices printed on stderr as they come, each once.
    static func printing() -> AlignmentNotices { AlignmentNotices(printer: Console.error) }
}

/// How `eval` and `recommend` match interaction files to a model's users and items.
struct ModelInputOptions: ParsableArguments {
    @Option(name: .customLong("item-ids"), help: "Ids of the items file's rows, for embeddings without ids (.npy): text with one id per line, a 1-D .npy, or FILE.h5:/DATASET.", completion: .file())
    var itemIDs: String?

    @Flag(name: .customLong("drop-unknown-items"), help: "Drop interactions whose item the items file lacks (counted), instead of failing.")
    var dropUnknownItems = false

    @Flag(name: .customLong("require-ids"), help: "Fail instead of matching users or items by position when a file carries no ids.")
    var requireIDs = false

    @Flag(name: .customLong("allow-empty"), help: "Accept an empty outcome (no interactions or users left to use) instead of failing.")
    var allowEmpty = false

    @Flag(name: .customLong("allow-id-shift"), help: "Join integer ids as they are even when they match better shifted by ±1 (one side counting from 0, the other from 1), instead of failing.")
    var allowIDShift = false

    @Flag(name: .customLong("allow-role-swap"), help: "Accept interactions whose user ids look like the items file's item ids (swapped columns), or an item factor file given as --users, instead of failing.")
    var allowRoleSwap = false
}

extension ModelInputOptions {
    /// The library's alignment settings these flags give.
    var alignment: ModelAlignment {
        var out = ModelAlignment()
        out.itemIDs = itemIDs.map { FileSpec($0) }
        out.dropUnknownItems = dropUnknownItems
        out.requireIDs = requireIDs
        out.allowEmpty = allowEmpty
        out.allowIDShift = allowIDShift
        out.allowRoleSwap = allowRoleSwap
        return out
    }
}
