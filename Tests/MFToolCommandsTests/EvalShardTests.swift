import FixturePaths
import Foundation
import IO
@testable import MFToolCommands
import Testing

/// Runs `mftool merge` of eval parts (in-process) with stdout captured: its exit code, the lines it printed,
/// and the error's one line.
func runMergeEval(_ parts: [String], json: Bool = true, out: String? = nil) -> (code: Int32, lines: [String], message: String) {
    let capture = Console.Capture()
    var message = ""
    let code: Int32 = Console.$capture.withValue(capture) {
        do {
            var command = try MFTool.parseAsRoot(["merge"] + parts + (json ? ["--json"] : []) + (out.map { ["--out", $0] } ?? []) + ["-q"])
            try command.run()
            return 0
        } catch {
            message = MFTool.message(for: error)
            return MFTool.exitCode(for: error).rawValue
        }
    }
    return (code, capture.lines, message)
}

/// A model and a train/test split of generated interactions, for sharded eval and recommend.
struct ShardedEvalFiles {
    let folder: String
    let train: String, test: String, users: String, items: String

    init(users count: Int = 90, items itemCount: Int = 60, nnz: Int = 1500, name: String = #function) throws {
        folder = Fixtures.scratchFolder(name)
        let all = folder + "/r.h5"
        (train, test, users, items) = (folder + "/train.h5", folder + "/test.h5", folder + "/u.h5", folder + "/v.h5")
        #expect(runMFTool(["generate", "--users", "\(count)", "--items", "\(itemCount)", "--nnz", "\(nnz)", "--k", "4", "--seed", "5",
                           "--out", all, "--items-out", items, "--quiet"]) == 0)
        #expect(runMFTool(["split", "--interactions", all, "--train", train, "--test", test, "--test-fraction", "0.3",
                           "--seed", "2", "--quiet"]) == 0)
        #expect(runMFTool(["solve", "--interactions", train, "--items", items, "--out", users, "--quiet"]) == 0)
    }

    var evalArguments: [String] {
        ["eval", "--users", users, "--items", items, "--test", test, "--train", train, "--quiet"]
    }

    /// The parts of `eval --shard i/n` for every i, written as `prefix-{shard}.json`.
    func evalParts(_ n: Int, prefix: String, extra: [String] = []) -> [String] {
        for i in 0..<n {
            #expect(runMFTool(evalArguments + extra + ["--shard", "\(i)/\(n)", "--out", "\(folder)/\(prefix)-{shard}.json"]) == 0)
        }
        let width = String(n - 1).count
        return (0..<n).map { i in "\(folder)/\(prefix)-\(String(repeating: "0", count: width - String(i).count))\(i).json" }
    }
}

