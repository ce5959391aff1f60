import ArgumentParser
import IO
import Matrices
import Solvers

extension ObjectiveOptions {
    /// A factor file for `factors` recording this objective, μ, the item bias source and the
    /// mftool version.
    func factorFile(_ factors: DenseMatrix<Double>, ids: IDMap, side: FactorFile.Side = .users, mean: Double) -> FactorFile {
        var file = FactorFile(side: side, factors: factors, ids: ids)
        file.objective = FactorFile.Objective(objective)
        file.userBias = userBias
        file.offset = FactorFile.Offset(offset)
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

// The solver's settings in a factor file's terms.

extension FactorFile.Objective {
    init(_ objective: Objective) {
        let loss: Loss = switch objective.loss {
        case .observed: .observed
        case .dense: .dense
        case .implicit: .implicit
        }
        let regularization: Regularization = switch objective.regularization {
        case .constant: .constant
        case .count: .count
        }
        let confidence: Confidence = switch objective.confidence {
        case .onePlus: .onePlus
        case .linear: .linear
        }
        self.init(loss: loss, lambda: objective.lambda, regularization: regularization, alpha: objective.alpha, confidence: confidence)
    }
}

extension FactorFile.Offset {
    init(_ offset: Objective.Offset) {
        switch offset {
        case .none: self = .none
        case .globalMean: self = .globalMean
        }
    }
}

extension FactorFile.Run.Precision {
    init(_ precision: RidgeSolver.Precision) {
        switch precision {
        case .double: self = .double
        case .single: self = .single
        }
    }
}

extension FactorFile.Gradient.LossScale {
    init(_ scale: GradientTrainer.LossScale) {
        switch scale {
        case .sum: self = .sum
        case .mean: self = .mean
        }
    }
}
