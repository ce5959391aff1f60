import Foundation
import IO
import Loading
import Matrices
import Solvers

extension Merge {
    /// Concatenates the parts of a sharded recommend (HDF5, with the part record) in user
    /// order and writes `out` in the format of its extension, as unsharded recommend writes
    /// it: CSV and JSONL byte for byte, HDF5 dataset for dataset (with the first part's
    /// provenance).
    static func mergeRecommendations(parts: [String], out: String, format: OutputFormat, json: Bool, quiet: Bool,
                                     limits: ReadLimits) throws {
        var read: [String: RecommendationsFile.Part] = [:]
        var pairs = 0
        for path in parts {
            guard FileFormat.detect(path) == .hdf5 else {
                throw DataError("\(path): is not a recommendations part (HDF5); merge the parts of one run")
            }
            let part = try RecommendationsFile.readPart(path, limits: limits)
            // The parts read so far, and the merged lists that will hold them all again.
            pairs = Swift.min(Int.max / 64, pairs + WorkingMemory.cells(part.lists.users.count, Swift.max(1, part.k)))
            try limits.memory.charge([(pairs, 2 * 16)], what: "merging recommendation parts (\(pairs) user-item pairs in \(read.count + 1) parts so far, and their merged lists)")
            read[path] = part
        }
        let ordered = try ShardPart.ordered(parts.map { ($0, read[$0]!.part) })
        let first = read[ordered[0].path]!
        var merged = first.lists
        merged.users = []
        merged.lists = []
        for (path, _) in ordered {
            let part = read[path]!
            guard part.k == first.k, part.lists.integerUsers == first.lists.integerUsers,
                  part.lists.integerItems == first.lists.integerItems else {
                throw DataError("\(path): is not a part of the same run as \(ordered[0].path): its K or id types differ")
            }
            merged.users += part.lists.users
            merged.lists += part.lists.lists
        }
        try RecommendationsFile.write(merged, k: first.k, to: out, format: format, provenance: provenance(first.provenance))
        let listed = merged.lists.reduce(0) { $0 + $1.count }
        if json {
            Console.out(Console.json(["kind": "recommendations", "parts": parts.count, "users": merged.users.count, "k": first.k,
                                      "recommendations": listed, "out": out] as [String: Any]))
        }
        if !quiet { Console.error("merged \(parts.count) parts: \(first.k) items for \(merged.users.count) users → \(out)") }
    }

    /// The provenance recorded by the parts, for the merged HDF5 file; nil when they lack it.
    static func provenance(_ attributes: [String: String]) -> Provenance? {
        let values = Provenance.attributeNames.compactMap { attributes[$0] }
        guard values.count == 4 else { return nil }
        return Provenance(version: values[0], command: values[1], settings: values[2], inputs: values[3])
    }
}
