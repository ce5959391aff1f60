import FixturePaths
import Foundation
@testable import IO
import Matrices
import Solvers
import Testing

@Suite("mftool solve with the iALS settings (--unobserved-weight, --reg-exponent)")
struct IALSCommandTests {
    static let inputs = ["--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                         "--loss", "implicit", "--alpha", "2", "--lambda", "0.3", "--quiet"]

    @Test("α0 and ν give the NumPy reference's solution and are recorded in the factor file")
    func solve() throws {
        let out = Fixtures.scratchFolder() + "/u.h5"
        #expect(runMFTool(["solve"] + Self.inputs + ["--unobserved-weight", "0.5", "--reg-exponent", "0.5", "--user-bias", "--out", out]) == 0)
        let file = try FactorFile.read(FileSpec(out))
        let expected = try EmbeddingsFile.read(FileSpec(path: Fixtures.path("ridge/expected.h5"),
                                                        object: "/implicit-oneplus_frequency-a0.5-nu0.5_userbias/user_factors")).factors
        let scale = expected.storage.map { abs($0) }.max()!
        #expect(zip(file.factors.storage, expected.storage).map { abs($0 - $1) }.max()! <= 1e-10 * scale)
        #expect(file.objective?.regularization == .frequency)
        #expect(file.objective?.regularizationExponent == 0.5 && file.objective?.unobservedWeight == 0.5)
    }

    @Test("--reg-exponent alone means --reg frequency; with another --reg, or α0 off the implicit loss, it is a usage error")
    func usage() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["solve"] + Self.inputs + ["--reg-exponent", "1", "--out", folder + "/a.h5"]) == 0)
        #expect(runMFTool(["solve"] + Self.inputs + ["--reg", "frequency", "--reg-exponent", "1", "--out", folder + "/b.h5"]) == 0)
        let a = try FactorFile.read(FileSpec(folder + "/a.h5")), b = try FactorFile.read(FileSpec(folder + "/b.h5"))
        #expect(a.factors.storage.map(\.bitPattern) == b.factors.storage.map(\.bitPattern))
        #expect(runMFTool(["solve"] + Self.inputs + ["--reg", "count", "--reg-exponent", "1", "--out", folder + "/c.h5"]) == 64)
        #expect(runMFTool(["solve", "--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5"),
                           "--unobserved-weight", "0.5", "--out", folder + "/d.h5", "--quiet"]) == 64)
        #expect(runMFTool(["solve"] + Self.inputs + ["--unobserved-weight", "-1", "--out", folder + "/e.h5"]) == 64)
    }

    @Test("without the new options the file records neither, as before")
    func defaults() throws {
        let out = Fixtures.scratchFolder() + "/u.h5"
        #expect(runMFTool(["solve"] + Self.inputs + ["--out", out]) == 0)
        let file = try HDF5File.open(out, limits: ReadLimits())
        #expect(!file.hasAttribute("reg_exponent", on: "/") && !file.hasAttribute("unobserved_weight", on: "/"))
    }
}
