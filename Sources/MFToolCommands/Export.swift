import ArgumentParser
import Foundation
import IO
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

        Example:
          mftool export --ann --users u.h5 --items v.h5 --out ann.h5
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Flag(help: "Vectors for inner-product search (the one export there is).") var ann = false
    @Option(help: "User factors.", completion: .file()) var users: String
    @Option(help: "Item embeddings.", completion: .file()) var items: String
    @Option(help: "Output HDF5 file.", completion: .file()) var out: String
    @OptionGroup(title: "Id alignment") var alignment: ModelInputOptions
    @Flag(name: .shortAndLong, help: "No summary on stderr.") var quiet = false

    func validate() throws {
        guard ann else { throw ValidationError("say what to export: --ann") }
    }

    mutating func run() throws {
        let loaded = try LoadedModel(users: users, items: items, options: alignment)
        let vectors = loaded.model.annVectors
        let contents = ANNVectorsFile.Contents(items: vectors.items, itemIDs: loaded.itemIDs, queries: vectors.queries,
                                               userIDs: loaded.userIDs, offsets: vectors.offsets)
        let provenance = Provenance(command: "export", settings: ["ann": true], inputs: ["users": users, "items": items])
        try ANNVectorsFile.write(contents, to: out, provenance: provenance)
        if !quiet {
            Console.error("exported \(vectors.items.rows) item vectors and \(vectors.queries.rows) query vectors of \(vectors.items.columns) components → \(out)")
        }
    }
}
