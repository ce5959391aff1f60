import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A buffer that one task of a parallel region fills and publishes and the others read once it
/// is published. Its elements start uninitialized: S is a floating-point type, so the writer may
/// overwrite them without deinitializing.
final class SharedBuffer<S: LinearAlgebraScalar>: @unchecked Sendable {
    /// Whether the contents are published: `pending` until the writer publishes them as
    /// `ready`, or as `failed` when it could not produce them.
    enum State: Int { case pending, ready, failed }

    /// The first element; written only by the task that publishes.
    let base: UnsafeMutablePointer<S>
    private let published = Atomic<Int>(State.pending.rawValue)

    /// Room for `count` elements, starting on a cache line: the kernels' vector loads of
    /// padded rows then never straddle two lines.
    init(count: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<S>.stride, alignment: 64)
            .bindMemory(to: S.self, capacity: count)
    }

    deinit { base.deallocate() }

    /// The current state; `ready` makes the published contents visible to this thread.
    var state: State { State(rawValue: published.load(ordering: .acquiring))! }

    /// Publishes the contents, written before this call, or their failure.
    func publish(_ state: State) { published.store(state.rawValue, ordering: .releasing) }

    /// Waits, yielding the processor, until the contents are published; their final state.
    func waitForState() -> State {
        while true {
            let s = state
            if s != .pending { return s }
            sched_yield()
        }
    }
}
