@testable import Solvers
import Testing

@Suite("Thread placement for short parallel regions")
struct ThreadPlacementTests {
    @Test("a thread on the CPU to avoid runs the body elsewhere, then may run on all its CPUs again",
          .enabled(if: ThreadPlacement.allowedCPUs >= 2, "needs two CPUs the tests may run on (and Linux)"))
    func avoidsAndRestores() {
        let before = ThreadPlacement.allowedCPUs
        // The body runs where the thread was just now: from that CPU the thread must move (or
        // it had moved already; either way the body runs elsewhere).
        for _ in 0..<5 {
            let cpu = ThreadPlacement.currentCPU
            let inside = ThreadPlacement.avoiding(cpu: cpu) { ThreadPlacement.currentCPU }
            #expect(inside != cpu, "still on CPU \(cpu)")
            #expect(ThreadPlacement.allowedCPUs == before, "CPUs not restored")
        }
    }
}
