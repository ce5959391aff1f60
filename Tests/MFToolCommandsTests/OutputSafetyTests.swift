import FixturePaths
import Foundation
@testable import IO
import Testing

/// Outputs: never an input overwritten, never a pair split across runs, never a temporary file
/// left behind, links written through, errors naming the output.
@Suite("Output safety")
struct OutputSafetyTests {
    static let ratings = Fixtures.path("io/ratings.csv")

    static func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("split refuses an output equal to its input or to its other output")
    func splitOverlap() throws {
        let folder = Fixtures.scratchFolder()
        let input = folder + "/r.csv"
        try FileManager.default.copyItem(atPath: Self.ratings, toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        #expect(runMFTool(["split", "--interactions", input, "--train", folder + "/x.h5", "--test", folder + "/./x.h5", "-q"]) == 1)
        #expect(runMFTool(["split", "--interactions", input, "--train", input, "--test", folder + "/te.h5", "-q"]) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        #expect(Self.names(in: folder) == ["r.csv"])
    }

    @Test("split replaces no output unless it wrote them all, and marks them as one pair")
    func splitTogether() throws {
        let folder = Fixtures.scratchFolder()
        let (train, test) = (folder + "/tr.h5", folder + "/te.h5")
        #expect(runMFTool(["split", "--interactions", Self.ratings, "--train", train, "--test", test, "--seed", "1", "-q"]) == 0)
        let settings = { (path: String) throws -> String? in
            let text = try #require(try Provenance.read(path)["mftool_settings"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return object["pair"] as? String
        }
        let first = try settings(train), second = try settings(test)
        #expect(first != nil && first == second)
        // The test output's folder is missing: the train output must stay the old one.
        let old = try Data(contentsOf: URL(fileURLWithPath: train))
        #expect(runMFTool(["split", "--interactions", Self.ratings, "--train", train, "--test", folder + "/none/te.h5", "--seed", "2", "-q"]) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: train)) == old)
        #expect(Self.names(in: folder) == ["te.h5", "tr.h5"])
        #expect(runMFTool(["split", "--interactions", Self.ratings, "--train", train, "--test", test, "--seed", "1", "-q"]) == 0)
        let third = try settings(train)
        #expect(third != first)
    }

    @Test("an output that is a symbolic link is written through, the link kept")
    func symlinkWrittenThrough() throws {
        let folder = Fixtures.scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/real/out.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: "real/out.csv")
        #expect(runMFTool(["convert", Self.ratings, folder + "/link.csv", "-q"]) == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.csv") == "real/out.csv")
        let written = try String(contentsOfFile: folder + "/real/out.csv", encoding: .utf8)
        #expect(written.hasPrefix("user"), "\(written.prefix(40))")
        #expect(Self.names(in: folder + "/real") == ["out.csv"])
    }

    @Test("temporary files of killed writers of this namespace are removed by the next write to the folder")
    func staleTemporaries() throws {
        let folder = Fixtures.scratchFolder()
        let dead = try #require((400_000..<4_000_000).lazy.map { pid_t($0) }.first { kill($0, 0) != 0 && errno == ESRCH })
        let tag = WriterTag.current
        let stale = folder + "/.old.h5.tmp-\(tag)-\(dead)-12345"
        let live = folder + "/.other.h5.tmp-\(tag)-\(getpid())-777"
        let unrelated = folder + "/.notes.tmp-x"
        for path in [stale, live, unrelated] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        #expect(runMFTool(["convert", Self.ratings, folder + "/r.h5", "-q"]) == 0)
        #expect(Self.names(in: folder) == [".notes.tmp-x", ".other.h5.tmp-\(tag)-\(getpid())-777", "r.h5"])
    }

