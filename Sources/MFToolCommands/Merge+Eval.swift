import Foundation
import IO
import Loading
import Matrices
import Solvers

extension Merge {
    /// Merges the parts of a sharded eval (JSON: the part record and exact totals) in shard
    /// order and reports the metrics as eval does, through the same code path: the table, or
    /// JSON with `json`, or JSON into `out`.
    static func mergeEval(parts: [String], json: Bool, out: String?, quiet: Bool, limits: ReadLimits) throws {
        var read: [(path: String, part: ShardPart, totals: EvaluationTotals, test: String)] = []
        for path in parts { read.append(try evalPart(path, limits: limits)) }
        let ordered = try ShardPart.ordered(read.map { ($0.path, $0.part) })
        let byPath = Dictionary(read.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let first = byPath[ordered[0].path]!
        var totals = first.totals
        for (path, _) in ordered.dropFirst() {
            if let conflict = totals.merge(byPath[path]!.totals) {
                throw DataError("\(path): is not a part of the same run as \(first.path): \(conflict)")
            }
        }
        let (metrics, allowEmpty) = try evalSettings(first.part.settings, path: first.path)
        let report = try Eval.report(totals, metrics: metrics, test: first.test, allowEmpty: allowEmpty)
        try Eval.emit(report, json: json, out: out)
        if !quiet {
            Console.error("merged \(parts.count) eval parts: \(totals.counts["test_interactions"] ?? 0) test interactions\(out.map { " → \($0)" } ?? "")")
        }
    }

    /// One eval part: its record, totals and test file; parts of another kind are refused.
    static func evalPart(_ path: String, limits: ReadLimits) throws -> (path: String, part: ShardPart, totals: EvaluationTotals, test: String) {
        if FileFormat.detect(path) == .hdf5 {
            let kind = try ShardPart.read(path, limits: limits)?.kind.rawValue ?? "no"
            throw DataError("\(path): holds a \(kind) part, not an eval part (JSON); merge the parts of one run")
        }
        let object: [String: Any]
        do {
            let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            guard let dictionary = parsed as? [String: Any] else { throw DataError("\(path): not a JSON object") }
            object = dictionary
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("\(path): not an eval part: cannot be read as JSON (\(error.localizedDescription))")
        }
        let part = try ShardPart(json: object["part"], file: path)
        guard part.kind == .eval else { throw DataError("\(path): holds a \(part.kind) part, not an eval part") }
        guard let test = object["test"] as? String else { throw DataError("\(path): the part names no test file") }
        do {
            return (path, part, try EvaluationTotals(json: object["totals"]), test)
        } catch {
            throw DataError("\(path): \(error)")
        }
    }

    /// The metrics reported and whether an empty outcome is accepted, from a part's settings.
    static func evalSettings(_ settings: String, path: String) throws -> (Set<String>, Bool) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(settings.utf8)) as? [String: Any],
              let metrics = object["metrics"] as? [String], let allowEmpty = object["allow_empty"] as? Bool else {
            throw DataError("\(path): the part's settings lack the metrics or allow_empty")
        }
        return (Set(metrics), allowEmpty)
    }
}
