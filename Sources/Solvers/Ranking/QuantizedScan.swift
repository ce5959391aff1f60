import Matrices

/// One thread's buffers for ranking a block of users through `QuantizedItems`: bytes for the
/// users, a bound on each user's quantization error, the candidates the integer scan finds, and
/// their exact scores.
///
/// With user scale s_x, item scale s_v and rounding within half a step, the real score differs
/// from s_x·s_v·Σ q_x·q_v by at most (s_v/2)‖x‖₁ + (s_x/2)·max‖v‖₁ + width·s_x·s_v/4. An item
/// whose integer sum plus that bound (and a margin for the rounding of exact scores) stays below
/// the user's floor cannot reach it; every other item is a candidate, scored exactly in the
/// ranking's precision. So a user whose top-K list fills from candidates at or above the floor
/// has the exact list, and one whose list does not (or whose candidates overflow) is ranked
/// again in full by the caller.
struct QuantizedScan {
    let items: QuantizedItems
    /// Candidates kept per user, and the row stride of `candidates`.
    let cap: Int, stride: Int
    private var augmented: [Double], bytes: [Int8], scales: [Double], sums: [Int32]
    private var thresholds: [Int32], counts: [Int32], candidates: [Int32]
    /// Per user: candidates handled so far, the training row (start, length, position reached),
    /// and the scored candidates at or above the floor (scores and items, `cap` each).
    private var done: [Int32], trainStart: [Int64], trainCount: [Int32], trainAt: [Int32], kept: [Int32]
    private var keptScores: [Double], keptItems: [Int32]
    /// 16-item groups scanned before the caller's candidates are scored (their rows stay in cache).
    static let panelGroups = 64

    init(items: QuantizedItems, blockSize: Int, k: Int, capacity: Int? = nil) {
        self.items = items
        // A user with more candidates than the cap is ranked in full. 8·K (at least 4096) leaves
        // room well beyond the ~2K items a sampled floor lets through, and keeps the buffers
        // (blockSize × cap) small for large K.
        cap = capacity ?? Swift.min(items.groups * 16, Swift.max(4096, 8 * k))
        stride = cap + 16
        augmented = [Double](repeating: 0, count: blockSize * items.width)
        bytes = [Int8](repeating: 0, count: blockSize * items.k4 * 4)
        scales = [Double](repeating: 0, count: blockSize)
        sums = [Int32](repeating: 0, count: blockSize)
        thresholds = [Int32](repeating: 0, count: blockSize)
        counts = [Int32](repeating: 0, count: blockSize)
        candidates = [Int32](repeating: 0, count: blockSize * stride)
        done = [Int32](repeating: 0, count: blockSize)
        trainStart = [Int64](repeating: 0, count: blockSize)
        (trainCount, trainAt, kept) = (done, done, done)
        keptScores = [Double](repeating: 0, count: blockSize * cap)
        keptItems = [Int32](repeating: 0, count: blockSize * cap)
    }

    /// Offers each user of the block (rows: the users' rows in S, w values each, as the ranking
    /// scores them) the items that reach its floor, scored exactly; users whose floor is −∞ or
    /// whose candidates overflow get nothing.
    mutating func rank<S: LinearAlgebraScalar>(model: FactorModel, users: ArraySlice<Int>, rows: UnsafePointer<S>, w: Int,
                                               itemMatrix: UnsafePointer<S>, itemBias: [S]?, train: CSRMatrix?, floors: [S],
                                               heaps: inout [TopK]) {
        quantizeUsers(model: model, users: users)
        setThresholds(model: model, users: users, rows: rows, w: w, floors: floors)
        startTrainingRows(users: users, train: train)
        itemBias.withOptionalPointer { bias in
            train.withIndicesPointer { trainIndices in
                let inputs = BlockInputs(rows: rows, w: w, itemMatrix: itemMatrix, bias: bias, train: trainIndices, floors: floors)
                var g0 = 0
                while g0 < items.groups {
                    let g1 = Swift.min(items.groups, g0 + QuantizedScan.panelGroups)
                    scan(groups: g0..<g1, users: users.count, inputs)
                    g0 = g1
                }
            }
        }
        keepBest(users: users.count, floors: floors, heaps: &heaps)
    }

    /// The block's rows for the rescoring: the users' rows (w values each), the item rows and
    /// biases, the training rows' item indices, and the users' floors.
    private struct BlockInputs<S> {
        let rows: UnsafePointer<S>, w: Int
        let itemMatrix: UnsafePointer<S>, bias: UnsafePointer<S>?
        let train: UnsafePointer<Int32>?
        let floors: [S]
    }

