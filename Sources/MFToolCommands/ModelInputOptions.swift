import ArgumentParser
import IO
import Loading

extension AlignmentNotices {
    /// Notices printed on stderr as they come, each once.
    static func printing() -> AlignmentNotices { AlignmentNotices(printer: Console.error) }
}

/// How the commands that read a model (`eval`, `recommend`, `explain`, `export`) match ids
/// across its files and the interaction files they read.
struct ModelInputOptions: ParsableArguments {
    @Option(name: .customLong("item-ids"), help: "Ids of the items file's rows, for embeddings without ids (.npy): text with one id per line, a 1-D .npy, or FILE.h5:/DATASET.", completion: .file())
    var itemIDs: String?

    @OptionGroup var idMatching: IDMatchingOptions
}

extension ModelInputOptions {
    /// The library's alignment settings these flags give.
    var alignment: ModelAlignment {
        var out = ModelAlignment()
        out.itemIDs = itemIDs.map { FileSpec($0) }
        out.matching = idMatching.value
        return out
    }
}
