import Matrices
@testable import Solvers
import Testing

@Suite("The sampled floor: the k-th largest sampled score")
struct SampleFloorTests {
    /// Rows of `n` values: uniform, with −∞ (training items), with many repeats, and with NaN.
    func rows<S: BinaryFloatingPoint>(_ type: S.Type, n: Int, seed: UInt64) -> [(String, [S])] {
        var rng = SplitMix64(seed: seed)
        let uniform = (0..<n).map { _ in S(Double(rng.next() % 1_000_000) / 1_000_000 - 0.5) }
        var trained = uniform
        for i in stride(from: 0, to: n, by: 3) { trained[i] = -.infinity }
        let repeats = (0..<n).map { _ in S(Double(rng.next() % 7)) }
        var nan = uniform
        nan[n / 2] = .nan
        var mostlyInfinite = [S](repeating: -.infinity, count: n)
        mostlyInfinite[5] = 1
        return [("uniform", uniform), ("trained", trained), ("repeats", repeats), ("nan", nan), ("mostly −∞", mostlyInfinite)]
    }

    func check<S: LinearAlgebraScalar & BinaryFloatingPoint>(_ type: S.Type) {
        for (n, k) in [(2048, 16), (2048, 1), (2048, 64), (1000, 100), (500, 8), (37, 3)] {
            for (name, row) in rows(S.self, n: n, seed: UInt64(n + k)) {
                let expected = row.sorted(by: >)[k - 1]
                let found = row.withUnsafeBufferPointer { S.kthLargest($0.baseAddress!, count: n, k) }
                if name == "nan" || k > 64 || n < 16 * k {
                    #expect(found == nil, "\(S.self) \(name) n=\(n) k=\(k): declines")
                } else if let found {
                    #expect(found == expected, "\(S.self) \(name) n=\(n) k=\(k)")
                } else {
                    // Declining is allowed without AVX-512 and where many entries are near the top
                    // (repeats, a row of −∞), not on ordinary rows.
                    #expect(NativeKernelVariant.best != .avx512 || name == "repeats" || name == "mostly −∞",
                            "\(S.self) \(name) n=\(n) k=\(k): declined")
                }
            }
        }
    }

    @Test("equals the k-th entry of the sorted row (repeats, −∞), or declines (NaN, short rows, large k)")
    func matchesSort() {
        check(Double.self)
        check(Float.self)
    }
}
