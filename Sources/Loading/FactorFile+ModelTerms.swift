import Foundation
import IO
import Matrices
import Solvers

extension FactorFile {
    /// The factor file whose model terms (μ, user bias, item bias, loss) a model built from
    /// `users` (read from `usersPath`) uses, and its path: the file at `like`. A user file that
    /// records terms other than the `like` file's is an error naming both, unless `override`,
    /// which takes the `like` file's.
    public static func modelTerms(of users: FactorFile, usersPath: String, like path: String, override: Bool,
                                  limits: ReadLimits = ReadLimits()) throws -> (file: FactorFile, path: String) {
        let recorded = try FactorFile.readSettings(path, limits: limits)
        guard recorded.recordsModel else { throw DataError("\(path) records no model settings, so --like has nothing to take") }
        guard users.recordsModel && !override else { return (recorded, path) }
        var conflicts: [String] = []
        if users.userBias != recorded.userBias { conflicts.append("user_bias \(users.userBias ? 1 : 0) (--like: \(recorded.userBias ? 1 : 0))") }
        if users.offset != recorded.offset { conflicts.append("offset \(users.offset.rawValue) (--like: \(recorded.offset.rawValue))") }
        if users.mean != recorded.mean { conflicts.append("μ \(users.mean) (--like: \(recorded.mean))") }
        if (users.itemBias != nil || users.itemBiasSource != nil) != (recorded.itemBias != nil || recorded.itemBiasSource != nil)
            || (users.itemBias != nil && recorded.itemBias != nil && users.itemBias != recorded.itemBias) {
            conflicts.append("item bias \(users.itemBiasSource?.description ?? "none") (--like: \(recorded.itemBiasSource?.description ?? "none"))")
        }
        if let a = users.objective?.loss, let b = recorded.objective?.loss, a != b { conflicts.append("loss \(a.rawValue) (--like: \(b.rawValue))") }
        if !conflicts.isEmpty {
            throw DataError("\(usersPath) records \(conflicts.joined(separator: ", ")), contradicting \(path) (--override takes the --like file's)")
        }
        return (recorded, path)
    }

    /// The factor rows in the order of `users` (the interactions' users), matched by the one
    /// alignment rule: by id when both carry ids (every user needs a row), else by position when
    /// the counts agree. `argument` names this file, `interactions` the other side, in messages.
    public func factors(alignedTo users: IDMap, argument: String, interactions: String, requireIDs: Bool, allowShift: Bool,
                        notices: inout AlignmentNotices) throws -> DenseMatrix<Double> {
        let sides = IDAlignment.Sides(entity: "user", source: interactions, target: FileSpec(argument).path)
        let alignment = try IDAlignment.align(users, to: ids ?? .positional(factors.rows), sides, requireIDs: requireIDs,
                                              allowShift: allowShift)
        notices.add(alignment)
        if alignment.unknown > 0 {
            let first = users.ids[alignment.targets.firstIndex(of: -1)!]
            throw DataError("\(alignment.unknown) of \(users.count) users of \(interactions) have no row in \(argument) (first: '\(first)')")
        }
        if alignment.method != .byID { return factors }
        var out = DenseMatrix<Double>(rows: users.count, columns: factors.columns, repeating: 0)
        for (u, row) in alignment.targets.enumerated() {
            for c in 0..<out.columns { out[u, c] = factors[row, c] }
        }
        return out
    }
}
