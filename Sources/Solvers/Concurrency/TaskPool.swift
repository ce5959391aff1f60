import Synchronization

/// Task numbers handed out in order to the threads of a parallel region, each number once.
final class TaskPool: Sendable {
    private let counter = Atomic<Int>(0)

    /// The next task number, from 0 up.
    func next() -> Int { counter.wrappingAdd(1, ordering: .relaxed).oldValue }
}