    @Test("a writer's error names the output, not the temporary file, with the system's reason")
    func errorNamesOutput() {
        let error = AtomicOutput.naming(IOError(file: "/d/.o.h5.tmp-1-2", location: "/data", "cannot write the data"),
                                        temporary: "/d/.o.h5.tmp-1-2", output: "/d/o.h5", reason: ENOSPC)
        #expect(error == IOError(file: "/d/o.h5", location: "/data", "cannot write the data (\(String(cString: strerror(ENOSPC))))"))
    }

    @Test("SIGTERM and SIGINT remove the temporary files being written, in a forked child only the child's", arguments: [SIGTERM, SIGINT])
    func signalRemovesTemporary(signal: Int32) throws {
        let folder = Fixtures.scratchFolder()
        let path = folder + "/.out.h5.tmp-1-1", parents = folder + "/.other.h5.tmp-1-2"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)))
        #expect(FileManager.default.createFile(atPath: parents, contents: Data("in flight".utf8)))
        // A file this process is writing on another thread while the child is forked.
        let other = try #require(TemporaryFiles.register(parents))
        defer { TemporaryFiles.unregister(other) }
        // Registered before the fork (which installs the handlers): the child takes no lock and
        // allocates nothing, and forgets the files other tests' writers have registered.
        let slot = try #require(TemporaryFiles.register(path))
        defer { TemporaryFiles.unregister(slot) }
        let child = fork()
        if child == 0 {
            // Test worker threads may block the signal; a command's main thread does not.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signal)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            TemporaryFiles.forgetAll(except: slot)
            raise(signal)
            _exit(0)
        }
        var status: Int32 = 0
        var waited: pid_t = 0
        for _ in 0..<1000 where waited == 0 {
            waited = waitpid(child, &status, WNOHANG)
            if waited == 0 { usleep(10_000) }
        }
        if waited == 0 { kill(child, SIGKILL); Issue.record("the child did not end") }
        #expect(status & 0x7f == signal, "the signal's default action ends the process")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: parents), "the child removed a file its parent was writing")
    }
}

@Suite("Diverging fits write nothing")
struct DivergingFitTests {
    @Test("fit --method sgd --lr 1e300 fails naming a user instead of writing NaN factors")
    func divergingSGD() throws {
        let folder = Fixtures.scratchFolder()
        let status = runMFTool(["fit", "--method", "sgd", "--lr", "1e300", "--epochs", "3", "--loss", "dense",
                                "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                                "--out", folder + "/u.h5", "--quiet"])
        #expect(status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}

@Suite("--threads is capped at the cores")
struct ThreadCapTests {
    @Test("fit --threads 4096 runs with as many threads as cores, and records that")
    func capped() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["fit", "--method", "als", "--k", "2", "--epochs", "1", "--threads", "4096",
                           "--interactions", Fixtures.path("ridge/problem.h5"),
                           "--out", folder + "/u.h5", "--items-out", folder + "/v.h5", "--quiet"]) == 0)
        let text = try #require(try Provenance.read(folder + "/u.h5")["mftool_settings"])
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(settings["threads"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
    }
}

@Suite("Commands refuse to overwrite their inputs")
struct InputOverwriteTests {
    @Test("solve --out equal to --items is refused and the items file kept")
    func solveOverItems() throws {
        let folder = Fixtures.scratchFolder()
        let items = folder + "/items.h5"
        try FileManager.default.copyItem(atPath: Fixtures.path("ridge/items.h5"), toPath: items)
        let before = try Data(contentsOf: URL(fileURLWithPath: items))
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", items,
                           "--out", folder + "/./items.h5", "--quiet"]) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: items)) == before)
    }

    @Test("fit --out equal to --interactions is refused")
    func fitOverInteractions() throws {
        let folder = Fixtures.scratchFolder()
        let input = folder + "/r.h5"
        try FileManager.default.copyItem(atPath: Fixtures.path("ridge/problem.h5"), toPath: input)
        #expect(runMFTool(["fit", "--method", "als", "--k", "2", "--epochs", "1", "--interactions", input,
                           "--out", input, "--items-out", folder + "/v.h5", "--quiet"]) == 1)
        #expect(OutputSafetyTests.names(in: folder) == ["r.h5"])
    }
}

