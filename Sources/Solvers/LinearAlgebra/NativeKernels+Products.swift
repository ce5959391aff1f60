import CKernels

// Products with the item matrix (CKernels/include/mf_products.h): sparse and dense rows times V,
// padded copies of V's rows, and one row's dot products with chosen rows.

extension Double {
    @inline(__always)
    static func nativeSpmm(_ variant: NativeKernelVariant, rows: Int, k: Int, ldv: Int, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>,
                           values: UnsafePointer<Double>, v: UnsafePointer<Double>, b: UnsafeMutablePointer<Double>, ldb: Int) {
        mf_spmm_d(variant.isa, Int32(rows), Int32(k), Int32(ldv), indptr, indices, values, v, b, Int32(ldb))
    }
    @inline(__always)
    static func nativeDenseMM(_ variant: NativeKernelVariant, rows: Int, n: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                              v: UnsafePointer<Double>, ldv: Int, b: UnsafeMutablePointer<Double>, ldb: Int) {
        mf_dense_mm_d(variant.isa, Int32(rows), Int32(n), Int32(k), d, Int32(ldd), v, Int32(ldv), b, Int32(ldb))
    }
    @inline(__always)
    static func packRows(k: Int, kp: Int, count: Int, v: UnsafePointer<Double>, ldv: Int, out: UnsafeMutablePointer<Double>) {
        mf_pack_rows_d(Int32(k), Int32(kp), Int32(count), v, Int32(ldv), out)
    }
    /// out[t] = x·v[items[t]] over w values (rows of v at leading dimension ldv), one summation
    /// order for every row.
    @inline(__always)
    static func rowDots(w: Int, x: UnsafePointer<Double>, v: UnsafePointer<Double>, ldv: Int, items: UnsafePointer<Int32>, count: Int,
                        out: UnsafeMutablePointer<Double>) {
        mf_row_dots_d(NativeKernelVariant.best.isa, Int32(w), x, v, Int32(ldv), items, Int32(count), out)
    }
}

extension Float {
    @inline(__always)
    static func nativeSpmm(_ variant: NativeKernelVariant, rows: Int, k: Int, ldv: Int, indptr: UnsafePointer<Int64>, indices: UnsafePointer<Int32>,
                           values: UnsafePointer<Double>, v: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>, ldb: Int) {
        mf_spmm_s(variant.isa, Int32(rows), Int32(k), Int32(ldv), indptr, indices, values, v, b, Int32(ldb))
    }
    @inline(__always)
    static func nativeDenseMM(_ variant: NativeKernelVariant, rows: Int, n: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                              v: UnsafePointer<Float>, ldv: Int, b: UnsafeMutablePointer<Float>, ldb: Int) {
        mf_dense_mm_s(variant.isa, Int32(rows), Int32(n), Int32(k), d, Int32(ldd), v, Int32(ldv), b, Int32(ldb))
    }
    @inline(__always)
    static func packRows(k: Int, kp: Int, count: Int, v: UnsafePointer<Float>, ldv: Int, out: UnsafeMutablePointer<Float>) {
        mf_pack_rows_s(Int32(k), Int32(kp), Int32(count), v, Int32(ldv), out)
    }
}
