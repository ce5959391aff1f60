import ArgumentParser
import Foundation
import IO
import Loading
import Matrices

/// `mftool merge`: joins the parts of a sharded run into the output the unsharded command
/// writes.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the parts of a sharded solve, eval or recommend into one output.",
        discussion: """
        Every part records its shard, its rows, the settings and a fingerprint of the inputs; \
        merge refuses parts of different runs and names a missing or repeated one. Factor \
        files are stitched in row order: the result's datasets equal the unsharded solve's, \
        bit for bit, for any number of shards. Eval parts carry exact partial sums, so the \
        merged metrics equal the unsharded ones. Recommendation parts are concatenated in user \
        order, in the format of --out's extension.

        Examples:
          mftool merge parts/u-*.h5 --out users.h5
          mftool merge parts/eval-*.json --json
          mftool merge parts/recs-*.h5 --out recs.csv
          mftool merge parts/recs-*.h5 --out recs.parquet
        """
    )

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Argument(help: "The parts, in any order.", completion: .file())
    var parts: [String]

    @Option(help: "The merged output (factor files and recommendations; for eval, where to write the report as JSON).", completion: .file())
    var out: String?

    @OptionGroup(title: "Output") var output: OutputOptions

    @Flag(help: "Print the summary (eval: the metrics) as JSON on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No summary on stderr.")
    var quiet = false

    mutating func run() throws {
        guard !parts.isEmpty else { throw ValidationError("give the parts to merge") }
        if let out { try OutputGroup.refuseOverlap(inputs: parts.map { FileSpec($0).path }, outputs: [out]) }
        let started = Date()
        switch try Merge.kind(of: parts[0], limits: resources.limits) {
        case .factors:
            guard let out else { throw ValidationError("merging factor files needs --out") }
            try mergeFactors(out: out, format: try output.format(of: out, .factors, option: "--out"), started: started)
        case .eval:
            if let out { _ = try output.format(of: out, .report, option: "--out") }
            try Merge.mergeEval(parts: parts, json: json, out: out, quiet: quiet, limits: resources.limits)
        case .recommendations:
            guard let out else { throw ValidationError("merging recommendations needs --out: .csv, .jsonl or .h5") }
            let format = try output.format(of: out, .recommendations, option: "--out")
            try Merge.mergeRecommendations(parts: parts, out: out, format: format, json: json, quiet: quiet, limits: resources.limits)
        }
    }

    /// The kind a part records: `factors` (HDF5 factor files), `eval`, `recommendations`.
    static func kind(of path: String, limits: ReadLimits) throws -> ShardPart.Kind {
        if FileFormat.detect(path) == .hdf5 {
            guard let part = try ShardPart.read(path, limits: limits) else {
                throw DataError("\(path): not a part of a sharded run (no shard attributes); nothing to merge")
            }
            return part.kind
        }
        return .eval
    }
}
