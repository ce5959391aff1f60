import ArgumentParser
import Solvers

extension NativeKernelVariant {
    /// The names `--isa` takes (portable, avx2, avx512), rather than the raw values.
    public static var allValueStrings: [String] { allCases.map(\.description) }

    /// Shell completion offers the names.
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }

    /// An error naming the variants this CPU runs, when it cannot run `variant`.
    static func unsupported(_ variant: NativeKernelVariant) -> ValidationError? {
        guard variant > best else { return nil }
        return ValidationError("--isa \(variant): this CPU runs only \(supported.map(\.description).joined(separator: ", "))")
    }
}
