import FixturePaths
import Foundation
import IO
@testable import MFToolCommands
import Testing

/// Every command that writes refuses an output name whose extension names no format it can
/// write (exit 64, a message listing the accepted extensions, nothing written), and
/// `--out-format` covers a name without a usable extension.
@Suite("output names: the extension picks the format, unknown ones are usage errors")
struct OutputNameTests {
    /// A small generated problem: interactions, item embeddings and user factors.
    struct Files {
        let folder: String
        var interactions: String { folder + "/r.h5" }
        var items: String { folder + "/v.h5" }
        var users: String { folder + "/u.h5" }

        init(_ name: String = #function) {
            folder = Fixtures.scratchFolder(name)
            #expect(runMFTool(["generate", "--users", "30", "--items", "20", "--nnz", "200", "--k", "3", "--seed", "5",
                               "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"]) == 0)
        }

        /// The files in the folder.
        var contents: Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []) }
    }

    /// Runs `arguments`, expects exit 64 with a message naming `accepted`, and that the folder
    /// holds what it held before.
    func refused(_ arguments: [String], in files: Files, accepted: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = files.contents
        let (code, message) = runMFToolReporting(arguments + ["-q"])
        #expect(code == 64, "\(arguments.joined(separator: " ")): \(message)", sourceLocation: sourceLocation)
        #expect(message.contains(accepted), "message: \(message)", sourceLocation: sourceLocation)
        #expect(files.contents == before, "files written: \(files.contents.subtracting(before))", sourceLocation: sourceLocation)
    }

    @Test("convert: .json, .parquet, .xyz and no extension are refused; --out-format writes what it says")
    func convert() throws {
        let files = Files()
        for name in ["o.json", "o.parquet", "o.xyz", "o"] {
            refused(["convert", files.interactions, files.folder + "/" + name], in: files, accepted: ".h5, .hdf5, .h5ad, .mtx, .csv, .tsv")
        }
        // Embeddings take HDF5 or AnnData only.
        refused(["convert", Fixtures.path("io/items_f64.npy"), files.folder + "/e.csv"], in: files, accepted: ".h5, .hdf5, .h5ad")
        // An extension that names another format than --out-format's is refused too.
        refused(["convert", files.interactions, files.folder + "/o.csv", "--out-format", "hdf5"], in: files, accepted: "--out-format")
        refused(["convert", files.interactions, files.folder + "/o.dat", "--out-format", "json"], in: files, accepted: "hdf5, h5ad, mtx, csv, tsv")
        #expect(runMFTool(["convert", files.interactions, files.folder + "/plain", "--out-format", "csv", "-q"]) == 0)
        let text = try String(contentsOfFile: files.folder + "/plain", encoding: .utf8)
        #expect(text.hasPrefix("user,item,value\n"))
        #expect(runMFTool(["convert", files.interactions, files.folder + "/plain.tsv", "-q"]) == 0)
        #expect(try String(contentsOfFile: files.folder + "/plain.tsv", encoding: .utf8).hasPrefix("user\titem\tvalue\n"))
    }

    @Test("generate: each of --out, --items-out and --users-out is checked before anything is written")
    func generate() {
        let files = Files()
        let base = ["generate", "--users", "5", "--items", "4", "--nnz", "10", "--k", "2"]
        let (r, v) = (files.folder + "/g.h5", files.folder + "/gv.h5")
        refused(base + ["--out", files.folder + "/g.json", "--items-out", v], in: files, accepted: ".h5ad, .mtx, .csv")
        refused(base + ["--out", r, "--items-out", files.folder + "/gv.csv"], in: files, accepted: ".h5, .hdf5, .h5ad")
        refused(base + ["--out", r, "--items-out", v, "--users-out", files.folder + "/gu.npy"], in: files, accepted: ".h5, .hdf5, .h5ad")
    }

    @Test("split: a bad --test name leaves no --train file either")
    func split() {
        let files = Files()
        refused(["split", "--interactions", files.interactions, "--train", files.folder + "/tr.h5", "--test", files.folder + "/te.txt"],
                in: files, accepted: ".h5, .hdf5, .h5ad, .mtx, .csv, .tsv")
        refused(["split", "--interactions", files.interactions, "--by", "users", "--heldout-users", "3", "--train", files.folder + "/tr.h5",
                 "--fold-in", files.folder + "/fi.parquet", "--test", files.folder + "/te.h5"], in: files, accepted: ".h5ad")
    }

    @Test("solve: factor files are .h5 or .h5ad; shard parts are .h5")
    func solve() {
        let files = Files()
        let base = ["solve", "--interactions", files.interactions, "--items", files.items]
        refused(base + ["--out", files.folder + "/s.npy"], in: files, accepted: ".h5, .hdf5, .h5ad")
        refused(base + ["--out", files.folder + "/s.csv"], in: files, accepted: ".h5, .hdf5, .h5ad")
        refused(base + ["--shard", "0/2", "--out", files.folder + "/p-{shard}.h5ad"], in: files, accepted: ".h5, .hdf5")
    }

    @Test("fit: --out, --items-out, --log and --plot are each checked before training")
    func fit() {
        let files = Files()
        let adam = ["fit", "--method", "adam", "--epochs", "2", "--interactions", files.interactions, "--items", files.items]
        refused(adam + ["--out", files.folder + "/f.json"], in: files, accepted: ".h5, .hdf5, .h5ad")
        refused(adam + ["--out", files.folder + "/f.h5", "--log", files.folder + "/log.txt"], in: files, accepted: ".jsonl")
        refused(adam + ["--out", files.folder + "/f.h5", "--check", "--plot", files.folder + "/curve.png"], in: files, accepted: ".svg")
        let als = ["fit", "--method", "als", "--k", "2", "--epochs", "1", "--interactions", files.interactions, "--out", files.folder + "/fu.h5"]
        refused(als + ["--items-out", files.folder + "/fv.mtx"], in: files, accepted: ".h5, .hdf5, .h5ad")
    }

    @Test("eval: --out is a JSON report")
    func eval() {
        let files = Files()
        refused(["eval", "--users", files.users, "--items", files.items, "--test", files.interactions, "--out", files.folder + "/report.csv"],
                in: files, accepted: ".json")
    }

    @Test("recommend: .csv, .jsonl, .h5 or .parquet; .json and .pq are refused")
    func recommend() {
        let files = Files()
        let base = ["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--k", "3"]
        refused(base + ["--out", files.folder + "/recs.pq"], in: files, accepted: ".csv, .jsonl, .h5, .hdf5, .parquet")
        refused(base + ["--out", files.folder + "/recs.json"], in: files, accepted: ".csv, .jsonl, .h5, .hdf5, .parquet")
    }

    @Test("similar: .csv, .jsonl, .h5 or .parquet")
    func similar() {
        let files = Files()
        refused(["similar", "--items", files.items, "--all", "--k", "2", "--out", files.folder + "/sim.json"], in: files, accepted: ".csv, .jsonl")
    }

    @Test("merge: factor, recommendation and eval parts each take their own output formats")
    func merge() {
        let files = Files()
        let solve = ["solve", "--interactions", files.interactions, "--items", files.items, "-q"]
        let recommend = ["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--k", "2", "-q"]
        let eval = ["eval", "--users", files.users, "--items", files.items, "--test", files.interactions, "-q"]
        for i in 0..<2 {
            #expect(runMFTool(solve + ["--shard", "\(i)/2", "--out", files.folder + "/u-{shard}.h5"]) == 0)
            #expect(runMFTool(recommend + ["--shard", "\(i)/2", "--out", files.folder + "/r-{shard}.h5"]) == 0)
            #expect(runMFTool(eval + ["--shard", "\(i)/2", "--out", files.folder + "/e-{shard}.json"]) == 0)
        }
        let parts = { (prefix: String, ext: String) in (0..<2).map { "\(files.folder)/\(prefix)-\($0).\(ext)" } }
        refused(["merge"] + parts("u", "h5") + ["--out", files.folder + "/users.csv"], in: files, accepted: ".h5, .hdf5, .h5ad")
        refused(["merge"] + parts("r", "h5") + ["--out", files.folder + "/recs.json"], in: files, accepted: ".csv, .jsonl")
        refused(["merge"] + parts("e", "json") + ["--out", files.folder + "/report.txt"], in: files, accepted: ".json")
    }

    @Test("export: ANN vectors are .h5")
    func export() {
        let files = Files()
        refused(["export", "--ann", "--users", files.users, "--items", files.items, "--out", files.folder + "/ann.npz"],
                in: files, accepted: ".h5, .hdf5")
        refused(["export", "--ann", "--users", files.users, "--items", files.items, "--out", files.folder + "/ann.h5ad"],
                in: files, accepted: ".h5, .hdf5")
    }

    @Test("a usage error found while running prints the subcommand's usage, as one found while parsing does")
    func subcommandUsage() throws {
        let files = Files()
        // The output's extension is checked in run(), after parsing.
        let (code, message) = try ResourceOptionsTests.run(["export", "--ann", "--users", files.users, "--items", files.items,
                                                             "--out", files.folder + "/vectors.bin"])
        #expect(code == 64, "\(message)")
        #expect(message.hasPrefix("Error: --out: "), "\(message)")
        #expect(message.contains("Usage: mftool export "), "\(message)")
        #expect(message.contains("See 'mftool export --help'"), "\(message)")
        #expect(!message.contains("<subcommand>"), "\(message)")
        // And the same form as a usage error found while parsing.
        let (parseCode, parseMessage) = try ResourceOptionsTests.run(["export", "--users", files.users, "--items", files.items,
                                                                       "--out", files.folder + "/vectors.h5"])
        #expect(parseCode == 64)
        #expect(parseMessage.contains("Usage: mftool export ") && parseMessage.contains("See 'mftool export --help'"), "\(parseMessage)")
    }
}
