@testable import Solvers
import Testing

@Suite("Huge-page copies of item rows")
struct HugePageBufferTests {
    @Test("the copy holds the same elements, 2 MiB-aligned; an empty array gives an empty copy")
    func copies() {
        let source = (0..<300_000).map { Double($0) * 0.5 - 7 }
        let buffer = HugePageBuffer(copying: source)
        #expect(buffer.count == source.count)
        #expect((0..<source.count).allSatisfy { buffer.base[$0] == source[$0] })
        #if os(Linux)
        #expect(Int(bitPattern: UnsafeRawPointer(buffer.base)) % (2 << 20) == 0)
        #endif
        #expect(HugePageBuffer<Float>(copying: []).count == 0)
    }
}
