/// Sizes a file declares, computed without overflow before they are checked against
/// ``ReadLimits/memory``.
enum MemoryBudget {
    /// `count × elementSize` bytes, or nil when the product overflows.
    static func bytes(_ count: Int, _ elementSize: Int) -> Int? {
        let (product, overflow) = count.multipliedReportingOverflow(by: elementSize)
        return overflow || count < 0 ? nil : product
    }

    /// The element count of `shape`, or nil when the product overflows.
    static func count(_ shape: [Int]) -> Int? {
        var total = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            total = product
        }
        return total
    }
}
