import ArgumentParser
import IO
import Loading
import Matrices
import Solvers

extension ObjectiveOptions {
    /// A factor file for `factors` recording this objective, μ, the item bias (its source and its
    /// values) and the mftool version.
    func factorFile(_ factors: DenseMatrix<Double>, ids: IDMap, side: FactorFile.Side = .users, mean: Double, limits: ReadLimits) -> FactorFile {
        var file = FactorFile(side: side, factors: factors, ids: ids)
        var recorded = objective
        if recorded.offset == .globalMean { recorded.fixedMean = mean }
        file.objective = recorded
        file.userBias = recorded.userBias
        file.offset = recorded.offset
        file.globalMean = mean
        file.itemBiasSource = itemBias.map { FileSpec($0) }
        // The fixed item bias itself is stored too, so that eval and recommend need no other
        // file; the problem has read it already, so reading it again succeeds.
        file.itemBias = itemBias.flatMap { try? EmbeddingsFile.readVector(FileSpec($0), limits: limits) }
        file.version = mftoolVersion
        return file
    }
}