@Suite("A write that runs out of space")
struct OutOfSpaceTests {
    /// The mftool executable built beside the test bundle.
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mftool").path
    }

    @Test("past the file size limit: one error naming the output and the reason, no crash at exit, no litter")
    func fileSizeLimit() throws {
        let folder = Fixtures.scratchFolder()
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable), "\(Self.executable)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 100; exec \"$0\" generate --users 300 --items 200 --nnz 24000 --k 8 --out r.h5 --items-out v.h5 -q",
                             Self.executable]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(text)")
        #expect(text.hasPrefix("Error: r.h5: ") && text.contains("(File too large)"), "\(text)")
        #expect(text.split(separator: "\n").count == 1, "\(text)")
        #expect(OutputSafetyTests.names(in: folder).isEmpty)
    }

    @Test("a CSV output past the file size limit names the file and the operating system's reason")
    func csvFileSizeLimit() throws {
        let folder = Fixtures.scratchFolder()
        let (code, text) = try ResourceOptionsTests.run(["-c", "ulimit -f 20; exec \"$0\" generate --users 300 --items 200 --nnz 24000 --k 8 --out \"$1\" --items-out \"$2\" -q",
                                                        Self.executable, folder + "/r.csv", folder + "/v.h5"], executable: "/bin/sh")
        #expect(code == 1 && text.hasPrefix("Error: \(folder)/r.csv: cannot be written (File too large)"), "\(text)")
        #expect(!text.contains("NSCocoaErrorDomain") && text.split(separator: "\n").count == 1, "\(text)")
        #expect(OutputSafetyTests.names(in: folder).isEmpty)
    }

    @Test("a CSV output on a full file system says 'No space left on device' (a 64 KB tmpfs, where mounting is permitted)")
    func csvFullDisk() throws {
        let folder = Fixtures.scratchFolder()
        let script = "mount -t tmpfs -o size=64k mftool-full \"$1\" || exit 77; exec \"$0\" generate --users 300 --items 200 --nnz 24000 --k 8 --out \"$1/r.csv\" --items-out \"$1/v.h5\" -q"
        let (code, text) = try ResourceOptionsTests.run(["--mount", "--", "/bin/sh", "-c", script, Self.executable, folder], executable: "/usr/bin/unshare")
        if code == 77 || text.hasPrefix("unshare:") {
            print("skipped: a private tmpfs cannot be mounted here (\(text.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return
        }
        #expect(code == 1 && text.contains("r.csv: cannot be written (No space left on device)"), "\(code) \(text)")
        #expect(!text.contains("NSCocoaErrorDomain"), "\(text)")
    }
}

/// Outputs that are special files: a FIFO or a character device is written through and stays
/// what it was; a socket is refused by name.
@Suite("Special files as outputs")
struct SpecialOutputTests {
    @Test("a FIFO output is written through, not replaced by a regular file")
    func fifo() throws {
        let folder = Fixtures.scratchFolder()
        let fifo = folder + "/out.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opened for reading first, without blocking, so that the writer's open succeeds and the
        // CSV (well under a pipe's buffer) waits in the pipe.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        #expect(runMFTool(["convert", OutputSafetyTests.ratings, fifo, "-q"]) == 0)
        var info = stat()
        #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let n = read(reader, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
        #expect(text.hasPrefix("user,item,value\n"), "\(text)")
        #expect(OutputSafetyTests.names(in: folder) == ["out.csv"])
    }

    @Test("a socket output is refused by name and left in place")
    func socket() throws {
        let folder = Fixtures.scratchFolder()
        let path = folder + "/s.csv"
        let fd = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let r = runMFToolReporting(["convert", OutputSafetyTests.ratings, path, "-q"])
        #expect(r.code == 1 && r.message.contains(path) && r.message.contains("socket"), "\(r.message)")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
    }
}
