import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `fit --method als`: both factor matrices from the interactions, with early stopping on a
/// validation file.
extension Fit {
    /// Classical ALS: both factor matrices from the interactions alone.
    func runALS(_ formats: (users: OutputFormat, items: OutputFormat?)) throws {
        guard let itemsOut else { throw ValidationError("--method als needs --items-out for the learned item factors") }
        guard factors >= 1 else { throw ValidationError("--k must be at least 1") }
        let (interactions, _) = try data.input.read(data.interactionsFile, limits: resources.limits)
        guard objective.itemBias == nil else {
            throw ValidationError("--method als learns its own item bias with --user-bias; --item-bias takes a fixed one for solve and fit")
        }
        var als = AlternatingLeastSquares(objective: objective.objective, k: factors)
        als.solver = RidgeSolver(threads: threads, precision: precision ?? .double)
        als.solver.memory = resources.limits.memory
        als.epochs = epochs
        als.seed = seed
        als.tracksObjective = !quiet || log != nil || json || stopping.validation != nil
        als.validation = try stopping.score(interactions: interactions, trainingFile: data.interactionsFile, factors: factors, userBias: objective.userBias,
                                            threads: threads, input: data.input, limits: resources.limits)
        als.patience = stopping.patience
        var logLines: [String] = []
        let quiet = self.quiet
        let started = Date()
        let progress = ProgressLine("epoch 1 users", unit: "rows", quiet: quiet)
        if progress.enabled { als.progress = { step, done, total in progress.update(done, total, step: step) } }
        let result = try als.run(interactions.matrix) { epoch in
            progress.clear()
            var line: [String: Any] = ["epoch": epoch.epoch, "objective": epoch.objective, "seconds": epoch.seconds]
            if let score = epoch.validation { line[stopping.metric] = score }
            logLines.append(Console.json(line))
            if !quiet {
                let score = epoch.validation.map { String(format: "  %@ %.6f", stopping.metric, $0) } ?? ""
                Console.error(String(format: "epoch %d  objective %.10g  %.3f s", epoch.epoch, epoch.objective, epoch.seconds) + score)
            }
            if timings {
                Console.error(String(format: "timings: epoch %d: users %.3f s, items %.3f s, objective %.3f s", epoch.epoch,
                                     epoch.userSeconds, epoch.itemSeconds, epoch.objectiveSeconds))
            }
        }
        // Both files record the same settings; the learned item bias is stored in the items file.
        let biases = result.itemBias != nil
        var users = objective.factorFile(result.users, ids: interactions.userIDs, mean: result.mean, limits: resources.limits)
        users.userBias = biases
        users.itemBiasSource = biases ? FileSpec(path: itemsOut, object: formats.items == .h5ad ? "/obs/item_bias" : "/item_bias") : nil
        users.run = alsRun(result)
        var items = users
        items.side = .items
        items.factors = result.items
        items.ids = interactions.itemIDs
        items.itemBias = result.itemBias
        try users.write(to: out, format: formats.users, provenance: alsProvenance(users))
        try items.write(to: itemsOut, format: formats.items, provenance: alsProvenance(items))
        if let log { try TextOutput.write(logLines.joined(separator: "\n") + "\n", to: log) }
        reportALS(result, itemsOut: itemsOut, started: started)
    }

    /// What ALS's factor files record of the run: the epochs run and, with early stopping, the
    /// kept epoch with its score; the objective of the factors saved.
    func alsRun(_ result: AlternatingLeastSquares.Result) -> FactorFile.Run {
        var run = FactorFile.Run(method: .als)
        run.precision = precision
        run.epochs = result.history.count
        run.seed = seed
        let kept = result.keptEpoch
        if let best = result.bestEpoch {
            run.bestEpoch = best
            run.validationMetric = stopping.metric
            run.validationScore = kept?.validation
        }
        if let value = kept?.objective, !value.isNaN { run.objectiveValue = value }
        return run
    }

    /// The kept epoch (with early stopping) on stderr, and the --json summary; both describe the
    /// factors written: the objective is the kept epoch's, not the last one run.
    func reportALS(_ result: AlternatingLeastSquares.Result, itemsOut: String, started: Date) {
        let kept = result.keptEpoch
        if let best = result.bestEpoch, !quiet {
            Console.error(String(format: "kept epoch %d of %d run: the best %@ %.6f on %@, objective %.10g",
                                 best, result.history.count, stopping.metric, kept?.validation ?? .nan,
                                 stopping.validation ?? "", kept?.objective ?? .nan))
        }
        if json {
            var summary: [String: Any] = ["method": "als", "users": result.users.rows, "items": result.items.rows, "k": factors,
                                          "epochs": result.history.count, "objective": kept?.objective ?? .nan,
                                          "seconds": Date().timeIntervalSince(started), "out": out, "items_out": itemsOut]
            if let best = result.bestEpoch {
                summary["best_epoch"] = best
                summary["validation_metric"] = stopping.metric
                summary["validation_score"] = kept?.validation ?? .nan
                summary["last_objective"] = result.history.last?.objective ?? .nan
            }
            Console.out(Console.json(summary))
        }
    }

    /// What ALS's two HDF5 outputs record besides their factor-file attributes: those
    /// attributes' settings with the epochs asked for, the threads and early stopping.
    func alsProvenance(_ file: FactorFile) -> Provenance {
        var settings: [String: Any?] = file.recordedSettings
        settings["k"] = factors
        settings["epochs_requested"] = epochs
        settings["threads"] = threads
        settings["metric"] = stopping.validation != nil ? stopping.metric : nil
        settings["patience"] = stopping.validation != nil ? stopping.patience : nil
        return Provenance(command: "fit", settings: settings,
                          inputs: ["interactions": data.interactionsFile, "validation": stopping.validation])
    }
}
