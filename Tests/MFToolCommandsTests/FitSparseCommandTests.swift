import FixturePaths
import IO
@testable import MFToolCommands
import Testing

@Suite("mftool fit --sparse")
struct FitSparseCommandTests {
    let data = ["--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5")]

    @Test("--sparse trains the observed loss and records the sparse flag; plain SGD gives the dense factors")
    func recordsFlag() throws {
        let folder = Fixtures.scratchFolder()
        let common = ["--lr", "0.01", "--epochs", "2", "--batch-size", "16", "--quiet"] + data
        #expect(runMFTool(["fit", "--method", "adam", "--sparse", "--out", folder + "/a.h5"] + common) == 0)
        #expect(try FactorFile.read(FileSpec(folder + "/a.h5")).run?.gradient?.optimizer.sparse == true)
        #expect(runMFTool(["fit", "--method", "sgd", "--sparse", "--out", folder + "/s.h5"] + common) == 0)
        #expect(runMFTool(["fit", "--method", "sgd", "--out", folder + "/d.h5"] + common) == 0)
        let (sparse, dense) = (try FactorFile.read(FileSpec(folder + "/s.h5")), try FactorFile.read(FileSpec(folder + "/d.h5")))
        #expect(sparse.factors == dense.factors && dense.run?.gradient?.optimizer.sparse == false)
    }

    @Test("--sparse with weight decay, momentum, a full-batch loss or ALS is a usage error",
          arguments: [["--method", "adam", "--weight-decay", "0.01"], ["--method", "sgd", "--momentum", "0.9"],
                      ["--method", "adam", "--loss", "dense"], ["--method", "als", "--items-out", "v.h5"]])
    func conflicts(options: [String]) throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["fit", "--sparse", "--out", folder + "/u.h5", "--quiet"] + options + data) == 64)
    }
}
