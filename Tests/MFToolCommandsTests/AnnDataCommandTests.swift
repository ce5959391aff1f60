import FixturePaths
import Foundation
@testable import IO
@testable import MFToolCommands
import Matrices
import Testing

/// The commands with `.h5ad` files: what they write reads back to what they would write as
/// `.h5`, and embeddings anndata wrote are joined by their obs names.
@Suite("commands with AnnData (.h5ad) files")
struct AnnDataCommandTests {
    @Test("--items emb.h5ad from anndata is joined by its obs names: the factors of the .h5 with item_ids")
    func annDataItemsJoinedByID() throws {
        let folder = Fixtures.scratchFolder()
        let ratings = Fixtures.path("io/ratings.csv")
        for (name, items) in [("h5", "io/items.h5"), ("h5ad", "io/items_anndata.h5ad")] {
            #expect(runMFTool(["solve", "--interactions", ratings, "--items", Fixtures.path(items), "--require-ids",
                               "--out", "\(folder)/u-\(name).h5", "-q"]) == 0)
        }
        let viaH5 = try FactorFile.read(FileSpec(folder + "/u-h5.h5"))
        let viaAnnData = try FactorFile.read(FileSpec(folder + "/u-h5ad.h5"))
        // The files list the items in reversed orders, so the sums run in other orders: equal to rounding.
        let largest = zip(viaAnnData.factors.storage, viaH5.factors.storage).map { abs($0 - $1) }.max() ?? .infinity
        #expect(viaAnnData.factors.rows == viaH5.factors.rows && largest < 1e-12)
        #expect(viaAnnData.ids == viaH5.ids)
    }

    @Test("inspect shows the obs names of an anndata embeddings file as its item ids")
    func inspectAnnDataItems() throws {
        let summary = try jsonSummary(["inspect", Fixtures.path("io/items_anndata.h5ad"), "--json"])
        #expect(summary["kind"] as? String == "embeddings")
        #expect(summary["item_ids"] as? [String] == ["jaws", "alien", "up", "brazil", "zelig"])
    }

    @Test("convert, split and generate write .h5ad that reads back as their .h5 does")
    func interactionsOutputs() throws {
        let folder = Fixtures.scratchFolder()
        let base = ["generate", "--users", "40", "--items", "25", "--nnz", "300", "--k", "3", "--seed", "9", "-q"]
        #expect(runMFTool(base + ["--out", folder + "/g.h5", "--items-out", folder + "/gv.h5"]) == 0)
        #expect(runMFTool(base + ["--out", folder + "/g.h5ad", "--items-out", folder + "/gv.h5ad"]) == 0)
        let generated = try InteractionsFile.read(FileSpec(folder + "/g.h5")).0
        #expect(try InteractionsFile.read(FileSpec(folder + "/g.h5ad")).0 == generated)
        let items = try EmbeddingsFile.read(FileSpec(folder + "/gv.h5"))
        let itemsAnnData = try EmbeddingsFile.read(FileSpec(folder + "/gv.h5ad"))
        #expect(itemsAnnData.factors == items.factors && itemsAnnData.itemIDs == items.itemIDs)

        #expect(runMFTool(["convert", Fixtures.path("io/ratings_latest.csv"), folder + "/t.h5ad", "--time-col", "timestamp", "-q"]) == 0)
        #expect(runMFTool(["convert", Fixtures.path("io/ratings_latest.csv"), folder + "/t.h5", "--time-col", "timestamp", "-q"]) == 0)
        let timed = try InteractionsFile.read(FileSpec(folder + "/t.h5")).0
        #expect(timed.timestamps != nil)
        #expect(try InteractionsFile.read(FileSpec(folder + "/t.h5ad")).0 == timed)

        for ext in ["h5", "h5ad"] {
            #expect(runMFTool(["split", "--interactions", folder + "/t.h5ad", "--by", "last", "--last-k", "1",
                               "--train", "\(folder)/tr.\(ext)", "--test", "\(folder)/te.\(ext)", "-q"]) == 0)
        }
        for part in ["tr", "te"] {
            let h5 = try InteractionsFile.read(FileSpec("\(folder)/\(part).h5")).0
            #expect(try InteractionsFile.read(FileSpec("\(folder)/\(part).h5ad")).0 == h5, "\(part)")
        }
        // A train and a test file of different split runs are told apart in .h5ad as in .h5.
        #expect(Split.pairMarker(folder + "/tr.h5ad", limits: ReadLimits()) != nil)
    }

    @Test("ALS to .h5ad: eval of the AnnData factors equals eval of the .h5 ones (item bias from obs)")
    func factorOutputs() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["generate", "--users", "40", "--items", "25", "--nnz", "300", "--k", "3", "--seed", "9",
                           "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "-q"]) == 0)
        let fit = ["fit", "--method", "als", "--k", "2", "--epochs", "2", "--user-bias", "--offset", "global-mean",
                   "--interactions", folder + "/r.h5", "-q"]
        #expect(runMFTool(fit + ["--out", folder + "/u.h5", "--items-out", folder + "/iv.h5"]) == 0)
        #expect(runMFTool(fit + ["--out", folder + "/u.h5ad", "--items-out", folder + "/iv.h5ad"]) == 0)
        let (h5, annData) = (try FactorFile.read(FileSpec(folder + "/u.h5")), try FactorFile.read(FileSpec(folder + "/u.h5ad")))
        #expect(annData.factors == h5.factors && annData.objective == h5.objective && annData.ids == h5.ids)
        let eval = { (users: String, items: String) in
            try jsonSummary(["eval", "--users", users, "--items", items, "--test", folder + "/r.h5", "--metrics", "rmse,mae", "--json", "-q"])
        }
        let viaH5 = try eval(folder + "/u.h5", folder + "/iv.h5")
        let viaAnnData = try eval(folder + "/u.h5ad", folder + "/iv.h5ad")
        #expect(viaAnnData["rmse"] as? Double == viaH5["rmse"] as? Double)
        #expect(viaAnnData["mae"] as? Double == viaH5["mae"] as? Double)

        // Sharded solve parts merge into an AnnData factor file equal to the unsharded one.
        let solve = ["solve", "--interactions", folder + "/r.h5", "--items", folder + "/v.h5", "-q"]
        #expect(runMFTool(solve + ["--out", folder + "/s.h5ad"]) == 0)
        for i in 0..<3 { #expect(runMFTool(solve + ["--shard", "\(i)/3", "--out", folder + "/p-{shard}.h5"]) == 0) }
        #expect(runMFTool(["merge"] + (0..<3).map { "\(folder)/p-\($0).h5" } + ["--out", folder + "/m.h5ad", "-q"]) == 0)
        let (whole, merged) = (try FactorFile.read(FileSpec(folder + "/s.h5ad")), try FactorFile.read(FileSpec(folder + "/m.h5ad")))
        #expect(merged.factors == whole.factors && merged.ids == whole.ids)
        #expect(try HDF5File.open(folder + "/m.h5ad", limits: ReadLimits()).isAnnData)
    }
}
