import FixturePaths
import Foundation
import IO
import Matrices
import Testing

/// Generated counts at k = 128 with most users below k entries: the dual form's shape.
private func largeKData(_ folder: String) -> [String] {
    #expect(runMFTool(["generate", "--users", "150", "--items", "400", "--nnz", "4000", "--k", "128", "--values", "counts",
                       "--out", folder + "/r.h5", "--items-out", folder + "/v.h5", "--quiet"]) == 0)
    return ["--interactions", folder + "/r.h5", "--items", folder + "/v.h5"]
}

private func largestRelativeDifference(_ a: String, _ b: String) throws -> Double {
    let x = try FactorFile.read(FileSpec(a)).factors, y = try FactorFile.read(FileSpec(b)).factors
    #expect(x.rows == y.rows && x.columns == y.columns)
    let scale = y.storage.map { abs($0) }.max() ?? 0
    return (zip(x.storage, y.storage).map { abs($0 - $1) }.max() ?? 0) / scale
}

@Suite("mftool solve --form")
struct SolveFormCommandTests {
    @Test("dual, primal and auto give the same factors; --json counts the dual users",
          arguments: [["--loss", "implicit", "--confidence", "linear", "--alpha", "1"],
                      ["--loss", "implicit", "--reg", "frequency", "--reg-exponent", "0.5", "--user-bias"],
                      ["--loss", "observed", "--user-bias", "--offset", "global-mean", "--reg", "count"],
                      ["--loss", "dense", "--reg", "count"]])
    func formsAgree(objective: [String]) throws {
        let folder = Fixtures.scratchFolder()
        let data = largeKData(folder)
        var dualUsers: [String: Int] = [:]
        for form in ["primal", "dual", "auto"] {
            let s = try jsonSummary(["solve", "--form", form, "--out", "\(folder)/\(form).h5", "--lambda", "0.5", "--json", "--quiet"] + data + objective)
            dualUsers[form] = s["dual_users"] as? Int
        }
        #expect(dualUsers["primal"] == 0)
        #expect((dualUsers["dual"] ?? 0) > 0 && (dualUsers["auto"] ?? 0) > 0)
        #expect(try largestRelativeDifference(folder + "/dual.h5", folder + "/primal.h5") <= 1e-10)
        #expect(try largestRelativeDifference(folder + "/auto.h5", folder + "/primal.h5") <= 1e-10)
    }

    @Test("the item side takes the dual form too")
    func itemSide() throws {
        let folder = Fixtures.scratchFolder()
        _ = largeKData(folder)
        #expect(runMFTool(["fit", "--method", "als", "--k", "128", "--epochs", "1", "--interactions", folder + "/r.h5",
                           "--out", folder + "/u.h5", "--items-out", folder + "/v2.h5", "--loss", "implicit", "--quiet"]) == 0)
        for form in ["primal", "dual"] {
            let s = try jsonSummary(["solve", "--side", "items", "--users", folder + "/u.h5", "--interactions", folder + "/r.h5",
                                     "--loss", "implicit", "--form", form, "--out", "\(folder)/items-\(form).h5", "--json", "--quiet"])
            #expect(form == "primal" ? s["dual_items"] as? Int == 0 : (s["dual_items"] as? Int ?? 0) > 0)
        }
        #expect(try largestRelativeDifference(folder + "/items-dual.h5", folder + "/items-primal.h5") <= 1e-10)
    }

    @Test("check finds the same gap for the dual and the primal solution")
    func checkGap() throws {
        let folder = Fixtures.scratchFolder()
        let data = largeKData(folder)
        let objective = ["--loss", "implicit", "--alpha", "2", "--lambda", "0.5"]
        for form in ["primal", "dual"] {
            #expect(runMFTool(["solve", "--form", form, "--out", "\(folder)/\(form).h5", "--quiet"] + data + objective) == 0)
        }
        var gaps: [Double] = []
        for form in ["primal", "dual"] {
            let s = try jsonSummary(["check", "--users", "\(folder)/\(form).h5", "--json"] + data + objective)
            gaps.append(try #require(s["relative_gap"] as? Double))
        }
        #expect(gaps.allSatisfy { abs($0) <= 1e-12 })
    }

    @Test("--form takes auto, primal or dual")
    func validation() {
        let folder = Fixtures.scratchFolder()
        let data = largeKData(folder)
        #expect(runMFTool(["solve", "--form", "woodbury", "--out", folder + "/x.h5", "--quiet"] + data) == 64)
    }
}
