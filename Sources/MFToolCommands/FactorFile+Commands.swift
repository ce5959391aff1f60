import ArgumentParser
import IO
import Matrices
import Solvers

extension ObjectiveOptions {
    /// A factor file for `factors` recording this objective, μ, the item bias source and the
    /// mftool version.
    func factorFile(_ factors: DenseMatrix<Double>, ids: IDMap, side: FactorFile.Side = .users, mean: Double) -> FactorFile {
        var file = FactorFile(side: side, factors: factors, ids: ids)
        var recorded = objective
        if offset == .globalMean { recorded.fixedMean = mean }
        file.objective = recorded
        file.userBias = userBias
        file.offset = offset
        file.globalMean = mean
        file.itemBiasSource = itemBias.map { FileSpec($0) }
        file.version = mftoolVersion
        return file
    }
}

extension FactorFile {
    /// The factor rows in the order of `aligned`, matched by id when the file carries ids;
    /// `argument` names the file in errors.
    func factors(alignedTo aligned: IDMap, argument: String) throws -> DenseMatrix<Double> {
        guard let ids, ids != aligned else {
            guard factors.rows == aligned.count else {
                throw ValidationError("\(argument) has \(factors.rows) rows but there are \(aligned.count) users")
            }
            return factors
        }
        var out = DenseMatrix<Double>(rows: aligned.count, columns: factors.columns, repeating: 0)
        for (u, id) in aligned.ids.enumerated() {
            guard let row = ids.index(of: id) else {
                throw ValidationError("\(argument) has no row for user '\(id)'")
            }
            for c in 0..<out.columns { out[u, c] = factors[row, c] }
        }
        return out
    }
}
