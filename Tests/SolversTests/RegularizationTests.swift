import Matrices
@testable import Solvers
import Testing

/// The penalty's part of A_u, λ on the penalized diagonal, against matrices written out by hand.
@Suite("Regularization adds λ to the penalized diagonal only")
struct RegularizationTests {
    /// A problem of two items and k = 2, with or without a user bias (w = 3 with one).
    func problem(userBias: Bool) throws -> RidgeProblem {
        let R = CSRMatrix(rows: 1, columns: 2, indptr: [0, 1], indices: [0], values: [1])
        var objective = Objective(lambda: 0.5, alpha: 1)
        objective.userBias = userBias
        return try RidgeProblem(interactions: R, items: DenseMatrix(rows: 2, columns: 2, storage: [1, 2, 3, 4]), objective: objective)
    }

    @Test("without a user bias every diagonal entry gets λ, in a padded layout too")
    func everyComponent() throws {
        let problem = try problem(userBias: false)
        // w = 2 in rows of stride 3: the padding column and row stay as they were.
        var a: [Float] = [1, 2, 9,
                          3, 4, 9,
                          9, 9, 9]
        problem.addRegularization(Float(0.25), to: &a, stride: 3)
        #expect(a == [1.25, 2, 9,
                      3, 4.25, 9,
                      9, 9, 9])
    }

    @Test("under a user bias the bias column's diagonal entry is left as it was")
    func biasColumnUntouched() throws {
        let problem = try problem(userBias: true)
        var a: [Double] = [1, 2, 3,
                           4, 5, 6,
                           7, 8, 9]
        problem.addRegularization(0.5, to: &a, stride: 3)
        #expect(a == [1.5, 2, 3,
                      4, 5.5, 6,
                      7, 8, 9])
    }
}
