import FixturePaths
import Foundation
import IO
import Testing

/// mftool killed at random points of a write: the old outputs stay intact or the new ones are
/// complete and consistent, SIGTERM and SIGINT leave no temporary file, and the next run
/// removes what SIGKILL left.
@Suite("Killed writers")
struct KillTests {
    static func run(_ arguments: [String], in folder: String, killAfter delay: Double? = nil, signal: Int32 = SIGKILL,
                    executable: String = OutOfSpaceTests.executable) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            usleep(UInt32(delay * 1_000_000))
            kill(process.processIdentifier, signal)
        }
        process.waitUntilExit()
        return process
    }

    static func pair(_ path: String) throws -> String? {
        let text = try #require(try Provenance.read(path)["mftool_settings"])
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return settings["pair"] as? String
    }

    static func temporaries(_ folder: String) -> [String] {
        OutputSafetyTests.names(in: folder).filter { $0.contains(".tmp-") }
    }

    @Test("split and convert killed by SIGKILL, SIGTERM and SIGINT at random points")
    func randomKills() throws {
        let folder = Fixtures.scratchFolder()
        #expect(try Self.run(["generate", "--preset", "ml100k-shape", "--out", "r.h5", "--items-out", "v.h5", "-q"], in: folder).terminationStatus == 0)
        let split = ["split", "--interactions", "r.h5", "--train", "tr.h5", "--test", "te.h5", "--seed", "3", "-q"]
        let convert = ["convert", "r.h5", "r.csv", "-q"]
        #expect(try Self.run(split, in: folder).terminationStatus == 0)
        #expect(try Self.run(convert, in: folder).terminationStatus == 0)
        let (expected, _) = try InteractionsFile.read(FileSpec(folder + "/r.csv"))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<18 {
            let signal = [SIGKILL, SIGTERM, SIGINT][round % 3]
            let delay = Double.random(in: 0...0.15, using: &generator)
            let splitting = round % 2 == 0
            let process = try Self.run(splitting ? split : convert, in: folder, killAfter: delay, signal: signal)
            if signal != SIGKILL && process.terminationReason == .uncaughtSignal {
                #expect(Self.temporaries(folder).isEmpty, "signal \(signal) after \(delay) s left \(Self.temporaries(folder))")
            }
            if splitting {
                let (train, test) = (try Self.pair(folder + "/tr.h5"), try Self.pair(folder + "/te.h5"))
                #expect(train != nil && train == test, "round \(round): a train and a test file of different runs")
            } else {
                #expect(try InteractionsFile.read(FileSpec(folder + "/r.csv")).0 == expected, "round \(round)")
            }
        }
        #expect(try Self.run(split, in: folder).terminationStatus == 0)
        #expect(try Self.run(convert, in: folder).terminationStatus == 0)
        #expect(Self.temporaries(folder).isEmpty, "\(Self.temporaries(folder))")
    }

    @Test("a sharded solve and merge killed 50 times: a part or merged file is whole or absent")
    func shardKills() throws {
        let folder = Fixtures.scratchFolder()
        #expect(try Self.run(["generate", "--preset", "ml100k-shape", "--out", "r.h5", "--items-out", "v.h5", "-q"], in: folder).terminationStatus == 0)
        let solve = ["solve", "--interactions", "r.h5", "--items", "v.h5", "--loss", "implicit", "--out", "p-{shard}.h5", "-q"]
        for i in 0..<2 { #expect(try Self.run(solve + ["--shard", "\(i)/2"], in: folder).terminationStatus == 0) }
        let merge = ["merge", "p-0.h5", "p-1.h5", "--out", "u.h5", "-q"]
        #expect(try Self.run(merge, in: folder).terminationStatus == 0)
        let bits = { (path: String) throws -> [UInt64] in try FactorFile.read(FileSpec(folder + "/" + path)).factors.storage.map(\.bitPattern) }
        let (part, merged) = (try bits("p-1.h5"), try bits("u.h5"))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let signal = [SIGKILL, SIGTERM, SIGINT][round % 3]
            let delay = Double.random(in: 0...0.3, using: &generator)
            let solving = round % 2 == 0
            if solving { try? FileManager.default.removeItem(atPath: folder + "/p-1.h5") }
            let process = try Self.run(solving ? solve + ["--shard", "1/2"] : merge, in: folder, killAfter: delay, signal: signal)
            if signal != SIGKILL && process.terminationReason == .uncaughtSignal {
                #expect(Self.temporaries(folder).isEmpty, "signal \(signal) after \(delay) s left \(Self.temporaries(folder))")
            }
            if solving {
                if FileManager.default.fileExists(atPath: folder + "/p-1.h5") { #expect(try bits("p-1.h5") == part, "round \(round)") }
                else { #expect(try Self.run(solve + ["--shard", "1/2"], in: folder).terminationStatus == 0) }
            } else {
                #expect(try bits("u.h5") == merged, "round \(round)")
            }
        }
        #expect(try Self.run(merge, in: folder).terminationStatus == 0)
        #expect(Self.temporaries(folder).isEmpty, "\(Self.temporaries(folder))")
    }
}

/// A writer in another PID namespace (another container or pod on the same shared folder): a
/// write in this namespace to the same folder must not take its temporary file for a stale one.
@Suite("Writers in another PID namespace")
struct NamespaceWriterTests {
    /// The host PID of the running mftool whose arguments include `marker`, or nil.
    static func writerPID(marker: String) -> pid_t? {
        let executable = URL(fileURLWithPath: OutOfSpaceTests.executable).resolvingSymlinksInPath().path
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                  let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe"), exe == executable,
                  let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  String(decoding: cmdline, as: UTF8.self).contains(marker) else { continue }
            return pid
        }
        return nil
    }

    @Test("a writer under unshare --pid keeps its temporary file while this namespace writes beside it")
    func otherNamespace() throws {
        let folder = Fixtures.scratchFolder()
        guard (try? KillTests.run(["/usr/bin/unshare", "--pid", "--fork", "true"], in: folder, executable: "/usr/bin/env"))?.terminationStatus == 0 else {
            print("skipped: unshare --pid --fork is not permitted here (needs root or user namespaces)")
            return
        }
        #expect(try KillTests.run(["generate", "--preset", "ml100k-shape", "--out", "r.h5", "--items-out", "v.h5", "-q"], in: folder).terminationStatus == 0)
        try "user,item,value\na,b,1\n".write(toFile: folder + "/small.csv", atomically: true, encoding: .utf8)
        var overlaps = 0
        for attempt in 0..<8 where overlaps == 0 {
            overlaps += try Self.writeBeside(folder: folder, output: "shared-\(attempt).csv") ? 1 : 0
        }
        if overlaps == 0 { print("skipped the overlap: in 8 runs the writer finished before its temporary file was seen") }
    }

    /// Runs `convert r.h5 OUTPUT` in a new PID namespace; if its temporary file is seen, stops
    /// the writer, writes beside it from this namespace, checks the temporary file is still
    /// there, and resumes it. Whether the overlap happened; the writer must succeed either way.
    static func writeBeside(folder: String, output: String) throws -> Bool {
        // Inside the namespace, PIDs 2…302 are used up first (one after the other: a background
        // job's `wait` never returns under a parent that blocks SIGCHLD), so the writer's PID is
        // one this namespace is unlikely to have.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        writer.arguments = ["--pid", "--fork", "/bin/sh", "-c", "for i in $(seq 1 300); do /bin/true; done; \"$0\" \"$@\"; exit $?",
                            OutOfSpaceTests.executable, "convert", "r.h5", output, "-q"]
        writer.currentDirectoryURL = URL(fileURLWithPath: folder)
        try writer.run()
        let prefix = ".\(output).tmp-"
        var stopped: pid_t? = nil
        while stopped == nil && writer.isRunning {
            guard KillTests.temporaries(folder).contains(where: { $0.hasPrefix(prefix) }), let pid = writerPID(marker: output) else {
                usleep(200)
                continue
            }
            kill(pid, SIGSTOP)
            // The writer may have renamed its file between the look and the stop.
            guard KillTests.temporaries(folder).contains(where: { $0.hasPrefix(prefix) }) else { kill(pid, SIGCONT); break }
            stopped = pid
        }
        if let stopped {
            #expect(try KillTests.run(["convert", "small.csv", "beside.csv", "-q"], in: folder).terminationStatus == 0)
            #expect(KillTests.temporaries(folder).contains { $0.hasPrefix(prefix) }, "the other namespace's temporary file was removed")
            kill(stopped, SIGCONT)
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/" + output))
        return stopped != nil
    }
}
