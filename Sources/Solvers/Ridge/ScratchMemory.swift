/// Zeroed, 64-byte aligned buffers that live as long as their owner: a per-thread workspace
/// allocates once, so that no user allocates and the kernels get plain pointers.
final class ScratchMemory {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// `count` zeroed elements (at least one).
    func zeroed<T: Numeric>(_ count: Int, _: T.Type) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, count) * MemoryLayout<T>.stride, alignment: 64)
        blocks.append(raw)
        return raw.initializeMemory(as: T.self, repeating: 0, count: Swift.max(1, count))
    }

    deinit { for raw in blocks { raw.deallocate() } }
}
