import CKernels

// The 8-bit candidate scan for ranking and its exact rescoring (CKernels/include/mf_quantized.h).

extension Double {
    @inline(__always)
    static func rescoreBlock(_ variant: NativeKernelVariant, users: Int, w: Int, x: UnsafePointer<Double>, v: UnsafePointer<Double>,
                             bias: UnsafePointer<Double>?, n: Int, candidates: UnsafeMutablePointer<Int32>, stride: Int,
                             counts: UnsafePointer<Int32>, cap: Int, done: UnsafeMutablePointer<Int32>, train: UnsafePointer<Int32>?,
                             trainStart: UnsafePointer<Int64>, trainCount: UnsafePointer<Int32>, trainAt: UnsafeMutablePointer<Int32>,
                             floors: UnsafePointer<Double>, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>,
                             kept: UnsafeMutablePointer<Int32>) {
        mf_rescore_block_d(variant.isa, Int32(users), Int32(w), x, v, bias, Int32(n), candidates, Int32(stride), counts, Int32(cap), done,
                            train, trainStart, trainCount, trainAt, floors, scores, items, kept)
    }
}

extension Float {
    @inline(__always)
    static func rescoreBlock(_ variant: NativeKernelVariant, users: Int, w: Int, x: UnsafePointer<Float>, v: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>?, n: Int, candidates: UnsafeMutablePointer<Int32>, stride: Int,
                             counts: UnsafePointer<Int32>, cap: Int, done: UnsafeMutablePointer<Int32>, train: UnsafePointer<Int32>?,
                             trainStart: UnsafePointer<Int64>, trainCount: UnsafePointer<Int32>, trainAt: UnsafeMutablePointer<Int32>,
                             floors: UnsafePointer<Float>, scores: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<Int32>,
                             kept: UnsafeMutablePointer<Int32>) {
        mf_rescore_block_s(variant.isa, Int32(users), Int32(w), x, v, bias, Int32(n), candidates, Int32(stride), counts, Int32(cap), done,
                            train, trainStart, trainCount, trainAt, floors, scores, items, kept)
    }
}

extension NativeKernels {
    /// Whether the candidate scan has a fast variant on this CPU (AVX-512 VNNI).
    static var hasFastQuantizedScan: Bool { mf_i8_fast() != 0 }

    /// Packs n rows of `width` values (leading dimension ldv) as bytes round(v·inverseScale) + 128
    /// in groups of 16 items, `k4` 4-byte words per item (mf_i8_pack_items's layout).
    static func packQuantizedItems(n: Int, width: Int, v: UnsafePointer<Double>, ldv: Int, inverseScale: Double, k4: Int, groups: Int,
                                   packed: UnsafeMutablePointer<UInt8>) {
        mf_i8_pack_items(Int32(n), Int32(width), v, Int32(ldv), inverseScale, Int32(k4), Int32(groups), packed)
    }

    /// Quantizes each of `rows` rows of x (leading dimension ldx) to signed bytes (4·k4 per row)
    /// with its own scale; `sums` receives each row's byte sum.
    static func quantizeRows(rows: Int, width: Int, x: UnsafePointer<Double>, ldx: Int, k4: Int, bytes: UnsafeMutablePointer<Int8>,
                             scales: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Int32>) {
        mf_i8_quantize_rows(Int32(rows), Int32(width), x, Int32(ldx), Int32(k4), bytes, scales, sums)
    }

    /// Appends to each user's candidates (row r at candidates + r·stride) the packed items of
    /// `groups` whose integer sums reach the user's threshold, while its count is below `cap`;
    /// counts run on past `cap` to flag an overflow. `fast` false forces the portable variant.
    static func quantizedCandidates(fast: Bool, k4: Int, users: Int, x: UnsafePointer<Int8>, packed: UnsafePointer<UInt8>, groups: Range<Int>,
                                    thresholds: UnsafePointer<Int32>, candidates: UnsafeMutablePointer<Int32>, stride: Int, cap: Int,
                                    counts: UnsafeMutablePointer<Int32>) {
        mf_i8_candidates(fast ? 1 : 0, Int32(k4), Int32(users), x, packed, Int32(groups.lowerBound), Int32(groups.upperBound), thresholds,
                         candidates, Int32(stride), Int32(cap), counts)
    }
}
