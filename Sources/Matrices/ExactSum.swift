/// The exact sum of doubles, rounded once at the end (Shewchuk's algorithm, as Python's
/// `math.fsum`): the running sum is kept as non-overlapping partials whose sum is exact. The
/// result does not depend on the order of the terms, so sums over the shards of a job array,
/// merged, equal the sum over the whole.
public struct ExactSum: Sendable, Equatable {
    /// Non-overlapping partials, increasing in magnitude; their exact sum is the sum so far.
    public private(set) var partials: [Double] = []
    /// Set when a term was infinite or NaN: the sum is then that term's IEEE sum.
    private var special = 0.0

    public init() {}

    /// A sum continued from recorded ``partials`` (of another part).
    public init(partials: [Double]) {
        for p in partials { add(p) }
    }

    /// Adds `x` exactly.
    public mutating func add(_ x: Double) {
        guard x.isFinite else { special += x; return }
        var x = x
        var kept = 0
        for var y in partials {
            if abs(x) < abs(y) { swap(&x, &y) }
            let high = x + y
            let low = y - (high - x)
            if low != 0 { partials[kept] = low; kept += 1 }
            x = high
        }
        partials.removeSubrange(kept...)
        partials.append(x)
    }

    /// Adds every partial of `other`: the exact sum of both.
    public mutating func add(_ other: ExactSum) {
        for p in other.partials { add(p) }
        if other.special != 0 || other.special.isNaN { special += other.special }
    }

    /// The exact sum rounded to the nearest double (ties to even), as `math.fsum` rounds it.
    public var value: Double {
        if special != 0 || special.isNaN { return special }
        guard var n = partials.indices.last else { return 0 }
        var high = partials[n]
        var low = 0.0
        while n > 0 {
            n -= 1
            let x = high
            let y = partials[n]
            high = x + y
            low = y - (high - x)
            if low != 0 { break }
        }
        // Round half-even across partials: when the rounding of high + low was a tie, the next
        // partial decides which way the exact sum lies.
        if n > 0, (low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0) {
            let y = low * 2
            let x = high + y
            if y == x - high { high = x }
        }
        return high
    }
}

extension Sequence where Element == Double {
    /// The exact sum of the elements, rounded once (``ExactSum``).
    public func exactSum() -> Double {
        var sum = ExactSum()
        for x in self { sum.add(x) }
        return sum.value
    }
}
