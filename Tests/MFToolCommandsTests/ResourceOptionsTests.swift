import FixturePaths
import Foundation
@testable import MFToolCommands
import Testing

/// `--max-memory` and `--follow-external-links`, end to end: the built mftool, run as a
/// separate process, reads its inputs under the limits its flags give.
@Suite("Resource options")
struct ResourceOptionsTests {
    /// Runs the built mftool: its exit status and stderr.
    static func run(_ arguments: [String], executable: String = OutOfSpaceTests.executable) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
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

/// Working memory that scales with an option or a shape (the solver's k × k systems, the
/// factors ALS and gradient training allocate) is charged to `--max-memory` before it is
/// allocated, and refused by name instead of aborting in the allocator.
@Suite("Working memory under --max-memory")
struct WorkingMemoryTests {
    /// A 3-line CSV and a 3 × 30,000 `.npy` embeddings file (k × k = 7.2 GB in Float64).
    static func wideInputs() throws -> (String, String, String) {
        let folder = Fixtures.scratchFolder()
        try "user,item,rating\n0,0,1\n0,1,2\n1,2,3\n".write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        let k = 30000
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (3, \(k)), }".utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0a)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)] + header
        for i in 0..<(3 * k) { withUnsafeBytes(of: (Double(i % 7) - 3).bitPattern.littleEndian) { bytes += $0 } }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/v.npy"))
        return (folder, folder + "/r.csv", folder + "/v.npy")
    }

    @Test("solve: the k × k systems of 3 × 30,000 embeddings are refused under --max-memory 100M")
    func solveSystems() throws {
        let (folder, r, v) = try Self.wideInputs()
        let (code, message) = try ResourceOptionsTests.run(["solve", "--interactions", r, "--items", v, "--out", folder + "/u.h5", "--max-memory", "100M"])
        #expect(code == 1 && message.contains("30000 × 30000") && message.contains("memory limit of 100.0 MB"), "\(code) \(message)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/u.h5"))
    }

    @Test("fit --method adam: the factors, gradient and moments at k = 30,000 are refused by name")
    func gradientFactors() throws {
        let (folder, r, v) = try Self.wideInputs()
        let (code, message) = try ResourceOptionsTests.run(["fit", "--method", "adam", "--loss", "dense", "--interactions", r, "--items", v,
                                                            "--out", folder + "/u.h5", "--epochs", "1", "--max-memory", "100M"])
        #expect(code == 1 && message.contains("training 2 users at k = 30000") && message.contains("memory limit"), "\(code) \(message)")
    }

    @Test("fit --method als --k 100000 and --k 2^31 are refused before the factors are allocated", arguments: ["100000", "2147483648"])
    func alsFactors(_ k: String) throws {
        let (folder, r, _) = try Self.wideInputs()
        let (code, message) = try ResourceOptionsTests.run(["fit", "--method", "als", "--k", k, "--interactions", r, "--out", folder + "/u.h5",
                                                            "--items-out", folder + "/v.h5", "--epochs", "1", "--max-memory", "1G"])
        #expect(code == 1 && message.contains("ALS factors") && message.contains("k = \(k)") && message.contains("memory limit of 1.0 GB"),
                "\(code) \(message)")
    }
}

/// The default limit under an address-space limit (`ulimit -v`, as a batch system sets it).
@Suite("Default memory limit under RLIMIT_AS")
struct AddressSpaceLimitTests {
    @Test("under ulimit -v 1000000 a 68-byte .mtx declaring 100,000,000 rows is inspected; its .h5 output is refused by name, not aborted")
    func declaredRowsUnderRLimit() throws {
        let folder = Fixtures.scratchFolder()
        let (path, output) = (folder + "/rows.mtx", folder + "/rows.h5")
        try "%%MatrixMarket matrix coordinate real general\n100000000 4 1\n1 1 1.0\n".write(toFile: path, atomically: true, encoding: .utf8)
        /// `command` run under the limit, its arguments $1 (the .mtx) and $2 (the .h5 output).
        func limited(_ command: String) throws -> (Int32, String) {
            try ResourceOptionsTests.run(["-c", "ulimit -v 1000000 && exec \"$0\" \(command)", OutOfSpaceTests.executable, path, output],
                                         executable: "/bin/bash")
        }
        let (inspected, note) = try limited("inspect \"$1\"")
        #expect(inspected == 0, "\(note)")
        // The output stores a row pointer and an id per declared row: 2.2 GB, past the default limit.
        let (code, message) = try limited("convert \"$1\" \"$2\"")
        #expect(code == 1 && message.contains(output) && message.contains("memory limit"), "\(code) \(message)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
