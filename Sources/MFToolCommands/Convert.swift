import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool convert`: any supported input to mftool's canonical HDF5 (or Matrix Market, CSV).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert interactions (or embeddings) to mftool's canonical HDF5, Matrix Market or CSV.",
        discussion: """
        Interactions are read from delimited text (CSV, TSV, MovieLens u.data / ratings.dat / \
        ratings.csv, RecBole .inter), Matrix Market, SciPy .npz, a dense NumPy .npy or an HDF5 CSR \
        group (AnnData encoding; FILE.h5:/group picks one). The canonical HDF5 output is a CSR group \
        at the root (data, indices, indptr; attributes encoding-type, encoding-version, shape) with \
        user_ids and item_ids: h5py + scipy.sparse.csr_matrix and anndata read it unchanged. Rows \
        are sorted by user, columns ascend within a row; ids keep first-seen order unless \
        --sort-ids. Ids that are all integers are stored as int64, otherwise as UTF-8 strings. \
        An .h5ad output is an AnnData file (anndata.read_h5ad): X the matrix, obs and var names \
        the user and item ids, the timestamps the layer 'timestamps', the provenance in uns. The \
        output's extension picks its format; an unknown one is refused (--out-format names the \
        format of a name without one).

        Embeddings (--kind embeddings, the default for .npy input) are written as an HDF5 dataset \
        item_factors (+ item_ids when known), or as an .h5ad file's X.

        Examples:
          mftool convert ml-100k.inter ml100k.h5
          mftool convert ratings.dat ml1m.h5 --sort-ids
          mftool convert clicks.csv clicks.h5 --implicit --item-ids-from items.h5 --drop-unknown-items
          mftool convert interactions.npz out.mtx
          mftool convert item_vectors.npy items.h5
          mftool convert train.h5 train_items.h5 --layout csc   # item-major copy for sharded item solves
          mftool convert ml100k.h5 ml100k.h5ad                   # anndata.read_h5ad opens it
        """
    )

    enum Kind: String, ExpressibleByArgument { case auto, interactions, embeddings }

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Argument(help: "Input file (FILE or FILE.h5:/group).", completion: .file())
    var input: String

    @Argument(help: "Output file: .h5 (canonical HDF5), .h5ad (AnnData), .mtx or .csv/.tsv; embeddings .h5 or .h5ad.", completion: .file())
    var output: String

    @OptionGroup(title: "Output") var outputOptions: OutputOptions

    @Option(help: "What the input holds: auto (embeddings for .npy, else interactions), interactions or embeddings.")
    var kind: Kind = .auto

    @Option(help: "gzip level (1–9) for the HDF5 datasets; off by default.")
    var compress: Int?

    enum Layout: String, ExpressibleByArgument { case csr, csc }

    @Option(help: "HDF5 layout: csr (user-major, the default) or csc (item-major: AnnData's csc_matrix, which sharded item solves cut by items).")
    var layout: Layout = .csr

    @OptionGroup(title: "Input")
    var inputOptions: InteractionsInputOptions

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing on stderr on success.")
    var quiet = false

    mutating func run() throws {
        let started = Date()
        if let compress, !(1...9).contains(compress) { throw ValidationError("--compress takes a level from 1 to 9") }
        let spec = FileSpec(input)
        let isEmbeddings: Bool
        switch kind {
        case .interactions: isEmbeddings = false
        case .embeddings: isEmbeddings = true
        case .auto: isEmbeddings = (inputOptions.format ?? FileFormat.detect(spec.path)) == .npy
        }
        let format = try outputOptions.format(of: output, isEmbeddings ? .factors : .interactions, option: "the output")
        if layout == .csc && (isEmbeddings || ![.hdf5, .h5ad].contains(format)) {
            throw ValidationError("--layout csc applies to interactions written as .h5 or .h5ad")
        }
        let inputs = [input, inputOptions.itemIDsFrom].compactMap { $0.map { FileSpec($0).path } }
        try OutputGroup.refuseOverlap(inputs: inputs, outputs: [output])
        if isEmbeddings {
            let embeddings = try EmbeddingsFile.read(spec, limits: resources.limits)
            try provenance.writeEmbeddings(embeddings.factors, ids: embeddings.itemIDs, to: output, format: format)
            if json {
                Console.out(Console.json(["input": input, "output": output, "kind": "embeddings", "rows": embeddings.factors.rows,
                                          "columns": embeddings.factors.columns, "seconds": Date().timeIntervalSince(started)]))
            }
            if !quiet {
                Console.error("converted \(input): embeddings \(embeddings.factors.rows) × \(embeddings.factors.columns) → \(output) (\(Console.seconds(since: started)))")
            }
            return
        }
        let progress = ProgressLine("convert", unit: "MiB", quiet: quiet)
        let (interactions, report) = try inputOptions.read(input, limits: resources.limits, progress: progress.handler.map { show in
            { @Sendable bytes, total in show(bytes >> 20, total >> 20) }
        })
        progress.finish()
        try InteractionsFile.write(interactions, to: output, format: format, compression: compress, provenance: provenance,
                                   itemMajor: layout == .csc, memory: resources.limits.memory)
        if json { Console.out(Console.json(summary(interactions, report, seconds: Date().timeIntervalSince(started)))) }
        if !quiet {
            var line = "converted \(input): \(interactions.userCount) users × \(interactions.itemCount) items, \(interactions.matrix.nnz) interactions"
            line += ", \(report.duplicates) duplicate pairs (\(inputOptions.duplicates.rawValue))"
            if report.nullRows > 0 {
                line += ", dropped \(report.nullRows) rows with nulls"
            }
            if report.belowMinimum > 0 {
                line += ", dropped \(report.belowMinimum) interactions below --min-value"
            }
            if report.droppedInteractions > 0 {
                line += ", dropped \(report.droppedInteractions) interactions on \(report.droppedItems) unknown items"
            }
            Console.error(line + " → \(output) (\(Console.seconds(since: started)))")
        }
    }
}

extension Convert {
    /// What the HDF5 output records of this run.
    var provenance: Provenance {
        var settings = inputOptions.recordedSettings
        settings["kind"] = kind.rawValue
        settings["compress"] = compress
        settings["layout"] = layout.rawValue
        return Provenance(command: "convert", settings: settings, inputs: ["input": input, "item_ids_from": inputOptions.itemIDsFrom])
    }

    /// The --json summary of an interactions conversion.
    func summary(_ x: Interactions, _ report: ConversionReport, seconds: Double) -> [String: Any] {
        ["input": input, "output": output, "kind": "interactions", "users": x.userCount, "items": x.itemCount, "nnz": x.matrix.nnz,
         "duplicates": report.duplicates, "duplicate_policy": inputOptions.duplicates.rawValue,
         "below_minimum": report.belowMinimum, "null_rows": report.nullRows, "dropped_interactions": report.droppedInteractions,
         "dropped_items": report.droppedItems, "seconds": seconds]
    }
}
