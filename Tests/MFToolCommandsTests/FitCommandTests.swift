import FixturePaths
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import IO
import Loading
import Matrices
@testable import MFToolCommands
import Testing

@Suite("mftool fit and check")
struct FitCommandTests {
    let data = ["--interactions", Fixtures.path("ridge/problem.h5"), "--items", Fixtures.path("ridge/items.h5")]

    @Test("--check-tol: exit 0 when converged, 2 when not; the SVG holds the curve")
    func checkTolerance() throws {
        let folder = Fixtures.scratchFolder()
        let converged = runMFTool(["fit", "--method", "adam", "--lr", "0.05", "--epochs", "400", "--loss", "dense", "--lambda", "0.3",
                                   "--out", folder + "/u.h5", "--check", "--check-tol", "1e-8", "--plot", folder + "/c.svg",
                                   "--log", folder + "/log.jsonl", "--quiet"] + data)
        #expect(converged == 0)
        let svg = try String(contentsOfFile: folder + "/c.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("<polyline class=\"curve\"") && svg.contains("exact optimum") && svg.contains(">epoch<"))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "the SVG is well-formed XML")
        let log = try String(contentsOfFile: folder + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 400)
        let short = runMFTool(["fit", "--method", "sgd", "--lr", "0.001", "--epochs", "3", "--loss", "dense",
                               "--out", folder + "/v.h5", "--check", "--check-tol", "1e-8", "--quiet"] + data)
        #expect(short == 2)
    }

    @Test("fit --method als --user-bias writes user and item intercepts that eval and recommend use")
    func biasedALS() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        #expect(runMFTool(["fit", "--method", "als", "--k", "3", "--epochs", "4", "--lambda", "0.1", "--reg", "count", "--user-bias",
                           "--offset", "global-mean", "--interactions", input, "--out", folder + "/u.h5", "--items-out", folder + "/v.h5", "--quiet"]) == 0)
        let loaded = try LoadedModel(users: FileSpec(folder + "/u.h5"), items: FileSpec(folder + "/v.h5"))
        let model = loaded.model
        #expect(model.userBias && model.itemBias?.count == model.items.rows && model.users.columns == 4)
        let (x, _) = try InteractionsFile.read(FileSpec(input))
        #expect(abs(model.mean - x.matrix.values.reduce(0, +) / Double(x.matrix.nnz)) < 1e-12)
        // Four epochs of biased ALS fit the training data better than the mean plus intercepts alone.
        var residual = 0.0, spread = 0.0
        for u in 0..<x.userCount {
            for p in x.matrix.range(ofRow: u) {
                residual += pow(x.matrix.values[p] - model.predict(u, Int(x.matrix.indices[p])), 2)
                spread += pow(x.matrix.values[p] - model.mean, 2)
            }
        }
        #expect(residual < spread)
        #expect(runMFTool(["fit", "--method", "als", "--k", "3", "--item-bias", folder + "/v.h5:/item_bias", "--interactions", input,
                           "--out", folder + "/u2.h5", "--items-out", folder + "/v2.h5", "--quiet"]) == 64)
    }

    @Test("fit --method als --precision single solves in single precision and records it; gradient methods refuse it")
    func alsPrecision() throws {
        let folder = Fixtures.scratchFolder()
        let base = ["fit", "--method", "als", "--k", "3", "--epochs", "3", "--lambda", "0.3", "--loss", "implicit", "--alpha", "2",
                    "--interactions", Fixtures.path("ridge/problem.h5"), "--quiet"]
        #expect(runMFTool(base + ["--out", folder + "/d.h5", "--items-out", folder + "/dv.h5"]) == 0)
        #expect(runMFTool(base + ["--precision", "single", "--out", folder + "/s.h5", "--items-out", folder + "/sv.h5", "--timings"]) == 0)
        let double = try FactorFile.read(FileSpec(folder + "/d.h5")), single = try FactorFile.read(FileSpec(folder + "/s.h5"))
        #expect(single.run?.precision == .single && double.run?.precision == nil)
        let scale = double.factors.storage.map { abs($0) }.max()!
        let gap = zip(single.factors.storage, double.factors.storage).map { abs($0 - $1) }.max()!
        #expect(gap > 0 && gap <= 1e-4 * scale)
        #expect(runMFTool(["fit", "--method", "adam", "--precision", "single", "--interactions", Fixtures.path("ridge/problem.h5"),
                           "--items", Fixtures.path("ridge/items.h5"), "--out", folder + "/a.h5", "--quiet"]) == 64)
    }

    @Test("fit --method als --validation logs the metric per epoch and keeps the best epoch; bad metrics are usage errors")
    func earlyStopping() throws {
        let folder = Fixtures.scratchFolder()
        let input = Fixtures.path("ridge/problem.h5")
        #expect(runMFTool(["split", "--interactions", input, "--train", folder + "/t.h5", "--test", folder + "/h.h5", "--seed", "2",
                           "--quiet"]) == 0)
        let base = ["fit", "--method", "als", "--k", "3", "--epochs", "6", "--lambda", "0.3", "--loss", "implicit", "--alpha", "2",
                    "--interactions", folder + "/t.h5", "--out", folder + "/u.h5", "--items-out", folder + "/v.h5", "--quiet"]
        #expect(runMFTool(base + ["--validation", folder + "/h.h5", "--metric", "ndcg@10", "--patience", "2", "--log", folder + "/log.jsonl"]) == 0)
        let lines = try String(contentsOfFile: folder + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        let scores = try lines.map { try #require((JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["ndcg@10"] as? Double) }
        let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        #expect(scores.count == 6 || scores.count - 1 - best == 2)
        #expect(runMFTool(base + ["--validation", folder + "/h.h5", "--metric", "auc@10"]) == 64)
        #expect(runMFTool(base + ["--validation", folder + "/h.h5", "--patience", "0"]) == 64)
        // A validation file from another split run is refused: it may hold training interactions.
        #expect(runMFTool(["split", "--interactions", input, "--train", folder + "/t2.h5", "--test", folder + "/h2.h5", "--seed", "3",
                           "--quiet"]) == 0)
        #expect(runMFTool(base + ["--validation", folder + "/h2.h5"]) == 1)
    }

    @Test("early stopping: the summary, --json and the factor file describe the kept epoch, not the last one run")
    func keptEpochReported() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["split", "--interactions", Fixtures.path("ridge/problem.h5"), "--train", folder + "/t.h5",
                           "--test", folder + "/h.h5", "--seed", "2", "--quiet"]) == 0)
        // On this split, ndcg@10 peaks at epoch 2 and falls for the next two.
        let summary = try jsonSummary(["fit", "--method", "als", "--k", "3", "--epochs", "30", "--lambda", "0.3", "--loss", "implicit",
                                       "--alpha", "2", "--interactions", folder + "/t.h5", "--out", folder + "/u.h5",
                                       "--items-out", folder + "/v.h5", "--validation", folder + "/h.h5", "--metric", "ndcg@10",
                                       "--patience", "2", "--log", folder + "/log.jsonl", "--json", "--quiet"])
        let log = try String(contentsOfFile: folder + "/log.jsonl", encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let scores = log.map { $0["ndcg@10"] as! Double }
        let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        #expect(best + 1 < log.count)  // stopped early: the last epoch run is not the kept one
        #expect(summary["epochs"] as? Int == log.count && summary["best_epoch"] as? Int == best + 1)
        #expect(summary["objective"] as? Double == log[best]["objective"] as? Double)
        #expect(summary["last_objective"] as? Double == log.last?["objective"] as? Double)
        #expect(summary["validation_score"] as? Double == scores[best] && summary["validation_metric"] as? String == "ndcg@10")
        for path in [folder + "/u.h5", folder + "/v.h5"] {
            let run = try #require(try FactorFile.read(FileSpec(path), side: path.hasSuffix("v.h5") ? .items : .users).run)
            #expect(run.epochs == log.count && run.bestEpoch == best + 1 && run.validationMetric == "ndcg@10")
            // Foundation's JSON parser on Linux can be an ulp off; the file holds the exact value.
            let logged = try #require(log[best]["objective"] as? Double)
            #expect(run.validationScore.map { abs($0 - scores[best]) <= 1e-15 } == true)
            #expect(run.objectiveValue.map { abs($0 - logged) <= 1e-13 * abs(logged) } == true)
        }
    }

    @Test("fit records coupled weight decay as the λ it adds, so check takes the trained objective")
    func weightDecayRecorded() throws {
        let folder = Fixtures.scratchFolder()
        let out = folder + "/u.h5"
        #expect(runMFTool(["fit", "--method", "adam", "--lr", "0.01", "--epochs", "5", "--loss", "dense", "--lambda", "0",
                           "--weight-decay", "0.002", "--out", out, "--quiet"] + data) == 0)
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("ridge/problem.h5")))
        let effective = 0.002 * Double(x.userCount * x.itemCount) / 2
        #expect(try FactorFile.read(FileSpec(out)).objective?.lambda == effective)
        let check = ["--users", out] + data
        let recorded = try #require(try checkGap(check))
        #expect(try checkGap(check + ["--loss", "dense", "--lambda", "\(effective)"]) == recorded)
        #expect(runMFTool(["check", "--lambda", "0"] + check) == 1)
    }

    @Test("--lr-decay shrinks the step after each epoch; values outside (0, 1] are refused")
    func learningRateDecay() throws {
        let folder = Fixtures.scratchFolder()
        let items = Fixtures.path("ridge/items.h5")
        let common = ["fit", "--method", "sgd", "--lr", "0.001", "--epochs", "3", "--loss", "dense", "--init", "zeros", "--quiet"] + data
        #expect(runMFTool(common + ["--out", folder + "/constant.h5"]) == 0)
        #expect(runMFTool(common + ["--out", folder + "/decayed.h5", "--lr-decay", "0.5"]) == 0)
        let constant = try LoadedModel(users: FileSpec(folder + "/constant.h5"), items: FileSpec(items)).model.users.doubles
        let decayed = try LoadedModel(users: FileSpec(folder + "/decayed.h5"), items: FileSpec(items)).model.users.doubles
        // From zero, three epochs at lr, lr/2, lr/4 move the factors less than three at lr.
        let norm = { (m: DenseMatrix<Double>) in m.storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(norm(decayed) < norm(constant) && norm(decayed) > 0)
        #expect(runMFTool(common + ["--out", folder + "/x.h5", "--lr-decay", "0"]) == 64)
        #expect(runMFTool(common + ["--out", folder + "/x.h5", "--lr-decay", "1.5"]) == 64)
    }

    @Test("--threads is accepted and validated")
    func threads() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["fit", "--epochs", "3", "--threads", "1", "--loss", "dense", "--out", folder + "/u.h5", "--quiet", "--timings"] + data) == 0)
        #expect(runMFTool(["fit", "--epochs", "3", "--threads", "0", "--out", folder + "/v.h5", "--quiet"] + data) == 64)
    }

    @Test("check reports ~0 for the exact solution and exit 2 for a poor one")
    func checkCommand() throws {
        let folder = Fixtures.scratchFolder()
        #expect(runMFTool(["solve", "--loss", "implicit", "--alpha", "2", "--out", folder + "/exact.h5", "--quiet"] + data) == 0)
        #expect(runMFTool(["check", "--users", folder + "/exact.h5", "--loss", "implicit", "--alpha", "2", "--check-tol", "1e-12"] + data) == 0)
        #expect(runMFTool(["check", "--users", folder + "/exact.h5", "--loss", "implicit", "--alpha", "5", "--check-tol", "1e-6"] + data) == 1)
        #expect(runMFTool(["check", "--users", folder + "/exact.h5", "--loss", "implicit", "--alpha", "5", "--override", "--check-tol", "1e-6"] + data) == 2)
        #expect(runMFTool(["check", "--users", folder + "/exact.h5", "--user-bias"] + data) != 0)
    }
}
