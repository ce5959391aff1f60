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
        let vMax = model.items.storage.reduce(0) { Swift.max($0, abs($1)) }
        let bMax = bias?.reduce(0) { Swift.max($0, abs($1)) } ?? 0
        let c = bias == nil ? 0 : (bMax > 0 && vMax > 0 ? bMax / vMax : 1)
        biasWeight = c
        (self.vMax, self.bMax) = (vMax, bMax)
        var rows = [Double](repeating: 0, count: Swift.max(1, n * width))
        var l1 = 0.0
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<k {
                rows[i * width + j] = model.items[i, j]
                sum += abs(model.items[i, j])
            }
            if let bias {
                rows[i * width + k] = bias[i] / c
                sum += abs(bias[i] / c)
            }
            l1 = Swift.max(l1, sum)
        }
        l1Max = l1
        let largest = rows.reduce(0) { Swift.max($0, abs($1)) }
        scale = largest > 0 ? largest / 127 : 1
        var packed = [UInt8](repeating: 128, count: Swift.max(1, groups * k4 * 64))
        let (n, width, k4, groups, scale) = (n, width, k4, groups, scale)
        packed.withUnsafeMutableBufferPointer { pp in
            NativeKernels.packQuantizedItems(n: n, width: width, v: rows, ldv: width, inverseScale: 1 / scale, k4: k4, groups: groups,
                                             packed: pp.baseAddress!)
        }
        self.packed = packed
    }

    /// Whether the scan is worth it here: a fast kernel on this CPU and rows it takes.
    static var isFast: Bool { NativeKernels.hasFastQuantizedScan }
}
