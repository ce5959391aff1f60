import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

extension SyntheticData.Values: ExpressibleByArgument {}

/// `mftool generate`: synthetic interactions and item embeddings with a planted structure.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate synthetic interactions (power-law items, log-normal users, planted low-rank values) and item embeddings.",
        discussion: """
        Writes a canonical interactions file and an embeddings file whose item_factors are the \
        planted item matrix (so a solve against it recovers the planted user factors, written to \
        --users-out when given). Deterministic for a --seed.

        Presets: seed (500 × 1,000, k = 50, dense targets, as the PyTorch example), ml100k-shape \
        (943 × 1,682, 100,000 ratings, k = 32), ml20m-shape (138,493 × 26,744, ≈16M ratings, k = 64).

        Examples:
          mftool generate --preset ml100k-shape --out r.h5 --items-out v.h5
          mftool generate --users 10000 --items 2000 --nnz 500000 --k 32 --values counts --out r.h5 --items-out v.h5
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "seed, ml100k-shape or ml20m-shape; explicit sizes override its fields.") var preset: String?
    @Option(help: "Number of users (rows).") var users: Int?
    @Option(help: "Number of items (columns).") var items: Int?
    @Option(help: "Target number of interactions; every user gets at least one.") var nnz: Int?
    @Option(help: "Rank of the planted model: the columns of the item embeddings.") var k: Int?
    @Option(help: "ratings (1–5 in half steps) or counts (implicit, ≥ 1).") var values: SyntheticData.Values = .ratings
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Interactions output (.h5, .h5ad, .mtx, .csv or .tsv).", completion: .file()) var out: String
    @Option(name: .customLong("items-out"), help: "Item embeddings output (.h5: item_factors + item_ids; .h5ad: AnnData).", completion: .file())
    var itemsOut: String
    @Option(name: .customLong("users-out"), help: "Also write the planted user factors here.", completion: .file()) var usersOut: String?
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Flag(name: .shortAndLong, help: "No summary or progress line on stderr.") var quiet = false
    @OptionGroup(title: "Output") var output: OutputOptions

    func spec() throws -> SyntheticData {
        var d: SyntheticData
        if let preset {
            guard let p = SyntheticData.preset(preset) else { throw ValidationError("unknown --preset '\(preset)': use seed, ml100k-shape or ml20m-shape") }
            d = p
        } else {
            guard users != nil, items != nil, nnz != nil, k != nil else {
                throw ValidationError("give --preset, or all of --users, --items, --nnz and --k")
            }
            d = SyntheticData(users: 1, items: 1, nnz: 1, k: 1)
        }
        if let users { d.users = users }
        if let items { d.items = items }
        if let nnz { d.nnz = nnz }
        if let k { d.k = k }
        guard d.users >= 1, d.items >= 2, d.nnz >= d.users, d.k >= 1 else {
            throw ValidationError("need users ≥ 1, items ≥ 2, nnz ≥ users, k ≥ 1")
        }
        d.values = values
        d.seed = seed
        return d
    }

    mutating func run() throws {
        let started = Date()
        let spec = try spec()
        let outFormat = try output.format(of: out, .interactions, option: "--out")
        let itemsFormat = try output.format(of: itemsOut, .factors, option: "--items-out")
        let usersFormat = try usersOut.map { try output.format(of: $0, .factors, option: "--users-out") }
        try spec.chargeWorkingMemory(to: resources.limits.memory)
        let progress = ProgressLine("generate", unit: "users", quiet: quiet)
        let data = spec.generate(progress: progress.handler)
        progress.finish()
        let provenance = provenance(spec)
        try InteractionsFile.write(data.interactions, to: out, format: outFormat, provenance: provenance,
                                   memory: resources.limits.memory)
        try provenance.writeEmbeddings(data.items, ids: data.interactions.itemIDs, to: itemsOut, format: itemsFormat)
        if let usersOut {
            var users = FactorFile(factors: data.users, ids: data.interactions.userIDs)
            users.version = mftoolVersion
            try users.write(to: usersOut, format: usersFormat, provenance: provenance)
        }
        let x = data.interactions
        if json {
            Console.out(Console.json(["users": x.userCount, "items": x.itemCount, "nnz": x.matrix.nnz, "k": data.items.columns,
                                      "out": out, "items_out": itemsOut, "users_out": usersOut ?? NSNull(),
                                      "seconds": Date().timeIntervalSince(started)]))
        }
        if !quiet {
            Console.error("generated \(x.userCount) users × \(x.itemCount) items, \(x.matrix.nnz) interactions, k = \(data.items.columns) → \(out), \(itemsOut) (\(Console.seconds(since: started)))")
        }
    }

    /// What the HDF5 outputs record: the generator's settings after the preset is applied.
    func provenance(_ d: SyntheticData) -> Provenance {
        Provenance(command: "generate",
                   settings: ["preset": preset, "users": d.users, "items": d.items, "nnz": d.nnz, "k": d.k,
                              "values": d.values.rawValue, "seed": d.seed, "dense": d.dense],
                   inputs: [:])
    }
}
