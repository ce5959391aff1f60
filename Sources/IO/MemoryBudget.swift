import Foundation
import Matrices

/// The memory a reader may commit to one file's arrays, checked against sizes a file declares
/// before anything is allocated, so a small file cannot ask for gigabytes.
public enum MemoryBudget {
    /// The bytes a single input may need: ``MemoryLimit/bytes``, the one limit the solvers
    /// charge their working memory to as well (set at startup, before any reader runs).
    public static var limit: Int {
        get { MemoryLimit.bytes }
        set { MemoryLimit.bytes = newValue }
    }

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

    /// Throws unless `count` elements of `elementSize` bytes fit in the budget.
    static func check(_ count: Int, of elementSize: Int, file: String, location: String? = nil,
                      what: String) throws(IOError) {
        guard let needed = bytes(count, elementSize), needed <= limit else {
            let size = bytes(count, elementSize).map(describe) ?? "more than 2^63 bytes"
            throw IOError(file: file, location: location,
                          "\(what) declares \(count) elements (\(size)), more than the memory limit of \(describe(limit))")
        }
    }

    /// A byte count in the largest unit that keeps it above 1.
    static func describe(_ bytes: Int) -> String { MemoryLimit.describe(bytes) }
}
