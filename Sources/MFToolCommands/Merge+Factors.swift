import Foundation
import IO
import Loading
import Matrices

extension Merge {
    /// Stitches factor-file parts in shard order (``FactorFile/merge(_:side:to:)``), one part in
    /// memory at a time, after checking their records belong to one run.
    func mergeFactors(out: String, format: OutputFormat, started: Date) throws {
        var records: [(path: String, part: ShardPart)] = []
        for path in parts {
            guard let part = try ShardPart.read(path, limits: resources.limits), part.kind == .factors else {
                throw DataError("\(path): not a factor-file part of a sharded run")
            }
            records.append((path, part))
        }
        let ordered = try ShardPart.ordered(records).map(\.path)
        let side: FactorFile.Side = try FactorFile.holdsItems(ordered[0], limits: resources.limits) ? .items : .users
        let (rows, columns) = try FactorFile.merge(ordered, side: side, to: out, format: format, provenance: try provenance(ordered),
                                                     limits: resources.limits)
        if json {
            Console.out(Console.json(["kind": "factors", "parts": parts.count, "rows": rows, "columns": columns, "out": out]))
        }
        if !quiet {
            Console.error("merged \(parts.count) parts: \(rows) \(side.rawValue) × \(columns) → \(out) (\(Console.seconds(since: started)))")
        }
    }

    /// What the merged file records: command merge, the parts' own command, settings and
    /// inputs (every part of a run has the same), and the parts.
    func provenance(_ ordered: [String]) throws -> Provenance {
        let first = try Provenance.read(ordered[0], limits: resources.limits)
        func object(_ name: String) -> Any {
            first[name].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? [String: Any]()
        }
        return Provenance(version: mftoolVersion, command: "merge",
                          settings: Console.json(["parts": ordered.count, "part_command": first["mftool_command"] ?? "",
                                                  "part_settings": object("mftool_settings")] as [String: Any]),
                          inputs: Console.json(["parts": ordered, "part_inputs": object("mftool_inputs")] as [String: Any]))
    }
}
