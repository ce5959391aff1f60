import ArgumentParser
import IO
import Loading
import Matrices
import Solvers

extension DuplicatePolicy: ExpressibleByArgument {}
extension FileFormat: ExpressibleByArgument {}

/// How to read an interactions file: format, text layout, duplicates and id order.
struct InteractionsInputOptions: ParsableArguments {
    @Option(help: "Input format: text, mtx, npz, npy or hdf5 (default: detected from the content and extension).")
    var format: FileFormat?

    @Option(help: "Text field separator: auto, comma, tab, whitespace, '::' or one character.")
    var delimiter: String = "auto"

    @Flag(inversion: .prefixedNo, help: "Whether the first line of text input is a header (default: detected).")
    var header: Bool?

    @Option(name: .customLong("user-col"), help: "User id column of text input: a 0-based number or a header name.")
    var userColumn: String?

    @Option(name: .customLong("item-col"), help: "Item id column of text input: a 0-based number or a header name.")
    var itemColumn: String?

    @Option(name: .customLong("value-col"), help: "Value column of text input: a number or a header name (default: 'rating'-like header, else column 2 when present).")
    var valueColumn: String?

    @Option(name: .customLong("time-col"), help: "Time column of text input (a number or a header name): numbers or ISO 8601 dates, kept as 'timestamps' for time-based splits.")
    var timeColumn: String?

    @Option(help: "Lines of text input starting with this character are comments; 'none' for no comments (ids may then start with #).")
    var comment: String = "#"

    @Flag(help: "Implicit feedback: every interaction has value 1 (with --min-value, the values of at least that become 1 and the rest are dropped).")
    var implicit = false

    @Option(name: .customLong("min-value"), help: "Keep only interactions with a value of at least this (e.g. 4 to binarize ratings for --loss implicit); ids are kept.")
    var minimumValue: Double?

    @Flag(name: .customLong("drop-null-rows"), help: "Parquet input: drop the rows with a null user, item, value or time (counted in a note) instead of failing.")
    var dropNullRows = false

    @Option(help: "Repeated (user, item) pairs: sum (as SciPy), last, or error. Reported either way.")
    var duplicates: DuplicatePolicy = .sum

    @Flag(name: .customLong("sort-ids"), help: "Number users and items in sorted id order (numeric when all ids are integers) instead of first-seen order.")
    var sortIDs = false

    @Option(name: .customLong("item-ids-from"), help: "Order item columns exactly as the item_ids of this embeddings file (FILE.h5[:/dataset]).", completion: .file())
    var itemIDsFrom: String?

    @OptionGroup var idMatching: IDMatchingOptions

    func validate() throws {
        if let minimumValue, !minimumValue.isFinite { throw ValidationError("--min-value must be a finite number, not \(minimumValue)") }
    }

    func readOptions(limits: ReadLimits) throws -> InteractionsFile.ReadOptions {
        var options = InteractionsFile.ReadOptions(limits: limits)
        options.format = format
        guard let separator = DelimitedOptions.Delimiter(argument: delimiter) else {
            throw ValidationError("--delimiter '\(delimiter)' is not a separator: use auto, comma, tab, whitespace, '::' or one character")
        }
        options.text.delimiter = separator
        options.text.header = header
        options.text.userColumn = userColumn.map(DelimitedOptions.Column.init(argument:))
        options.text.itemColumn = itemColumn.map(DelimitedOptions.Column.init(argument:))
        options.text.valueColumn = valueColumn.map(DelimitedOptions.Column.init(argument:))
        options.text.timeColumn = timeColumn.map(DelimitedOptions.Column.init(argument:))
        options.text.dropNullRows = dropNullRows
        // --min-value filters the values before --implicit turns them into 1s.
        options.text.implicit = implicit && minimumValue == nil
        options.canonical.binarize = implicit && minimumValue != nil
        if comment == "none" {
            options.text.commentByte = nil
        } else if comment.utf8.count == 1 {
            options.text.commentByte = comment.utf8.first
        } else {
            throw ValidationError("--comment takes one character or 'none'")
        }
        options.canonical.duplicates = duplicates
        options.canonical.sortIDs = sortIDs
        options.canonical.minimumValue = minimumValue
        options.canonical.matching = idMatching.value
        if let source = itemIDsFrom {
            options.canonical.itemOrder = try EmbeddingsFile.readIDs(FileSpec(source), limits: limits)
            options.canonical.itemOrderSource = FileSpec(source).path
        }
        return options
    }

    /// Reads interactions from `argument` with these options, with no item order but
    /// `--item-ids-from`, and prints how ids were matched; `progress` sees the bytes of delimited
    /// text parsed.
    func read(_ argument: String, limits: ReadLimits, progress: ProgressHandler? = nil) throws -> (Interactions, ConversionReport) {
        if idMatching.dropUnknownItems && itemIDsFrom == nil {
            throw ValidationError("--drop-unknown-items needs --item-ids-from")
        }
        let (interactions, report) = try InteractionsFile.read(FileSpec(argument), options: readOptions(limits: limits), progress: progress)
        var notices = AlignmentNotices.printing()
        notices.add(report.notices)
        return (interactions, report)
    }
}
