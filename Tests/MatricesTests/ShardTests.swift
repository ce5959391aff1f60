import Matrices
import Testing

@Suite("Shard ranges and exact sums")
struct ShardTests {
    /// Row pointers of rows with the given entry counts.
    func pointers(_ counts: [Int]) -> [Int] {
        var p = [0]
        for c in counts { p.append(p.last! + c) }
        return p
    }

    func ranges(_ counts: [Int], shards n: Int) -> [Range<Int>] {
        let p = pointers(counts)
        return (0..<n).map { Shard(index: $0, count: n)!.rows(of: counts.count, nnz: p.last!, pointer: { p[$0] }) }
    }

    @Test("the ranges tile the rows in order for every shard count, empty shards included")
    func tiling() {
        var generator = SplitMix64(seed: 3)
        let counts = (0..<97).map { _ in Int(generator.next() % 40) }
        for n in [1, 2, 3, 7, 96, 97, 98, 250] {
            let r = ranges(counts, shards: n)
            #expect(r.first!.lowerBound == 0 && r.last!.upperBound == counts.count)
            for s in 1..<n { #expect(r[s - 1].upperBound == r[s].lowerBound) }
            if n > counts.count { #expect(r.contains { $0.isEmpty }) }
        }
    }

    @Test("hand case: 4 rows of 6, 0, 1, 1 entries in 2 shards cut at weight 6 of 12")
    func handCase() {
        // Weights pointer(r) + r: 0, 7, 8, 10, 12; boundary 1 is the first r with weight ≥ 6: r = 1.
        #expect(ranges([6, 0, 1, 1], shards: 2) == [0..<1, 1..<4])
        // Three shards: targets 4 and 8 give rows 1 and 2.
        #expect(ranges([6, 0, 1, 1], shards: 3) == [0..<1, 1..<2, 2..<4])
    }

    @Test("balanced: no shard holds more than the average weight plus one row's")
    func balance() {
        var generator = SplitMix64(seed: 11)
        let counts = (0..<1000).map { _ in Int(generator.next() % 50) }
        let n = 8
        let total = counts.reduce(0, +) + counts.count
        for r in ranges(counts, shards: n) {
            let weight = r.reduce(0) { $0 + counts[$1] + 1 }
            #expect(weight <= total / n + 51)
        }
    }

    @Test("I/N parses; out of range and malformed are refused; {shard} pads to the largest index")
    func parsing() {
        #expect(Shard("3/8") == Shard(index: 3, count: 8))
        for bad in ["8/8", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(bad) == nil) }
        #expect(Shard(index: 3, count: 12)!.expand("u-{shard}.h5") == "u-03.h5")
        #expect(Shard(index: 0, count: 1)!.expand("u-{shard}.h5") == "u-0.h5")
        #expect(Shard(index: 7, count: 1000)!.expand("{shard}/{shard}") == "007/007")
    }

    @Test("exact sum: hand cases where naive summation loses the answer")
    func exactHandCases() {
        #expect([1e100, 1.0, -1e100].exactSum() == 1.0)
        #expect([Double](repeating: 0.1, count: 10).exactSum() == 1.0)
        #expect([Double](repeating: 0.1, count: 10).reduce(0, +) != 1.0)
        // 2^53 + 1 + 2^-60: the exact sum lies just above the tie 2^53 + 1, so it rounds up.
        #expect([9007199254740992.0, 1.0, 0x1p-60].exactSum() == 9007199254740994.0)
        #expect([9007199254740992.0, 1.0].exactSum() == 9007199254740992.0)
        #expect([Double]().exactSum() == 0)
    }

    @Test("exact sum: independent of order and of how the terms are split into merged parts")
    func orderIndependent() {
        var generator = SplitMix64(seed: 5)
        let terms = (0..<2000).map { _ -> Double in
            let mantissa = Double(generator.next() % 1_000_000) - 500_000
            return mantissa * Double(sign: .plus, exponent: Int(generator.next() % 80) - 40, significand: 1)
        }
        let whole = terms.exactSum()
        #expect(terms.reversed().exactSum() == whole)
        var parts = [ExactSum(), ExactSum(), ExactSum()]
        for (k, t) in terms.enumerated() { parts[k % 3].add(t) }
        var merged = ExactSum(partials: parts[2].partials)
        merged.add(parts[0])
        merged.add(parts[1])
        #expect(merged.value == whole)
    }

    @Test("exact sum equals integer arithmetic on terms that are multiples of 2^-20")
    func againstIntegers() {
        var generator = SplitMix64(seed: 9)
        let integers = (0..<5000).map { _ in Int64(generator.next() % (1 << 40)) - (1 << 39) }
        let exact = integers.reduce(0, +)
        let terms = integers.map { Double($0) * 0x1p-20 }
        #expect(terms.exactSum() == Double(exact) * 0x1p-20)
    }
}
