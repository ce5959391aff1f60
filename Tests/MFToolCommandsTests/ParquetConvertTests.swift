import FixturePaths
import Foundation
@testable import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("Parquet interaction logs through the commands")
struct ParquetConvertTests {
    let parquet = Fixtures.path("parquet/interactions.parquet")
    let csv = Fixtures.path("parquet/interactions.csv")

    /// Converts `input` with `flags` into `name` in `folder` and reads the canonical file back.
    func convert(_ input: String, _ flags: [String], to name: String, in folder: String) throws -> Interactions {
        let out = "\(folder)/\(name).h5"
        let run = runMFToolReporting(["convert", input, out, "--quiet"] + flags)
        #expect(run.code == 0, "\(run.message)")
        return try InteractionsFile.read(FileSpec(out)).0
    }

    @Test("convert x.parquet gives the same canonical file as convert x.csv, with every column option")
    func sameAsCSV() throws {
        let folder = Fixtures.scratchFolder()
        for flags in [["--time-col", "when"],
                      ["--user-col", "user", "--item-col", "item", "--value-col", "rating", "--time-col", "when"],
                      ["--user-col", "item", "--item-col", "user", "--implicit"],
                      ["--sort-ids", "--duplicates", "last"]] {
            let fromParquet = try convert(parquet, flags, to: "p", in: folder)
            let fromCSV = try convert(csv, flags, to: "c", in: folder)
            #expect(fromParquet == fromCSV, "\(flags)")
            #expect(fromParquet.matrix.nnz > 0)
            #expect((fromParquet.timestamps != nil) == flags.contains("--time-col"))
        }
    }

