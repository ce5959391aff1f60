import CKernels

// The one layer of Swift that calls mftool's C kernels (Sources/CKernels): this file and its
// NativeKernels+Area.swift extensions, one per header of CKernels/include (ridge solve, products,
// ranking, quantized scan, training, threads). The kernels come in portable, AVX2+FMA and AVX-512
// variants chosen at run time (NativeKernelVariant). Kernels with a Float and a Double version
// are static functions of those types (requirements of LinearAlgebraScalar, so generic solvers
// call S.nativeGram and the like); the others are static members of `NativeKernels`.

/// The instruction-set variant of mftool's own kernels.
public enum NativeKernelVariant: Int, Sendable, CaseIterable, CustomStringConvertible {
    case portable = 0, avx2 = 1, avx512 = 2

    /// The best variant this CPU supports (what solves use unless told otherwise).
    public static var best: NativeKernelVariant { NativeKernelVariant(rawValue: Int(mf_kernel_best_isa())) ?? .portable }

    /// The variants this CPU can run.
    public static var supported: [NativeKernelVariant] { allCases.filter { $0.rawValue <= best.rawValue } }

    public var description: String {
        switch self {
        case .portable: return "portable"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        }
    }

    var isa: Int32 { Int32(rawValue) }
}

extension NativeKernelVariant: Comparable {
    public static func < (a: NativeKernelVariant, b: NativeKernelVariant) -> Bool { a.rawValue < b.rawValue }
}

extension NativeKernelVariant {
    /// The variant named `portable`, `avx2` or `avx512`.
    public init?(name: String) {
        guard let v = NativeKernelVariant.allCases.first(where: { $0.description == name }) else { return nil }
        self = v
    }
}

/// mftool's C kernels that are not per scalar type (extended in NativeKernels+Area.swift).
enum NativeKernels {}
