import ArgumentParser
import FixturePaths
import Foundation
import IO
@testable import MFToolCommands
import Solvers
import Testing

@Suite("command-line details: --isa, completion, Parquet, inspect, help")
struct CommandLineTests {
    @Test("--isa takes portable, avx2 or avx512; a variant this CPU lacks is refused, a number is not a name")
    func isa() throws {
        #expect(Solve.helpMessage().contains("(values: portable, avx2, avx512)"))
        let folder = Fixtures.scratchFolder()
        let base = ["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                    "--out", folder + "/u.h5", "--quiet", "--isa"]
        for variant in NativeKernelVariant.allCases {
            #expect(runMFTool(base + [variant.description]) == (NativeKernelVariant.supported.contains(variant) ? 0 : 64))
            #expect((NativeKernelVariant.unsupported(variant) == nil) == NativeKernelVariant.supported.contains(variant))
        }
        #expect(runMFTool(base + ["0"]) == 64)
    }

    @Test("shell completion completes file paths for the file options of every command")
    func completion() {
        let script = MFTool.completionScript(for: .bash)
        let files: [String: [String]] = [
            "convert": [], "inspect": [], "generate": ["--out", "--items-out", "--users-out"],
            "solve": ["--interactions", "--items", "--users", "--out", "--item-bias", "--item-ids-from", "--item-ids"],
            "fit": ["--interactions", "--items", "--out", "--items-out", "--log", "--plot"],
            "check": ["--users", "--interactions", "--items"], "eval": ["--users", "--items", "--test", "--train", "--item-ids"],
            "split": ["--interactions", "--train", "--test", "--fold-in"], "recommend": ["--users", "--items", "--train", "--out"],
        ]
        for (command, options) in files {
            let body = script.components(separatedBy: "\n_mftool_\(command)() {")[1].components(separatedBy: "\n}")[0]
            for option in options {
                let branch = body.components(separatedBy: "'\(option)')")
                #expect(branch.count == 2 && branch[1].split(separator: "\n").first?.contains("__mftool_add_completions -f") == true,
                        "mftool \(command) \(option)")
            }
        }
        // generate's --users and --items are counts, not files.
        let generate = script.components(separatedBy: "\n_mftool_generate() {")[1].components(separatedBy: "\n}")[0]
        #expect(generate.components(separatedBy: "'--users')")[1].split(separator: "\n").first?.contains("-f") == false)
    }

    @Test("a damaged Parquet log or embeddings file is refused naming the missing magic")
    func parquet() throws {
        let folder = Fixtures.scratchFolder()
        let magic = folder + "/ratings.csv"
        try Data("PAR1\u{0}\u{0}\u{15}\u{4}".utf8).write(to: URL(fileURLWithPath: magic))
        try "user,item\n1,2\n".write(toFile: folder + "/named.parquet", atomically: true, encoding: .utf8)
        for (path, place) in [(magic, "its end (truncated?)"), (folder + "/named.parquet", "its start")] {
            #expect { _ = try InteractionsFile.read(FileSpec(path)) } throws: { error in
                "\(error)" == "\(path): is not a Parquet file: no PAR1 magic at \(place)"
            }
            #expect { _ = try EmbeddingsFile.read(FileSpec(path)) } throws: { error in
                "\(error)" == "\(path): is not a Parquet file: no PAR1 magic at \(place)"
            }
            #expect(runMFTool(["convert", path, folder + "/out.h5", "--quiet"]) == 1)
        }
    }

    @Test("inspect on a user-factor file says so and lists its user ids")
    func inspectUserFactors() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                           "--out", folder + "/u.h5", "--quiet"]) == 0)
        let report = try jsonSummary(["inspect", folder + "/u.h5", "--json"])
        #expect(report["kind"] as? String == "user factors")
        #expect(report["user_ids"] as? [Int] == [0, 1, 2, 3, 4])
        #expect(report["item_ids"] == nil && report["method"] as? String == "ridge")
        let items = try jsonSummary(["inspect", Fixtures.path("ridge/items.h5"), "--json"])
        #expect(items["kind"] as? String == "embeddings")
    }

    @Test("every option of generate has help text")
    func generateHelp() throws {
        let options = try #require(Generate.helpMessage(columns: 200).components(separatedBy: "OPTIONS:").last)
        let lines = options.split(separator: "\n").filter { $0.hasPrefix("  -") }
        #expect(lines.count >= 12)
        for line in lines where !line.contains("--help") && !line.contains("--version") {
            let text = line.replacing(/^\s+(-\w, )?--[\w-]+( <[\w-]+>)?/, with: "").trimmingCharacters(in: .whitespaces)
            #expect(!text.isEmpty, "\(line)")
        }
    }
}