    @Test("solve reads a Parquet log as it reads its CSV twin")
    func solve() throws {
        let folder = Fixtures.scratchFolder()
        let items = folder + "/items.npy"
        let ids = folder + "/items.txt"
        // Six items of ratings in the fixture, two factors each.
        let names = ["heat", "up", "alien", "brazil", "yōjinbō", "m 7"]
        try names.joined(separator: "\n").write(toFile: ids, atomically: true, encoding: .utf8)
        var npy = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }"
        while (header.utf8.count + 11) % 64 != 0 { header += " " }
        header += "\n"
        npy += Data([UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]) + Data(header.utf8)
        for v in [1.0, 0.5, -0.25, 2.0, 0.75, 1.5, -1.0, 0.125, 0.3, 0.6, 1.25, -0.5] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { npy += Data($0) }
        }
        try npy.write(to: URL(fileURLWithPath: items))
        for (input, out) in [(parquet, "p.h5"), (csv, "c.h5")] {
            let run = runMFToolReporting(["solve", "--interactions", input, "--items", items, "--item-ids", ids,
                                          "--out", "\(folder)/\(out)", "--lambda", "1", "--quiet"])
            #expect(run.code == 0, "\(run.message)")
        }
        let fromParquet = try FactorFile.read(FileSpec("\(folder)/p.h5"))
        let fromCSV = try FactorFile.read(FileSpec("\(folder)/c.h5"))
        #expect(fromParquet.factors == fromCSV.factors)
        #expect(fromParquet.ids == fromCSV.ids)
    }

    @Test("a null id, a text value column, an unknown column name: exit 1 with one line naming the column")
    func refusals() throws {
        let folder = Fixtures.scratchFolder()
        let nulls = Fixtures.path("parquet/nulls.parquet")
        let null = runMFToolReporting(["convert", nulls, folder + "/n.h5", "--user-col", "user_id", "--item-col", "always", "--implicit"])
        #expect(null.code == 1)
        #expect(null.message.contains("\(nulls): column 'user_id', row 3: the user is null (4 null rows)"), "\(null.message)")
        let text = runMFToolReporting(["convert", parquet, folder + "/t.h5", "--value-col", "item", "--item-col", "when"])
        #expect(text.code == 1)
        #expect(text.message.contains("value column 'item' holds STRING values, not numbers"), "\(text.message)")
        let missing = runMFToolReporting(["convert", parquet, folder + "/m.h5", "--time-col", "stamp"])
        #expect(missing.code == 1)
        #expect(missing.message.contains("no time column named 'stamp' (its columns are user, item, rating, when)"), "\(missing.message)")
        #expect(!missing.message.contains("\n"))
    }

    @Test("--shard on a Parquet log says it is Parquet and how to convert it")
    func shard() throws {
        let folder = Fixtures.scratchFolder()
        let run = runMFToolReporting(["solve", "--interactions", parquet, "--items", Fixtures.path("ridge/items.h5"), "--shard", "0/2",
                                      "--out", folder + "/u-{shard}.h5", "--quiet"])
        #expect(run.code == 1)
        #expect(run.message.contains("this is Parquet: run `mftool convert \(parquet) OUT.h5` once and shard that"), "\(run.message)")
    }

    @Test("recommend, similar and merge write .parquet whose rows are their CSV's lines")
    func outputs() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["generate", "--users", "30", "--items", "20", "--nnz", "200", "--k", "3", "--seed", "5",
                           "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"]) == 0)
        let commands = [["recommend", "--users", folder + "/u.h5", "--items", folder + "/v.h5", "--train", folder + "/r.h5", "--k", "4"],
                        ["similar", "--items", folder + "/v.h5", "--all", "--k", "3"]]
        for (n, command) in commands.enumerated() {
            for ext in ["csv", "parquet"] {
                #expect(runMFTool(command + ["--out", "\(folder)/o\(n).\(ext)", "-q"]) == 0)
            }
            let lines = try String(contentsOfFile: "\(folder)/o\(n).csv", encoding: .utf8).split(separator: "\n").map(String.init)
            let rows = try Self.lines(ofParquet: "\(folder)/o\(n).parquet")
            #expect(rows == lines && rows.count > 20, "\(command[0])")
        }
        // Sharded recommendations merged into .parquet: the unsharded CSV's lines again.
        for s in 0..<3 {
            #expect(runMFTool(commands[0] + ["--shard", "\(s)/3", "--out", "\(folder)/part-\(s).h5", "-q"]) == 0)
        }
        #expect(runMFTool(["merge"] + (0..<3).map { "\(folder)/part-\($0).h5" } + ["--out", folder + "/merged.parquet", "-q"]) == 0)
        let lines = try String(contentsOfFile: "\(folder)/o0.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(try Self.lines(ofParquet: folder + "/merged.parquet") == lines)
    }

    /// The rows of a flat Parquet file as CSV lines (the header first), values printed as the
    /// CSV writers print them.
    static func lines(ofParquet path: String) throws -> [String] {
        let file = try ParquetFile(path: path)
        let columns = try file.columns.map { try file.read($0.name).values }
        var rows = [file.columns.map(\.name).joined(separator: ",")]
        for r in 0..<file.rowCount {
            rows.append(columns.map { values -> String in
                switch values {
                case let .int64(v): String(v[r])
                case let .int32(v): String(v[r])
                case let .double(v): "\(v[r])"
                case let .byteArray(b): b.string(at: r)
                default: "?"
                }
            }.joined(separator: ","))
        }
        return rows
    }

    @Test("--candidates and --exclude take Parquet: one column is a list for everyone, user and item columns a list per user")
    func idLists() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["generate", "--users", "30", "--items", "20", "--nnz", "200", "--k", "3", "--seed", "6",
                           "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"]) == 0)
        let items = try EmbeddingsFile.read(FileSpec(folder + "/v.h5")).itemIDs?.ids.map { $0 } ?? (0..<20).map(String.init)
        let chosen = [1, 4, 7, 9, 12, 15].map { items[$0] }
        try (chosen.joined(separator: "\n") + "\n").write(toFile: folder + "/c.txt", atomically: true, encoding: .utf8)
        var names = ParquetByteArrays()
        for id in chosen { names.append(id.utf8) }
        try ParquetWriter.write([("item", .byteArray(names))], to: folder + "/c.parquet")
        let pairs = (0..<30).flatMap { u in (0..<4).map { (u, (u * 3 + $0 * 5) % 20) } }
        try (["user,item"] + pairs.map { "\($0.0),\(items[$0.1])" }).joined(separator: "\n").write(toFile: folder + "/p.csv", atomically: true, encoding: .utf8)
        var pairItems = ParquetByteArrays()
        for (_, i) in pairs { pairItems.append(items[i].utf8) }
        try ParquetWriter.write([("user", .int64(pairs.map { Int64($0.0) })), ("item", .byteArray(pairItems))], to: folder + "/p.parquet")
        let base = ["recommend", "--users", folder + "/u.h5", "--items", folder + "/v.h5", "--k", "3", "-q"]
        for (option, text, parquet) in [("--candidates", "c.txt", "c.parquet"), ("--exclude", "c.txt", "c.parquet"),
                                        ("--candidates", "p.csv", "p.parquet")] {
            var outputs: [String] = []
            for list in [text, parquet] {
                let out = "\(folder)/\(option)-\(list).csv"
                let extra = option == "--exclude" ? ["--train", folder + "/r.h5"] : ["--include-seen"]
                let run = runMFToolReporting(base + extra + [option, folder + "/" + list, "--out", out])
                #expect(run.code == 0, "\(option) \(list): \(run.message)")
                outputs.append((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
            }
            #expect(outputs[0] == outputs[1] && outputs[0].split(separator: "\n").count > 30, "\(option) \(text)")
        }
    }
}
