import FixturePaths
import Foundation
import IO
@testable import MFToolCommands
import Testing

@Suite("eval and recommend cap --threads at the cores")
struct RankingThreadCapTests {
    @Test("recommend --threads 4096 runs with as many threads as cores, and records that")
    func recommend() throws {
        let files = try MisalignmentFiles()
        let out = files.folder + "/recs.h5"
        #expect(runMFTool(["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--k", "2",
                           "--threads", "4096", "--out", out, "--quiet"]) == 0)
        let text = try #require(try Provenance.read(out)["mftool_settings"])
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(settings["threads"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test("eval --threads 4096 --timings reports as many threads as cores")
    func eval() throws {
        let files = try MisalignmentFiles()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OutOfSpaceTests.executable)
        process.arguments = ["eval", "--users", files.users, "--items", files.items, "--test", files.ratings,
                             "--k", "2", "--threads", "4096", "--timings", "--json", "--quiet"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["threads"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test("--threads 0 is a usage error for eval and recommend")
    func zero() throws {
        let files = try MisalignmentFiles()
        #expect(runMFTool(["eval", "--users", files.users, "--items", files.items, "--test", files.ratings, "--threads", "0"]) == 64)
        #expect(runMFTool(["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--threads", "0",
                           "--out", files.folder + "/recs.csv", "--quiet"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: files.folder + "/recs.csv"))
    }
}

@Suite("convert, recommend and split refuse to overwrite their inputs")
struct MoreInputOverwriteTests {
    /// A copy of a fixture in a scratch folder, and its bytes.
    static func copy(_ fixture: String, to folder: String, as name: String) throws -> (String, Data) {
        let path = folder + "/" + name
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: path)
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("convert with the output equal to the input")
    func convert() throws {
        let folder = Fixtures.scratchFolder()
        let (input, before) = try Self.copy("ridge/problem.h5", to: folder, as: "r.h5")
        let result = runMFToolReporting(["convert", input, folder + "/./r.h5", "--quiet"])
        #expect(result.code == 1 && result.message.contains("is also the input"), "\(result.message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test("recommend with --out equal to --items")
    func recommend() throws {
        let files = try MisalignmentFiles()
        let (items, before) = try Self.copy("io/items.h5", to: files.folder, as: "items.h5")
        let result = runMFToolReporting(["recommend", "--include-seen", "--users", files.users, "--items", items, "--k", "2",
                                         "--out", items, "--quiet"])
        #expect(result.code == 1 && result.message.contains("is also the input"), "\(result.message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: items)) == before)
    }

    @Test("split with --test equal to --item-ids-from")
    func split() throws {
        let folder = Fixtures.scratchFolder()
        let (items, before) = try Self.copy("ridge/items.h5", to: folder, as: "items.h5")
        let result = runMFToolReporting(["split", "--interactions", Fixtures.path("ridge/problem.h5"), "--item-ids-from", items,
                                         "--train", folder + "/train.h5", "--test", items])
        #expect(result.code == 1 && result.message.contains("is also the input"), "\(result.message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: items)) == before)
    }
}

@Suite("eval refuses a train and a test file of different split runs")
struct SplitPairTests {
    @Test("train of one run with the test of another is refused naming both; one run's pair is accepted")
    func pairs() throws {
        let files = try MisalignmentFiles()
        let folder = files.folder
        for run in ["a", "b"] {
            #expect(runMFTool(["split", "--interactions", files.ratings, "--train", "\(folder)/train-\(run).h5",
                               "--test", "\(folder)/test-\(run).h5", "--test-fraction", "0.4", "--seed", "3", "--quiet"]) == 0)
        }
        let base = ["eval", "--users", files.users, "--items", files.items, "--k", "2", "--allow-empty", "--quiet"]
        let mixed = runMFToolReporting(base + ["--train", folder + "/train-a.h5", "--test", folder + "/test-b.h5"])
        #expect(mixed.code == 1, "\(mixed.message)")
        #expect(mixed.message.contains("train-a.h5") && mixed.message.contains("test-b.h5")
                && mixed.message.contains("different split runs"), "\(mixed.message)")
        #expect(!mixed.message.contains("\n"))
        #expect(runMFTool(base + ["--train", folder + "/train-b.h5", "--test", folder + "/test-b.h5"]) == 0)
        // A test file without a marker goes with any train file, as before.
        #expect(runMFTool(base + ["--train", folder + "/train-a.h5", "--test", files.ratings]) == 0)
    }
}

@Suite("Absurd objective weights are usage errors naming the option")
struct AbsurdWeightTests {
    @Test("a weight beyond 1e150 is refused before any solve", arguments: [
        (["--loss", "implicit", "--alpha", "1e300"], "--alpha"),
        (["--lambda", "1e200"], "--lambda"),
        (["--loss", "implicit", "--unobserved-weight", "1e151"], "--unobserved-weight"),
        (["--offset", "global-mean", "--mean=-1e200"], "--mean"),
    ])
    func refused(options: [String], name: String) throws {
        let folder = Fixtures.scratchFolder("absurd" + name)
        let result = runMFToolReporting(["solve", "--interactions", Fixtures.path("ridge/problem.h5"),
                                         "--items", Fixtures.path("ridge/items.h5"), "--out", folder + "/u.h5", "--quiet"] + options)
        #expect(result.code == 64, "\(result.message)")
        #expect(result.message.contains(name) && result.message.contains("1e150") && !result.message.contains("raise --lambda"),
                "\(result.message)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/u.h5"))
    }

    @Test("weights up to 1e150 are accepted by the options")
    func accepted() throws {
        let options = try ObjectiveOptions.parse(["--loss", "implicit", "--alpha", "1e150", "--lambda", "1e150"])
        #expect(options.objective.alpha == 1e150 && options.objective.lambda == 1e150)
    }
}
