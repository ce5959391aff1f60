import Foundation
import Matrices

/// Synthetic interaction logs with the shape of real ones: power-law (Zipf) item popularity,
/// log-normal user activity, and values from a planted low-rank model, so recovery can be checked.
public struct SyntheticData: Sendable {
    /// What the values are.
    public enum Values: String, Sendable, CaseIterable {
        /// Ratings 1…5 in half steps from the planted model plus noise.
        case ratings
        /// Implicit counts ≥ 1.
        case counts
    }

    public var users: Int
    public var items: Int
    /// The target number of interactions (each user has at least one).
    public var nnz: Int
    public var k: Int
    public var seed: UInt64 = 0
    public var values: Values = .ratings
    /// Zipf exponent of item popularity.
    public var popularityExponent = 1.0
    /// σ of the log-normal user activity.
    public var activitySigma = 1.0
    /// Every (user, item) pair observed (a dense target matrix, as the PyTorch seed example).
    public var dense = false
    /// Standard deviation of the rating noise.
    public var noise = 0.5

    public init(users: Int, items: Int, nnz: Int, k: Int) {
        self.users = users
        self.items = items
        self.nnz = nnz
        self.k = k
    }

    /// The presets: `seed` (500 × 1,000 dense, k = 50), `ml100k-shape`, `ml20m-shape`.
    public static func preset(_ name: String) -> SyntheticData? {
        switch name {
        case "seed":
            var d = SyntheticData(users: 500, items: 1000, nnz: 500_000, k: 50)
            d.dense = true
            return d
        case "ml100k-shape": return SyntheticData(users: 943, items: 1682, nnz: 100_000, k: 32)
        case "ml20m-shape": return SyntheticData(users: 138_493, items: 26_744, nnz: 16_000_000, k: 64)
        default: return nil
        }
    }

    /// The generated interactions, the planted item factors (the fixed item matrix) and the
    /// planted user factors. `progress` sees the users generated so far.
    public func generate(progress: ProgressHandler? = nil) -> (interactions: Interactions, items: DenseMatrix<Double>, users: DenseMatrix<Double>) {
        var rng = SplitMix64(seed: seed)
        let scale = 1 / Double(k).squareRoot()
        let U = DenseMatrix(rows: users, columns: k, storage: (0..<(users * k)).map { _ in scale * rng.normal() })
        let V = DenseMatrix(rows: items, columns: k, storage: (0..<(items * k)).map { _ in scale * rng.normal() })
        var indptr = [0]
        var indices: [Int32] = []
        var vals: [Double] = []
        indices.reserveCapacity(dense ? users * items : nnz)
        vals.reserveCapacity(dense ? users * items : nnz)
        let popularity = Popularity(items: items, exponent: popularityExponent, rng: &rng)
        let counts = activity(rng: &rng)
        var chosen = [Bool](repeating: false, count: items)
        var row: [Int32] = []
        var ticker = ProgressTicker(progress, total: users)
        for u in 0..<users {
            if u & 255 == 0 { ticker?.tick(u) }
            row.removeAll(keepingCapacity: true)
            if dense {
                row = (0..<Int32(items)).map { $0 }
            } else {
                drawRow(user: u, count: counts[u], U: U, V: V, popularity: popularity, chosen: &chosen, row: &row, rng: &rng)
            }
            for j in row {
                indices.append(j)
                vals.append(value(user: u, item: Int(j), U: U, V: V, scale: scale, rng: &rng))
            }
            indptr.append(indices.count)
        }
        ticker?.finish()
        let matrix = CSRMatrix(rows: users, columns: items, indptr: indptr, indices: indices, values: vals)
        return (Interactions(matrix: matrix, userIDs: .positional(users), itemIDs: .positional(items)), V, U)
    }

    /// Item popularity: Zipf over a random ranking of the items, as cumulative weights.
    struct Popularity {
        let ranking: [Int], cumulative: [Double], total: Double

        init(items: Int, exponent: Double, rng: inout SplitMix64) {
            var ranking = Array(0..<items)
            rng.shuffle(&ranking)
            var cumulative = [Double](repeating: 0, count: items)
            var total = 0.0
            for r in 0..<items {
                total += pow(Double(r + 1), -exponent)
                cumulative[r] = total
            }
            (self.ranking, self.cumulative, self.total) = (ranking, cumulative, total)
        }

        /// An item drawn by popularity.
        func draw(_ rng: inout SplitMix64) -> Int {
            let target = rng.uniform() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < target { lo = mid + 1 } else { hi = mid }
            }
            return ranking[lo]
        }
    }

    /// Each user's number of interactions: log-normal activity scaled to the target nnz,
    /// 1 ≤ n_u ≤ items / 2.
    private func activity(rng: inout SplitMix64) -> [Int] {
        let raw = (0..<users).map { _ in exp(activitySigma * rng.normal()) }
        let rawTotal = raw.reduce(0, +)
        let cap = Swift.max(1, items / 2)
        return raw.map { Swift.min(cap, Swift.max(1, Int(($0 / rawTotal * Double(nnz)).rounded()))) }
    }

    /// User u's `count` distinct items, ascending, into `row`. Exposure follows popularity,
    /// choice follows preference: of three items drawn by popularity, the user takes the one the
    /// planted model likes best. `chosen` is all false before and after.
    private func drawRow(user u: Int, count: Int, U: DenseMatrix<Double>, V: DenseMatrix<Double>, popularity: Popularity,
                         chosen: inout [Bool], row: inout [Int32], rng: inout SplitMix64) {
        while row.count < count {
            var best = -1, bestScore = -Double.infinity
            for _ in 0..<3 {
                let item = popularity.draw(&rng)
                guard !chosen[item] else { continue }
                var score = 0.0
                for c in 0..<k { score += U[u, c] * V[item, c] }
                if score > bestScore { best = item; bestScore = score }
            }
            if best >= 0 { chosen[best] = true; row.append(Int32(best)) }
        }
        for j in row { chosen[Int(j)] = false }
        row.sort()
    }

    /// The value of user u's interaction with `item`: a rating or a count from the planted
    /// product (x_u·v_i / scale) and noise.
    private func value(user u: Int, item: Int, U: DenseMatrix<Double>, V: DenseMatrix<Double>, scale: Double,
                       rng: inout SplitMix64) -> Double {
        var score = 0.0
        for c in 0..<k { score += U[u, c] * V[item, c] }
        switch values {
        case .ratings:
            if dense {
                // Dense targets as the PyTorch example: the planted product plus small noise.
                return score / scale + 0.1 * rng.normal()
            }
            let r = 3.5 + 1.5 * score / scale + noise * rng.normal()
            return Swift.min(5, Swift.max(1, (r * 2).rounded() / 2))
        case .counts:
            return Swift.max(1, (exp(score / scale + noise * rng.normal())).rounded())
        }
    }
}
