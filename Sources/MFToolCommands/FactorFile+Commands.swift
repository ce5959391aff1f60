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
