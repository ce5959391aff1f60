#if canImport(Glibc)
import Glibc
#endif

/// A copy of an array in memory aligned to 2 MiB and, on Linux, advised for transparent huge
/// pages: the item rows that per-user kernels read at random. With 4 KiB pages a 14 MB item
/// matrix spans more pages than the TLB holds, and the page walks stall the row prefetches;
/// with huge pages it is a handful of entries.
final class HugePageBuffer<S>: @unchecked Sendable {
    /// The copied elements (immutable after init).
    let base: UnsafeMutablePointer<S>
    let count: Int

    init(copying source: [S]) {
        count = source.count
        let huge = 2 << 20
        let bytes = Swift.max(1, (count * MemoryLayout<S>.stride + huge - 1) / huge * huge)
        var raw: UnsafeMutableRawPointer?
        #if canImport(Glibc)
        if posix_memalign(&raw, huge, bytes) == 0, let raw {
            // Before the first touch, so the pages are faulted in huge (THP "madvise" mode).
            _ = madvise(raw, bytes, MADV_HUGEPAGE)
        }
        #endif
        let memory = raw ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        base = memory.bindMemory(to: S.self, capacity: Swift.max(1, count))
        source.withUnsafeBufferPointer { if let s = $0.baseAddress { base.initialize(from: s, count: count) } }
    }

    deinit {
        // posix_memalign's memory and allocate's are both released by free on Linux; elsewhere
        // the memory always comes from allocate.
        #if canImport(Glibc)
        free(base)
        #else
        UnsafeMutableRawPointer(base).deallocate()
        #endif
    }
}
