import Foundation
import IO
import Matrices

extension Merge {
    /// Stitches factor-file parts in shard order: the factors and ids concatenated, the
    /// recorded settings those every part shares, no part record.
    func mergeFactors(out: String, started: Date) throws {
        var files: [(path: String, file: FactorFile)] = []
        for path in parts {
            let side = try Merge.side(of: path)
            files.append((path, try FactorFile.read(FileSpec(path), side: side)))
        }
        var records: [(path: String, part: ShardPart)] = []
        for (path, file) in files {
            guard let part = file.part else { throw DataError("\(path): not a part of a sharded run (no shard attributes)") }
            records.append((path, part))
        }
        let ordered = try ShardPart.ordered(records)
        let byPath = Dictionary(files.map { ($0.path, $0.file) }, uniquingKeysWith: { a, _ in a })
        let sorted = ordered.map { byPath[$0.path]! }
        var merged = sorted[0]
        merged.part = nil
        merged.factors = try Merge.stack(sorted, paths: ordered.map(\.path))
        merged.ids = try Merge.ids(sorted, paths: ordered.map(\.path))
        try merged.write(to: out)
        if json {
            Console.out(Console.json(["kind": "factors", "parts": parts.count, "rows": merged.factors.rows,
                                      "columns": merged.factors.columns, "out": out]))
        }
        if !quiet {
            Console.error("merged \(parts.count) parts: \(merged.factors.rows) \(merged.side.rawValue) × \(merged.factors.columns) → \(out) (\(Console.seconds(since: started)))")
        }
    }

    /// The side a factor part holds: items when it has `item_factors`, else users.
    static func side(of path: String) throws -> FactorFile.Side {
        try FactorFile.holdsItems(path) ? .items : .users
    }

    /// The parts' factor rows, one after the other; every part must have the rows its record
    /// names and one width.
    static func stack(_ files: [FactorFile], paths: [String]) throws -> DenseMatrix<Double> {
        let columns = files[0].factors.columns
        var storage: [Double] = []
        storage.reserveCapacity(files.reduce(0) { $0 + $1.factors.storage.count })
        for (file, path) in zip(files, paths) {
            let part = file.part!
            guard file.factors.rows == part.rows.count else {
                throw DataError("\(path): holds \(file.factors.rows) rows but records rows \(part.rows.lowerBound)..<\(part.rows.upperBound)")
            }
            guard file.factors.columns == columns || file.factors.rows == 0 else {
                throw DataError("\(path): has \(file.factors.columns) columns, \(paths[0]) has \(columns)")
            }
            storage += file.factors.storage
        }
        return DenseMatrix(rows: storage.count / max(columns, 1), columns: columns, storage: storage)
    }

    /// The parts' ids, concatenated; nil when the parts carry none. Ids repeated across parts
    /// (a file with repeated ids, which the unsharded read refuses) are refused here.
    static func ids(_ files: [FactorFile], paths: [String]) throws -> IDMap? {
        guard files.contains(where: { $0.ids != nil }) else { return nil }
        var all: [String] = []
        for (file, path) in zip(files, paths) {
            guard let ids = file.ids else { throw DataError("\(path): has no ids while other parts have") }
            all += ids.ids
        }
        do {
            return try IDMap(all).markedPositional(files.allSatisfy { $0.ids?.isPositional ?? true })
        } catch {
            throw DataError("\(paths[0]) …: the id '\(error.id)' occurs in two parts (repeated in the input)")
        }
    }
}
