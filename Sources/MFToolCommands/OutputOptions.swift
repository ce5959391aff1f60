import ArgumentParser
import IO
import Loading

extension OutputFormat: ExpressibleByArgument {}

/// `--out-format`, and the rule that picks each output's format from its name: the extension,
/// from the formats that output can take; `--out-format` for a name without a usable one;
/// anything else is a usage error (exit 64) that lists the accepted extensions.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("out-format"), help: "Format of outputs whose names have no usable extension: hdf5, h5ad, mtx, csv, tsv, jsonl, json or svg (as the output can take).")
    var outFormat: OutputFormat?

    /// The format to write `path` in (``OutputFormat/resolve(_:kind:override:)``), or a usage
    /// error naming the option the path came from.
    func format(of path: String, _ kind: OutputKind, option: String) throws -> OutputFormat {
        do {
            return try OutputFormat.resolve(path, kind: kind, override: outFormat)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }
}
