import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool export --ann`: vectors for inner-product search engines.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export item and user-query vectors for inner-product search engines (faiss, ScaNN, hnswlib).",
        discussion: """
        --ann writes one HDF5 file: item_vectors [v_i, b_i] (n × (k+1), the item bias folded in as \
        an extra dimension, 0 without one) with item_ids, query_vectors [x_u, 1] (m × (k+1)) with \
        user_ids, and query_offsets μ + b_u (m). Then

            score(u, i) = ⟨[x_u, 1], [v_i, b_i]⟩ + μ + b_u,

        recommend's score; μ + b_u is the same for every item, so a maximum-inner-product search \
        of query_vectors[u] among item_vectors ranks as recommend does (without --train).

        The vectors are stored as float64, or float32 with --dtype float32 (half the file; what \
        most search engines take). Factors a file stores as float32 are read as float32 and \
        widened only a block of rows at a time, so memory stays near the size of the inputs.

        Example:
          mftool export --ann --users u.h5 --items v.h5 --out ann.h5
          mftool export --ann --users u.h5 --items v.h5 --dtype float32 --out ann.h5 --json
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Flag(help: "Vectors for inner-product search (the one export there is).") var ann = false
    @Option(help: "User factors.", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Output HDF5 file (.h5).", completion: .file()) var out: String
    @OptionGroup(title: "Output") var output: OutputOptions
    @Option(help: "Stored dtype of item_vectors and query_vectors: float64 or float32 (query_offsets stay float64).")
    var dtype: Solve.OutputType = .float64
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @Flag(name: .shortAndLong, help: "No summary on stderr.") var quiet = false
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    func validate() throws {
        guard ann else { throw ValidationError("say what to export: --ann") }
    }

    mutating func run() throws {
        _ = try output.format(of: out, .annVectors, option: "--out")
        let loaded = try LoadedModel(users: FileSpec(users), items: FileSpec(items), alignment: alignment.alignment, reading: .asStored, limits: resources.limits)
        let model = loaded.model
        let columns = model.annColumns
        let itemVectors = ANNVectorsFile.Vectors(rows: model.items.rows, columns: columns, ids: loaded.itemIDs) { model.annItemRows($0) }
        let queries = ANNVectorsFile.Vectors(rows: model.users.rows, columns: columns, ids: loaded.userIDs) { model.annQueryRows($0) }
        let single = dtype == .float32
        try resources.limits.memory.charge(ANNVectorsFile.workingMemory(itemVectors, single: single) + ANNVectorsFile.workingMemory(queries, single: single)
                                 + [(model.users.rows, 8)],
                                 what: "exporting \(itemVectors.rows) item and \(queries.rows) query vectors of \(columns) components (a block of rows of each, the query offsets)")
        let provenance = Provenance(command: "export", settings: ["ann": true, "dtype": dtype.rawValue], inputs: ["users": users, "items": items])
        try ANNVectorsFile.write(items: itemVectors, queries: queries, offsets: model.annOffsets, single: single,
                                 to: out, provenance: provenance)
        if json {
            Console.out(Console.json(["items": itemVectors.rows, "queries": queries.rows, "columns": columns,
                                      "dtype": dtype.rawValue, "out": out] as [String: Any]))
        }
        if !quiet {
            Console.error("exported \(itemVectors.rows) item vectors and \(queries.rows) query vectors of \(columns) components → \(out)")
        }
    }
}
