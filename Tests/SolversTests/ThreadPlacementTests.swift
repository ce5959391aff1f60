@testable import Solvers
import Testing

@Suite("Thread placement for short parallel regions")
struct ThreadPlacementTests {
    @Test("a thread on the CPU to avoid runs the body elsewhere, then may run on all its CPUs again")
    func avoidsAndRestores() throws {
        let before = ThreadPlacement.allowedCPUs
        try #require(before >= 2, "needs a machine with two CPUs (and Linux)")
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
