/// A model's items as bytes, for the candidate scan that lets ranking score exactly only the
/// items that can reach a user's floor (see `QuantizedScan`).
///
/// Item i's row is v_i followed, when the model has item biases, by b_i/c, and a user's row x_u
/// followed by c (c = max|b|/max|v|, so both columns share one scale); x_u·v_i + b_i is their
/// dot product. A user's bias is the same for every item and stays out. Every entry is
/// round(value/s) with one scale s = max|entry|/127 for all items.
struct QuantizedItems: @unchecked Sendable {
    /// Items, factor columns and the row length with the bias column.
    let n: Int, k: Int, width: Int
    /// 4-byte words per row, and 16-item groups packed (an even count).
    let k4: Int, groups: Int
    /// The packed bytes (`NativeKernels.packQuantizedItems`'s layout).
    let packed: [UInt8]
    /// The scale s, the largest row sum of |entry| (before rounding), and the user-side bias weight c.
    let scale: Double, l1Max: Double, biasWeight: Double
    /// The largest |v| and |b| of the model (for the rounding margin of exact scores).
    let vMax: Double, bMax: Double

    init(model: FactorModel) {
        n = model.items.rows
        k = model.items.columns
        let bias = model.itemBias
        width = k + (bias == nil ? 0 : 1)
        k4 = (width + 3) / 4
        groups = (n + 31) / 32 * 2
        let vMax = model.items.largestMagnitude
        let bMax = bias?.reduce(0) { Swift.max($0, abs($1)) } ?? 0
        let c = bias == nil ? 0 : (bMax > 0 && vMax > 0 ? bMax / vMax : 1)
        biasWeight = c
        (self.vMax, self.bMax) = (vMax, bMax)
        var row = [Double](repeating: 0, count: Swift.max(1, width))
        var (l1, largest) = (0.0, vMax)
        for i in 0..<n {
            Self.row(i, of: model, biasWeight: c, into: &row)
            l1 = Swift.max(l1, row.reduce(0) { $0 + abs($1) })
            if bias != nil { largest = Swift.max(largest, abs(row[k])) }
        }
        l1Max = l1
        scale = largest > 0 ? largest / 127 : 1
        packed = Self.pack(model, width: width, k4: k4, groups: groups, biasWeight: c, scale: scale)
    }

    /// Item i's row: v_i, then b_i/c when the model has item biases.
    private static func row(_ i: Int, of model: FactorModel, biasWeight c: Double, into row: inout [Double]) {
        let k = model.items.columns
        row.withUnsafeMutableBufferPointer { model.items.copyRow(i, count: k, into: $0.baseAddress!) }
        if let bias = model.itemBias { row[k] = bias[i] / c }
    }

    /// The items as bytes, packed a chunk of 16-item groups at a time so that only a chunk's
    /// rows are ever held in Float64.
    private static func pack(_ model: FactorModel, width: Int, k4: Int, groups: Int, biasWeight c: Double, scale: Double) -> [UInt8] {
        let n = model.items.rows, chunk = 64
        var packed = [UInt8](repeating: 128, count: Swift.max(1, groups * k4 * 64))
        var rows = [Double](repeating: 0, count: Swift.max(1, chunk * 16 * width))
        var row = [Double](repeating: 0, count: Swift.max(1, width))
        var g0 = 0
        while g0 < groups {
            let (g1, i0) = (Swift.min(groups, g0 + chunk), g0 * 16)
            let count = Swift.max(0, Swift.min(n, g1 * 16) - i0)
            for r in 0..<count {
                Self.row(i0 + r, of: model, biasWeight: c, into: &row)
                for j in 0..<width { rows[r * width + j] = row[j] }
            }
            packed.withUnsafeMutableBufferPointer { pp in
                NativeKernels.packQuantizedItems(n: count, width: width, v: rows, ldv: width, inverseScale: 1 / scale, k4: k4,
                                                 groups: g1 - g0, packed: pp.baseAddress! + g0 * k4 * 64)
            }
            g0 = g1
        }
        return packed
    }

    /// Whether the scan is worth it here: a fast kernel on this CPU and rows it takes.
    static var isFast: Bool { NativeKernels.hasFastQuantizedScan }
}
