import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("mftool convert and inspect")
struct ConvertCommandTests {
    @Test("converts text to canonical HDF5 and back to the same interactions")
    func convertText() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/u.data"), folder + "/u.h5", "--quiet"]) == 0)
        let (viaCLI, _) = try InteractionsFile.read(FileSpec(folder + "/u.h5"))
        let (direct, _) = try InteractionsFile.read(FileSpec(Fixtures.path("io/u.data")))
        #expect(viaCLI == direct)
    }

    @Test("converts .npy embeddings to HDF5 item_factors")
    func convertEmbeddings() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/items_fortran.npy"), folder + "/e.h5", "-q"]) == 0)
        let back = try EmbeddingsFile.read(FileSpec(folder + "/e.h5:/item_factors"))
        let original = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items_fortran.npy")))
        #expect(back.factors == original.factors)
    }

    @Test("bad input exits 1 and leaves no output; bad usage exits 64")
    func exitCodes() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/bad/nan_value.csv"), folder + "/x.h5", "-q"]) == 1)
        #expect(runMFTool(["convert", Fixtures.path("io/duplicates.csv"), folder + "/x.h5", "--duplicates", "error", "-q"]) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(runMFTool(["convert", Fixtures.path("io/u.data"), folder + "/x.h5", "--duplicates", "maybe"]) == 64)
        #expect(runMFTool(["convert", Fixtures.path("io/u.data"), folder + "/x.h5", "--drop-unknown-items"]) == 64)
        #expect(runMFTool(["convert", Fixtures.path("io/u.data")]) == 64)
    }

    @Test("--item-ids-from and --drop-unknown-items through the CLI")
    func itemAlignment() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["convert", Fixtures.path("io/ratings.csv"), folder + "/r.h5", "--item-ids-from", Fixtures.path("io/items.h5"), "-q"]) == 0)
        let (x, _) = try InteractionsFile.read(FileSpec(folder + "/r.h5"))
        let ids = try EmbeddingsFile.readIDs(FileSpec(Fixtures.path("io/items.h5")))
        #expect(x.itemIDs == ids)
    }

    @Test("inspect describes interactions and embeddings, and --json is valid JSON")
    func inspect() throws {
        #expect(runMFTool(["inspect", Fixtures.path("io/csr_root.h5"), "--json"]) == 0)
        #expect(runMFTool(["inspect", Fixtures.path("io/items.h5")]) == 0)
        #expect(runMFTool(["inspect", Fixtures.path("io/bad/truncated.h5")]) == 1)
    }

    @Test("inspect says whether the interactions have timestamps, and their range")
    func inspectTimestamps() throws {
        let folder = Fixtures.scratchFolder()
        let csv = folder + "/timed.csv"
        try "user,item,rating,time\na,x,1,300\nb,y,2,100\nb,x,1,200\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let timed = try InteractionsFile.read(FileSpec(csv), options: { var o = InteractionsFile.ReadOptions(); o.text.timeColumn = .name("time"); return o }()).0
        let range = Summary.interactions(timed).first { $0.0 == "timestamps" }?.1 as? [String: Double]
        #expect(range == ["min": 100, "max": 300])
        let untimed = try InteractionsFile.read(FileSpec(Fixtures.path("io/csr_root.h5"))).0
        #expect(Summary.interactions(untimed).first { $0.0 == "timestamps" }?.1 as? String == "none")
    }
}