    /// The users' rows with the bias column (`augmented`), quantized to bytes with their scales
    /// and byte sums.
    private mutating func quantizeUsers(model: FactorModel, users: ArraySlice<Int>) {
        let (k, width, k4) = (items.k, items.width, items.k4)
        for (r, u) in users.enumerated() {
            for j in 0..<k { augmented[r * width + j] = model.users[u, j] }
            if width > k { augmented[r * width + k] = items.biasWeight }
        }
        NativeKernels.quantizeRows(rows: users.count, width: width, x: augmented, ldx: width, k4: k4, bytes: &bytes, scales: &scales, sums: &sums)
    }

    /// Each user's threshold on the integer sums: the floor less the bound on the quantization
    /// and rounding errors, in integer units (`.max` for a floor of −∞); counts start at zero.
    private mutating func setThresholds<S: LinearAlgebraScalar>(model: FactorModel, users: ArraySlice<Int>, rows: UnsafePointer<S>, w: Int,
                                                                floors: [S]) {
        let (k, width) = (items.k, items.width)
        let epsilon = Double(S.ulpOfOne) / 2
        let sv = items.scale
        for (r, u) in users.enumerated() {
            guard floors[r] > -.infinity else {
                thresholds[r] = .max
                continue
            }
            var l1 = 0.0, full = 0.0
            for j in 0..<width { l1 += abs(augmented[r * width + j]) }
            for j in 0..<w { full += abs(Double(rows[r * w + j])) }
            let sx = scales[r]
            let quantization = sv / 2 * l1 + sx / 2 * items.l1Max + Double(width) * sx * sv / 4
            let rounding = 4 * Double(w + 2) * epsilon * (full * Swift.max(1, items.vMax) + items.bMax)
            let userBias = model.userBias ? model.users[u, k] : 0
            let reach = (Double(floors[r]) - userBias - (quantization + rounding) * (1 + 1e-6)) / (sx * sv)
            let t = reach.isNaN ? -Double(1 << 30) : Swift.min(Double(1 << 30), Swift.max(-Double(1 << 30), reach.rounded(.down) - 1))
            thresholds[r] = Int32(t) + 128 * sums[r]
            counts[r] = 0
        }
    }

    /// Each user's training row (start and length in `train`), none handled yet.
    private mutating func startTrainingRows(users: ArraySlice<Int>, train: CSRMatrix?) {
        for (r, u) in users.enumerated() {
            (done[r], kept[r], trainAt[r]) = (0, 0, 0)
            let row = train.map { u < $0.rows ? $0.range(ofRow: u) : 0..<0 } ?? 0..<0
            (trainStart[r], trainCount[r]) = (Int64(row.lowerBound), Int32(row.count))
        }
    }

    /// Scans the 16-item `groups` for candidates, then scores the new candidates while their
    /// rows are still in cache.
    private mutating func scan<S: LinearAlgebraScalar>(groups: Range<Int>, users count: Int, _ inputs: BlockInputs<S>) {
        NativeKernels.quantizedCandidates(fast: true, k4: items.k4, users: count, x: bytes, packed: items.packed, groups: groups,
                                          thresholds: thresholds, candidates: &candidates, stride: stride, cap: cap, counts: &counts)
        S.rescoreBlock(.best, users: count, w: inputs.w, x: inputs.rows, v: inputs.itemMatrix, bias: inputs.bias, n: items.n,
                       candidates: &candidates, stride: stride, counts: counts, cap: cap, done: &done, train: inputs.train,
                       trainStart: trainStart, trainCount: trainCount, trainAt: &trainAt, floors: inputs.floors, scores: &keptScores,
                       items: &keptItems, kept: &kept)
    }

    /// Each user's best kept pairs, sorted, as its top-K list (users whose floor is −∞ or whose
    /// candidates overflowed keep theirs).
    private mutating func keepBest<S: LinearAlgebraScalar>(users count: Int, floors: [S], heaps: inout [TopK]) {
        let cap = cap
        keptScores.withUnsafeMutableBufferPointer { sp in
            keptItems.withUnsafeMutableBufferPointer { ip in
                for r in 0..<count where floors[r] > -.infinity && Int(counts[r]) <= cap {
                    let (scores, ids) = (sp.baseAddress! + r * cap, ip.baseAddress! + r * cap)
                    let best = NativeKernels.sortedBest(scores: scores, items: ids, count: Int(kept[r]), k: heaps[r].capacity)
                    heaps[r].assignSorted(scores: scores, items: ids, count: best)
                }
            }
        }
    }
}

extension Optional {
    /// The array's storage as a pointer, nil for nil.
    fileprivate func withOptionalPointer<E, R>(_ body: (UnsafePointer<E>?) -> R) -> R where Wrapped == [E] {
        switch self {
        case .some(let array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: return body(nil)
        }
    }

    /// The matrix's column indices as a pointer, nil for nil.
    fileprivate func withIndicesPointer<R>(_ body: (UnsafePointer<Int32>?) -> R) -> R where Wrapped == CSRMatrix {
        switch self {
        case .some(let matrix): return matrix.indices.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: return body(nil)
        }
    }
}

