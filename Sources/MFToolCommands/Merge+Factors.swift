import Foundation
import IO
import Matrices

extension Merge {
    /// Stitches factor-file parts in shard order (``FactorFile/merge(_:side:to:)``), one part in
    /// memory at a time, after checking their records belong to one run.
    func mergeFactors(out: String, format: OutputFormat, started: Date) throws {
        var records: [(path: String, part: ShardPart)] = []
        for path in parts {
            guard let part = try ShardPart.read(path), part.kind == "factors" else {
                throw DataError("\(path): not a factor-file part of a sharded run")
            }
            records.append((path, part))
        }
        let ordered = try ShardPart.ordered(records).map(\.path)
        let side: FactorFile.Side = try FactorFile.holdsItems(ordered[0]) ? .items : .users
        let (rows, columns) = try FactorFile.merge(ordered, side: side, to: out, format: format)
        if json {
            Console.out(Console.json(["kind": "factors", "parts": parts.count, "rows": rows, "columns": columns, "out": out]))
        }
        if !quiet {
            Console.error("merged \(parts.count) parts: \(rows) \(side.rawValue) × \(columns) → \(out) (\(Console.seconds(since: started)))")
        }
    }
}