@Suite("eval --shard and merge of eval parts")
struct EvalShardTests {
    @Test("merged metrics equal unsharded eval's, bit for bit, for 1, 2, 3, 7 and more shards than users",
          arguments: [["--k", "1,5,20", "--metrics", "rmse,mae,precision,recall,ndcg,map,mrr,hit_rate,coverage,auc"],
                      ["--k", "3", "--precision", "single"]])
    func mergedEqualsUnsharded(settings: [String]) throws {
        let files = try ShardedEvalFiles()
        let (code, lines) = runCapturing(files.evalArguments + settings + ["--json"])
        #expect(code == 0 && lines.count == 1)
        let (_, table) = runCapturing(files.evalArguments + settings)
        for n in [1, 2, 3, 7, 150] {
            let parts = files.evalParts(n, prefix: "eval\(n)", extra: settings)
            let merged = runMergeEval(parts.reversed())
            #expect(merged.code == 0, "\(merged.message)")
            #expect(merged.lines == lines, "\(n) shards")
            #expect(runMergeEval(parts, json: false).lines == table, "\(n) shards, table")
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((report["users_evaluated"] as? Int ?? 0) > 0)
    }

    @Test("eval --out writes the JSON report; merge --out too")
    func outFile() throws {
        let files = try ShardedEvalFiles()
        let (_, lines) = runCapturing(files.evalArguments + ["--json"])
        let out = files.folder + "/report.json"
        #expect(runMFTool(files.evalArguments + ["--out", out]) == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == lines[0] + "\n")
        let merged = files.folder + "/merged.json"
        #expect(runMergeEval(files.evalParts(3, prefix: "e"), out: merged).code == 0)
        #expect(try String(contentsOfFile: merged, encoding: .utf8) == lines[0] + "\n")
    }

    @Test("a part holds its record and exact partial sums as text")
    func partContents() throws {
        let files = try ShardedEvalFiles()
        let parts = files.evalParts(2, prefix: "p")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: parts[1]))) as? [String: Any])
        let part = try ShardPart(json: object["part"], file: parts[1])
        #expect(part.kind == .eval && part.shard.description == "1/2" && part.rows.upperBound == part.totalRows)
        let totals = try #require(object["totals"] as? [String: Any])
        let rating = try #require(totals["rating"] as? [String: Any])
        let partials = try #require(rating["squared_error"] as? [String])
        #expect(!partials.isEmpty && partials.allSatisfy { Double($0).map { $0.description } == $0 })
    }

    @Test("merge refuses a missing or repeated part, parts of other runs, and other kinds, naming the file")
    func refusals() throws {
        let files = try ShardedEvalFiles()
        let parts = files.evalParts(3, prefix: "a")
        let missing = runMergeEval([parts[0], parts[2]])
        #expect(missing.code == 1 && missing.message.contains("1/3") && !missing.message.contains("\n"))
        let copy = files.folder + "/copy.json"
        try FileManager.default.copyItem(atPath: parts[1], toPath: copy)
        let repeated = runMergeEval(parts + [copy])
        #expect(repeated.code == 1 && repeated.message.contains("repeats shard 1/3"))
        let otherSettings = files.evalParts(3, prefix: "k", extra: ["--k", "7"])
        let settings = runMergeEval([parts[0], parts[1], otherSettings[2]])
        #expect(settings.code == 1 && settings.message.contains(otherSettings[2]) && settings.message.contains("settings"))
        // Other user factors: another run's inputs.
        #expect(runMFTool(["solve", "--interactions", files.train, "--items", files.items, "--lambda", "3",
                           "--out", files.folder + "/u2.h5", "--quiet"]) == 0)
        for i in 0..<3 {
            #expect(runMFTool(["eval", "--users", files.folder + "/u2.h5", "--items", files.items, "--test", files.test,
                               "--train", files.train, "--quiet", "--shard", "\(i)/3", "--out", files.folder + "/b-{shard}.json"]) == 0)
        }
        let fingerprint = runMergeEval([parts[0], files.folder + "/b-1.json", parts[2]])
        #expect(fingerprint.code == 1 && fingerprint.message.contains("b-1.json") && fingerprint.message.contains("fingerprint"))
        #expect(runMFTool(["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--shard", "0/3",
                           "--out", files.folder + "/recs-{shard}.h5", "--quiet"]) == 0)
        let kinds = runMergeEval([parts[0], files.folder + "/recs-0.h5", parts[2]])
        #expect(kinds.code == 1 && kinds.message.contains("recs-0.h5") && kinds.message.contains("recommendations"))
    }

    @Test("a test file without user ids is matched by position in the whole file; a text test file is refused")
    func positionalAndText() throws {
        let folder = Fixtures.scratchFolder()
        let test = Fixtures.path("io/csr_noids.h5")
        #expect(runMFTool(["generate", "--users", "4", "--items", "5", "--nnz", "10", "--k", "2", "--out", folder + "/g.h5",
                           "--items-out", folder + "/v.h5", "--quiet"]) == 0)
        #expect(runMFTool(["solve", "--interactions", test, "--items", folder + "/v.h5", "--out", folder + "/u.h5", "--quiet"]) == 0)
        let base = ["eval", "--users", folder + "/u.h5", "--items", folder + "/v.h5", "--test", test, "--k", "2", "--quiet"]
        let (_, lines) = runCapturing(base + ["--json"])
        for i in 0..<3 { #expect(runMFTool(base + ["--shard", "\(i)/3", "--out", folder + "/e-{shard}.json"]) == 0) }
        let merged = runMergeEval((0..<3).map { folder + "/e-\($0).json" })
        #expect(merged.code == 0 && merged.lines == lines && lines.count == 1)
        let files = try MisalignmentFiles()
        let text = runMFToolReporting(["eval", "--users", files.users, "--items", files.items, "--test", files.ratings,
                                       "--shard", "0/2", "--out", files.folder + "/e-{shard}.json"])
        #expect(text.code == 1 && text.message.contains(files.ratings) && text.message.contains("convert"))
    }

    @Test("usage errors: --shard without --out, {shard} without --shard, auto outside an array, auto without {shard}")
    func usage() throws {
        let files = try ShardedEvalFiles()
        #expect(runMFTool(files.evalArguments + ["--shard", "0/2"]) == 64)
        #expect(runMFTool(files.evalArguments + ["--out", files.folder + "/e-{shard}.json"]) == 64)
        func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: OutOfSpaceTests.executable)
            process.arguments = arguments
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        let auto = files.evalArguments + ["--shard", "auto"]
        #expect(try run(auto + ["--out", files.folder + "/e-{shard}.json"], environment: [:]) == 64)
        let array = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3"]
        #expect(try run(auto + ["--out", files.folder + "/e.json"], environment: array) == 64)
        #expect(!FileManager.default.fileExists(atPath: files.folder + "/e.json"))
        #expect(try run(auto + ["--out", files.folder + "/e-{shard}.json"], environment: array) == 0)
        #expect(FileManager.default.fileExists(atPath: files.folder + "/e-1.json"))
    }
}
