import Dispatch
import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

/// Each read carries its own limits: reads in one process, at the same time, under different
/// memory limits and external-link settings each get the answer of their own.
@Suite("Read limits: a value per read")
struct ReadLimitsTests {
    /// Runs `body` on eight threads at once, alternately with `first` and `second`.
    func alternating<T: Sendable>(_ first: T, _ second: T, _ body: @Sendable (T) -> Bool) -> [Bool] {
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
        defer { results.deallocate() }
        nonisolated(unsafe) let out = results
        DispatchQueue.concurrentPerform(iterations: 8) { i in out[i] = body(i % 2 == 0 ? first : second) }
        return Array(results)
    }

    @Test("a read under 1 KB is refused by name while reads under the default succeed beside it")
    func memoryPerRead() {
        let file = Fixtures.path("io/csr_group_gzip.h5")
        let tiny = ReadLimits(memory: MemoryLimit(bytes: 1024)), usual = ReadLimits()
        let outcomes = alternating(tiny, usual) { limits in
            do {
                _ = try InteractionsFile.read(FileSpec(file), options: InteractionsFile.ReadOptions(limits: limits))
                return limits == usual
            } catch {
                return limits == tiny && "\(error)".contains("memory limit of 1.0 KB") && "\(error)".contains(file)
            }
        }
        #expect(outcomes == Array(repeating: true, count: 8))
    }

    @Test("an external link is refused by one read and followed by another at the same time")
    func externalLinksPerRead() throws {
        let spec = FileSpec(Fixtures.path("io/links/external.h5") + ":/X")
        let refuse = ReadLimits(), follow = ReadLimits(followExternalLinks: true)
        let outcomes = alternating(refuse, follow) { limits in
            do {
                let (x, _) = try InteractionsFile.read(spec, options: InteractionsFile.ReadOptions(limits: limits))
                return limits.followExternalLinks && x.matrix.nnz > 0
            } catch {
                return !limits.followExternalLinks && "\(error)".contains("external link")
            }
        }
        #expect(outcomes == Array(repeating: true, count: 8))
    }

    @Test("row groups decoded on one thread give the same columns and interactions as in parallel")
    func serialDecoding() throws {
        let path = Fixtures.path("parquet/small_pages.parquet")
        let parallel = try ParquetFile(path: path, limits: ReadLimits())
        let serial = try ParquetFile(path: path, limits: ReadLimits(parallel: false))
        #expect(parallel.metadata.rowGroups.count > 1)
        for column in parallel.columns {
            let a = try parallel.read(column.name), b = try serial.read(column.name)
            #expect(a.rowCount == b.rowCount && a.nullRows == b.nullRows)
            #expect((0..<a.values.count).map { a.token(at: $0) } == (0..<b.values.count).map { b.token(at: $0) }, "\(column.name)")
        }
        let one = try InteractionsFile.read(FileSpec(path), options: InteractionsFile.ReadOptions(limits: ReadLimits(parallel: false))).0
        let many = try InteractionsFile.read(FileSpec(path)).0
        #expect(one == many && one.matrix.nnz > 0)
    }
}
