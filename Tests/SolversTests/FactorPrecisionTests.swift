import Foundation
import Matrices
@testable import Solvers
import Testing

/// Factors kept as Float32 (a float32 file read for single-precision scoring) against the same
/// values widened to Float64 (how every file was read before): the rankings, metrics and
/// neighbours are the same, and the scoring reads Float32 items in place instead of a copy.
@Suite("Float32 factors scored without a Float64 copy")
struct FactorPrecisionTests {
    /// A model whose entries are Float32 values, once stored as Float32 and once as Float64.
    func models(users m: Int, items n: Int, k: Int, userBias: Bool, seed: UInt64) throws -> (single: FactorModel, double: FactorModel) {
        var rng = SplitMix64(seed: seed)
        func draw(_ count: Int) -> [Float] { (0..<count).map { _ in Float(rng.normal()) } }
        let w = k + (userBias ? 1 : 0)
        let users = DenseMatrix(rows: m, columns: w, storage: draw(m * w))
        let items = DenseMatrix(rows: n, columns: k, storage: draw(n * k))
        let bias = (0..<n).map { _ in Double(Float(rng.normal() / 4)) }
        func widened(_ x: DenseMatrix<Float>) -> FactorMatrix { .double(DenseMatrix(rows: x.rows, columns: x.columns, storage: x.storage.map(Double.init))) }
        let single = try FactorModel(users: .single(users), items: .single(items), mean: 0.25, itemBias: bias, userBias: userBias)
        let double = try FactorModel(users: widened(users), items: widened(items), mean: 0.25, itemBias: bias, userBias: userBias)
        return (single, double)
    }

    func interactions(users m: Int, items n: Int, perUser: Int, seed: UInt64) -> CSRMatrix {
        var rng = SplitMix64(seed: seed)
        var indptr = [0], indices: [Int32] = []
        for _ in 0..<m {
            let row = Set((0..<perUser).map { _ in Int32(rng.next() % UInt64(n)) }).sorted()
            indices += row
            indptr.append(indices.count)
        }
        return CSRMatrix(rows: m, columns: n, indptr: indptr, indices: indices, values: indices.map { _ in 1 })
    }

    @Test("eval's totals and recommend's lists are the same bits from Float32 and widened storage",
          arguments: [RidgeSolver.Precision.single, .double], [false, true])
    func sameResults(precision: RidgeSolver.Precision, userBias: Bool) throws {
        let (single, double) = try models(users: 150, items: 9000, k: 24, userBias: userBias, seed: 11)
        let train = interactions(users: 150, items: 9000, perUser: 30, seed: 12)
        let test = interactions(users: 150, items: 9000, perUser: 5, seed: 13)
        var evaluator = RankingEvaluator(cutoffs: [5, 20])
        (evaluator.precision, evaluator.threads, evaluator.blockSize, evaluator.computeAUC) = (precision, 2, 64, true)
        #expect(evaluator.totals(model: single, test: test, train: train) == evaluator.totals(model: double, test: test, train: train))
        #expect(RatingMetrics.totals(model: single, test: test) == RatingMetrics.totals(model: double, test: test))
        let users = Array(0..<150)
        let a = evaluator.recommend(model: single, users: users, train: train, k: 20)
        let b = evaluator.recommend(model: double, users: users, train: train, k: 20)
        #expect(a.map { $0.map(\.item) } == b.map { $0.map(\.item) })
        #expect(a.map { $0.map(\.score) } == b.map { $0.map(\.score) })
    }

    @Test("the items are scored in place when stored in the scores' precision without a user bias; copied otherwise")
    func itemRowsShared() throws {
        for userBias in [false, true] {
            let (single, double) = try models(users: 4, items: 50, k: 8, userBias: userBias, seed: 3)
            let copied = [RankingEvaluator.withItemRows(single, as: Float.self) { $1 },
                          RankingEvaluator.withItemRows(double, as: Double.self) { $1 },
                          RankingEvaluator.withItemRows(single, as: Double.self) { $1 },
                          RankingEvaluator.withItemRows(double, as: Float.self) { $1 }]
            #expect(copied == (userBias ? [true, true, true, true] : [false, false, true, true]), "user bias \(userBias)")
            // Whichever way, row i holds v_i (and 1 against the user bias).
            RankingEvaluator.withItemRows(single, as: Float.self) { rows, _ in
                let w = single.users.columns
                #expect((0..<50).allSatisfy { i in (0..<8).allSatisfy { rows[i * w + $0] == Float(single.items[i, $0]) } })
                if userBias { #expect((0..<50).allSatisfy { rows[$0 * w + 8] == 1 }) }
            }
        }
    }

    @Test("similar from Float32 rows equals similar from the widened rows", arguments: RankingEvaluator.Similarity.allCases)
    func similarSame(metric: RankingEvaluator.Similarity) throws {
        let (single, double) = try models(users: 1, items: 400, k: 16, userBias: false, seed: 7)
        for precision in [RidgeSolver.Precision.single, .double] {
            var evaluator = RankingEvaluator(cutoffs: [6])
            (evaluator.precision, evaluator.threads, evaluator.blockSize) = (precision, 2, 64)
            let rows = Array(0..<400)
            let a = evaluator.similar(vectors: single.items, rows: rows, metric: metric, k: 6)
            let b = evaluator.similar(vectors: double.items, rows: rows, metric: metric, k: 6)
            #expect(a.map { $0.map(\.item) } == b.map { $0.map(\.item) }, "\(precision)")
            #expect(a.map { $0.map(\.score) } == b.map { $0.map(\.score) }, "\(precision)")
        }
    }

    @Test("the quantized items are the same from either storage, and packing by chunks equals packing at once")
    func quantizedChunks() throws {
        let (single, double) = try models(users: 1, items: 2500, k: 13, userBias: false, seed: 9)
        let a = QuantizedItems(model: single), b = QuantizedItems(model: double)
        #expect(a.packed == b.packed && a.scale == b.scale && a.l1Max == b.l1Max && a.biasWeight == b.biasWeight)
        var rows = [Double](repeating: 0, count: 2500 * a.width)
        for i in 0..<2500 {
            for j in 0..<13 { rows[i * a.width + j] = double.items[i, j] }
            rows[i * a.width + 13] = double.itemBias![i] / a.biasWeight
        }
        var whole = [UInt8](repeating: 128, count: a.groups * a.k4 * 64)
        whole.withUnsafeMutableBufferPointer { p in
            NativeKernels.packQuantizedItems(n: 2500, width: a.width, v: rows, ldv: a.width, inverseScale: 1 / a.scale, k4: a.k4,
                                             groups: a.groups, packed: p.baseAddress!)
        }
        #expect(a.packed == whole)
        #expect(a.scale == rows.reduce(0) { Swift.max($0, abs($1)) } / 127)
    }
}
