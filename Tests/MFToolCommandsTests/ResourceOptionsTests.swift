import FixturePaths
import Foundation
@testable import MFToolCommands
import Testing

/// `--max-memory` and `--follow-external-links`, run as separate processes: they set
/// process-wide limits that in-process tests running alongside must not see.
@Suite("Resource options")
struct ResourceOptionsTests {
    /// Runs the built mftool: its exit status and stderr.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OutOfSpaceTests.executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("sizes: bytes, K, M, G and T in powers of 1024; anything else is refused")
    func sizes() throws {
        #expect(try ResourceOptions.bytes("1000") == 1000)
        #expect(try ResourceOptions.bytes("4K") == 4096)
        #expect(try ResourceOptions.bytes("1.5G") == 1_610_612_736)
        #expect(try ResourceOptions.bytes("2TB") == 2 << 40)
        for bad in ["", "x", "-1G", "0", "1Q", "1e30T"] { #expect(throws: (any Error).self) { try ResourceOptions.bytes(bad) } }
    }

    @Test("--max-memory refuses an input past it by name (exit 1); a bad size is a usage error (64)")
    func maxMemory() throws {
        let file = Fixtures.path("io/csr_group_gzip.h5")
        let (code, message) = try Self.run(["inspect", file, "--max-memory", "1K"])
        #expect(code == 1 && message.contains(file) && message.contains("memory limit of 1.0 KB"), "\(message)")
        #expect(try Self.run(["inspect", file, "--max-memory", "1G"]).0 == 0)
        #expect(try Self.run(["inspect", file, "--max-memory", "lots"]).0 == 64)
    }

    @Test("external links are refused unless --follow-external-links, and read whole with it")
    func externalLinks() throws {
        let file = Fixtures.path("io/links/external.h5")
        let (code, message) = try Self.run(["inspect", file + ":/X"])
        #expect(code == 1 && message.contains("external link"), "\(message)")
        let folder = Fixtures.scratchFolder()
        let (followed, error) = try Self.run(["convert", file + ":/X", folder + "/x.csv", "--follow-external-links", "-q"])
        #expect(followed == 0, "\(error)")
        let text = try String(contentsOfFile: folder + "/x.csv", encoding: .utf8)
        #expect(text == "user,item,value\nu_anna,i_a,1\nu_anna,i_c,2.5\njosé,i_b,0.5\njosé,i_e,3\nu_cleo,i_a,4\nu_cleo,i_d,1.5\n", "\(text)")
    }
}
