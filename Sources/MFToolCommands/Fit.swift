import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

extension OptimizerKind: ExpressibleByArgument {}
extension GradientTrainer.LossScale: ExpressibleByArgument {}

/// `mftool fit`: gradient training of the user factors, with the exact optimum as a yardstick.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train user factors by SGD or Adam on the same objective solve minimizes, and check against the exact optimum.",
        discussion: """
        The dense and implicit losses train full-batch (BLAS products and the VᵀV trick; the m × n \
        matrix is never formed); the observed loss trains on shuffled mini-batches of \
        (user, item, value) triplets, reproducible with --seed. Updates follow torch.optim.SGD, \
        Adam and (with --decoupled) AdamW. The reported loss is scaled by --loss-scale: mean \
        divides by the number of terms, like MSELoss(). Coupled --weight-decay w acts as λ + w·N/2 \
        (mean, N terms) or λ + w/2 (sum) on the summed objective, which is what --check compares with.

        Progress and --log records (one JSON object per epoch: epoch, loss, objective, gap, \
        seconds) give the loss before the epoch's step — what a PyTorch loop prints — and the \
        summed objective and its gap to the optimum after it.

        --method als alternates the exact user and item solves from seeded random items and \
        writes both factor files (--out, --items-out); with --user-bias it learns biased MF, \
        r ≈ μ + b_u + c_i + x_u·v_i, storing b_u as the last user column and c_i as the items \
        file's item_bias dataset (eval and recommend pick both up).

        Exit codes: 0, 1 on bad input, 2 when --check-tol is exceeded.

        Examples:
          mftool fit --method adam --lr 0.001 --epochs 100 --interactions r.h5 --items v.h5 --out u.h5 --loss dense --lambda 0 --weight-decay 0.001 --check
          mftool fit --method sgd --lr 0.01 --momentum 0.9 --batch-size 1024 --interactions ml100k.h5 --items v.h5 --out u.h5 --check --plot curve.svg
          mftool fit --method als --k 32 --epochs 15 --lambda 0.05 --reg count --user-bias --offset global-mean --interactions train.h5 --out u.h5 --items-out v.h5
        """
    )

    enum Init: ExpressibleByArgument {
        case random, zeros, file(String)
        init?(argument: String) {
            switch argument {
            case "random": self = .random
            case "zeros": self = .zeros
            default: self = .file(argument)
            }
        }
    }

    enum Method: String, ExpressibleByArgument { case sgd, adam, als }

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "sgd, adam, or als (alternating exact solves that also learn the items; needs --items-out and --k).")
    var method: Method = .adam

    @Option(name: .customLong("items-out"), help: "With --method als: where to write the learned item factors.", completion: .file())
    var itemsOut: String?

    @Option(name: .customLong("k"), help: "With --method als: the number of factors.")
    var factors: Int = 32

    @OptionGroup var data: ProblemInputOptions
    @OptionGroup(title: "Objective") var objective: ObjectiveOptions

    @Option(help: "Output for the trained user factors: .h5 (HDF5) or .h5ad (AnnData).", completion: .file())
    var out: String

    @OptionGroup(title: "Output") var output: OutputOptions

    @Option(help: "Learning rate.") var lr: Double = 1e-3
    @Option(name: .customLong("lr-decay"), help: "Multiply the learning rate by this after every epoch, as torch.optim.lr_scheduler.ExponentialLR(gamma) (default 1: constant).")
    var lrDecay: Double = 1
    @Option(help: "Epochs (passes over the data); with --method als, 0 writes the seeded starting factors, for a sharded run.") var epochs: Int = 100
    @Option(name: .customLong("batch-size"), help: "Interactions per mini-batch (observed loss).") var batchSize: Int = 1024
    @Option(help: "Seed for the initial factors and the shuffles.") var seed: UInt64 = 0
    @Option(help: "Initial factors: random (N(0, 0.01²)), zeros, or an HDF5 file with user_factors.") var `init`: Init = .random
    @Option(help: "Stop when the relative change of the loss falls below this.") var tol: Double?
    @Option(help: "SGD momentum.") var momentum: Double = 0
    @Flag(help: "SGD Nesterov momentum.") var nesterov = false
    @Option(help: "Adam β1.") var beta1: Double = 0.9
    @Option(help: "Adam β2.") var beta2: Double = 0.999
    @Option(help: "Adam ε.") var eps: Double = 1e-8
    @Option(name: .customLong("weight-decay"), help: "Weight decay, coupled as torch.optim.Adam/SGD.") var weightDecay: Double = 0
    @Flag(help: "Decoupled weight decay, as AdamW.") var decoupled = false
    @Flag(help: "Observed loss: update only the rows a mini-batch touches, as torch.optim.SparseAdam / plain SGD with nn.Embedding(sparse=True) (no --weight-decay, no --momentum).")
    var sparse = false
    @Option(help: "Threads for the BLAS products of full-batch training and the exact solve (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .customLong("loss-scale"), help: "sum, or mean (divided by the number of terms, like MSELoss).") var lossScale: GradientTrainer.LossScale = .mean
    @Option(help: "With --method als: double (default) or single precision kernels for the exact solves, as solve has them.")
    var precision: RidgeSolver.Precision?
    @OptionGroup(title: "Early stopping (--method als)") var stopping: EarlyStoppingOptions

    @OptionGroup(title: "Cross-check") var checkOptions: CheckOptions

    @Option(help: "Write one JSON object per epoch to this file.", completion: .file()) var log: String?
    @Flag(help: "Print phase timings on stderr (read, exact solve, training, write; with --method als each epoch's user solve, item solve and objective).") var timings = false
    @Flag(help: "Print a summary as JSON on stdout (epochs, final loss and objective, seconds, outputs).") var json = false
    @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false

    func validate() throws {
        guard epochs >= 1 || (method == .als && epochs == 0), batchSize >= 1 else {
            throw ValidationError("--epochs and --batch-size must be ≥ 1 (--epochs 0 with --method als writes the seeded start)")
        }
        if let invalid = trainer.optimizer.invalidSetting { throw ValidationError(invalid) }
        if let tol, !(tol >= 0 && tol.isFinite) { throw ValidationError("--tol must be a finite number ≥ 0, not \(tol)") }
        if nesterov && momentum == 0 { throw ValidationError("--nesterov needs --momentum > 0") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if json && checkOptions.checkJSON { throw ValidationError("--json and --check-json both print to stdout: give one") }
        if sparse && method == .als { throw ValidationError("--sparse applies to --method sgd|adam") }
        if precision != nil && method != .als { throw ValidationError("--precision applies to --method als: gradient training runs in double") }
        if stopping.validation != nil && method != .als { throw ValidationError("--validation applies to --method als") }
        if method != .als, let conflict = trainer.optimizer.sparseConflict(loss: objective.objective.loss) { throw ValidationError(conflict) }
    }

    var trainer: GradientTrainer {
        var t = GradientTrainer()
        t.optimizer.kind = method == .sgd ? .sgd : .adam
        t.optimizer.learningRate = lr
        t.optimizer.learningRateDecay = lrDecay
        t.optimizer.momentum = momentum
        t.optimizer.nesterov = nesterov
        t.optimizer.beta1 = beta1
        t.optimizer.beta2 = beta2
        t.optimizer.epsilon = eps
        t.optimizer.weightDecay = weightDecay
        t.optimizer.decoupled = decoupled
        t.optimizer.sparse = sparse
        t.epochs = epochs
        t.batchSize = batchSize
        t.seed = seed
        t.lossScale = lossScale
        t.tolerance = tol
        t.tracksObjective = !quiet || json || log != nil || checkOptions.check || checkOptions.plot != nil
        return t
    }

    mutating func run() throws {
        let inputs = [data.interactionsFile, data.itemsFile].compactMap { $0.map { FileSpec($0).path } }
        try OutputGroup.refuseOverlap(inputs: inputs, outputs: [out] + (itemsOut.map { [$0] } ?? []))
        let formats = try outputFormats()
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        if method == .als { return try runALS(formats) }
        let t0 = Date()
        let (interactions, _, problem) = try data.load(objective: objective, limits: resources.limits)
        var trainer = self.trainer
        let initial = try initialFactors(problem, userIDs: interactions.userIDs)
        // The optimum is known before training when it is needed for progress or the check.
        let tracked = try trainer.effectiveProblem(problem)
        let wantsOptimum = checkOptions.check || checkOptions.plot != nil
        let exact = wantsOptimum ? try exactOptimum(tracked) : nil
        let t1 = Date()
        var logLines: [String] = []
        var gaps: [Double] = []
        let quiet = self.quiet
        let progress = ProgressLine("epoch 1", unit: "interactions", quiet: quiet)
        trainer.batchProgress = progress.handler
        let (factors, history) = try trainer.train(problem, initial: initial) { epoch in
            progress.begin("epoch \(epoch.epoch + 1)")
            let gap = exact.map { (epoch.objective - $0.objective) / max(abs($0.objective), .leastNormalMagnitude) }
            if let gap { gaps.append(gap) }
            var record: [String: Any] = ["epoch": epoch.epoch, "loss": epoch.loss, "objective": epoch.objective, "seconds": epoch.seconds]
            if let gap { record["gap"] = gap }
            logLines.append(Console.json(record))
            if !quiet {
                var line = String(format: "epoch %d  loss %.10g  objective %.10g", epoch.epoch, epoch.loss, epoch.objective)
                if let gap { line += String(format: "  gap %.3e", gap) }
                line += String(format: "  %.2f ms", epoch.seconds * 1000)
                Console.error(line)
            }
            return true
        }
        let t2 = Date()
        progress.clear()
        var file = objective.factorFile(factors, ids: interactions.userIDs, mean: problem.mean, limits: resources.limits)
        // The objective the factors minimize: coupled weight decay w is λ + w·N/2 on it (the one
        // check and solve --like then take).
        file.objective?.lambda = tracked.objective.lambda
        file.objective?.regularization = tracked.objective.regularization
        file.run = gradientRun(epochs: history.count)
        try file.write(to: out, format: formats.users, provenance: gradientProvenance(file))
        if json { printSummary(problem, history: history, exact: exact, seconds: t2.timeIntervalSince(t1)) }
        if let log { try TextOutput.write(logLines.joined(separator: "\n") + "\n", to: log) }
        if timings {
            let steps = history.reduce(0) { $0 + $1.seconds }
            Console.error(String(format: "timings: read %.4f s, exact solve %.4f s, training %.4f s (steps %.4f s, %.3f ms/epoch), write %.4f s",
                                 t1.timeIntervalSince(t0) - (exact?.seconds ?? 0.0), exact?.seconds ?? 0.0, t2.timeIntervalSince(t1),
                                 steps, steps / Double(max(history.count, 1)) * 1000, Date().timeIntervalSince(t2)))
        }
        if let plot = checkOptions.plot, let exact {
            let svg = ConvergencePlot(title: "mftool fit --method \(method.rawValue): gap to the exact optimum",
                                      gaps: gaps, optimum: exact.objective).svg()
            try TextOutput.write(svg, to: plot)
        }
        if checkOptions.check, let exact {
            let report = CheckReport(factors: factors, exact: exact.factors, problem: tracked)
            try checkOptions.finish(report, userIDs: interactions.userIDs)
        }
    }
}

extension Fit {
    /// The starting factors `--init` names: seeded random, zeros, or a file's rows by user id.
    func initialFactors(_ problem: RidgeProblem, userIDs: IDMap) throws -> DenseMatrix<Double> {
        // The factors, their gradient and the optimizer's two moments; VᵀV for the full-batch losses.
        try resources.limits.memory.charge(rows: problem.userCount, columns: problem.width, copies: 4, gram: problem.objective.loss != .observed,
                                 what: "training \(problem.userCount) users at k = \(problem.width) (factors, gradient, optimizer moments)")
        switch `init` {
        case .random: return GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: seed)
        case .zeros: return DenseMatrix(rows: problem.userCount, columns: problem.width, repeating: 0)
        case let .file(path):
            var notices = AlignmentNotices.printing()
            return try FactorFile.read(FileSpec(path), limits: resources.limits).factors(alignedTo: userIDs, argument: path, interactions: data.interactionsFile,
                                                               requireIDs: data.input.idMatching.requireIDs, allowShift: data.input.idMatching.allowIDShift, notices: &notices)
        }
    }

    /// The formats of the factor outputs, after checking every output's name (--log, --plot too).
    func outputFormats() throws -> (users: OutputFormat, items: OutputFormat?) {
        if let log { _ = try output.format(of: log, .log, option: "--log") }
        if let plot = checkOptions.plot { _ = try output.format(of: plot, .plot, option: "--plot") }
        return (try output.format(of: out, .factors, option: "--out"),
                try itemsOut.map { try output.format(of: $0, .factors, option: "--items-out") })
    }

    /// What `fit --method sgd|adam` records besides the factor file's attributes: those
    /// settings with the threads, the tolerance and the start.
    func gradientProvenance(_ file: FactorFile) -> Provenance {
        var settings: [String: Any?] = file.recordedSettings
        settings["threads"] = threads
        settings["tol"] = tol
        settings["nesterov"] = nesterov
        var start: String? = nil
        switch `init` {
        case .random: settings["init"] = "random"
        case .zeros: settings["init"] = "zeros"
        case let .file(path): settings["init"] = "file"; start = path
        }
        return Provenance(command: "fit", settings: settings,
                          inputs: ["interactions": data.interactionsFile, "items": data.itemsFile, "item_ids": data.itemIDs,
                                   "item_bias": objective.itemBias, "init": start])
    }
}

extension Fit {
    /// The exact optimum that progress and --check measure against.
    func exactOptimum(_ problem: RidgeProblem) throws -> RidgeSolution {
        var solver = RidgeSolver(threads: threads, fallback: .lstsq)
        solver.memory = resources.limits.memory
        let progress = ProgressLine("exact solve", unit: "users", quiet: quiet)
        solver.progress = progress.handler
        defer { progress.finish() }
        return try solver.solve(problem)
    }

    /// The --json summary of gradient training: the last epoch's loss and objective.
    func printSummary(_ problem: RidgeProblem, history: [GradientTrainer.Epoch], exact: RidgeSolution?, seconds: Double) {
        var summary: [String: Any] = ["method": method.rawValue, "users": problem.userCount, "items": problem.itemCount]
        summary["k"] = problem.k
        summary["epochs"] = history.count
        summary["loss"] = history.last?.loss ?? Double.nan
        summary["objective"] = history.last?.objective ?? Double.nan
        summary["exact_objective"] = exact?.objective
        summary["seconds"] = seconds
        summary["out"] = out
        Console.out(Console.json(summary))
    }

    /// What `fit --method sgd|adam` records: the optimizer settings, the epochs run and the inputs.
    func gradientRun(epochs: Int) -> FactorFile.Run {
        var run = FactorFile.Run(method: method == .sgd ? .sgd : .adam)
        run.epochs = epochs
        run.seed = seed
        run.gradient = FactorFile.Gradient(optimizer: trainer.optimizer, batchSize: batchSize, lossScale: lossScale)
        run.interactions = data.interactionsFile
        run.items = data.itemsFile ?? ""
        return run
    }
}

/// The cross-check options shared by `fit` and `check`.
struct CheckOptions: ParsableArguments {
    @Flag(help: "After training, solve exactly and report the distance to the optimum.")
    var check = false

    @Option(name: .customLong("check-tol"), help: "Exit 2 when the relative objective gap exceeds this.")
    var checkTol: Double?

    @Option(help: "Write the convergence curve (gap to the optimum per epoch, log scale) as SVG.", completion: .file())
    var plot: String?

    @Flag(name: .customLong("check-json"), help: "Print the check report as JSON on stdout.")
    var checkJSON = false

    func validate() throws { try CheckOptions.validate(checkTol: checkTol) }

    /// Refuses a --check-tol that no gap can meet or that every gap meets by accident (NaN, ∞, < 0).
    static func validate(checkTol: Double?) throws {
        if let checkTol, !(checkTol >= 0 && checkTol.isFinite) {
            throw ValidationError("--check-tol must be a finite number ≥ 0, not \(checkTol)")
        }
    }

    /// Prints the report and applies --check-tol.
    func finish(_ r: CheckReport, userIDs: IDMap) throws {
        let worst = r.worstUser < userIDs.count ? userIDs.ids[r.worstUser] : String(r.worstUser)
        let lines = [
            String(format: "objective %.12g, exact optimum %.12g, relative gap %.3e", r.objective, r.optimum, r.relativeGap),
            String(format: "‖U − U*‖/‖U*‖ %.3e, worst user '%@' %.3e, gradient norm %.3e (at U = 0: %.3e)",
                   r.relativeFactorError, worst, r.worstUserError, r.gradientNorm, r.gradientScale),
        ]
        if checkJSON {
            // JSON alone on stdout for scripts; the readable report goes to stderr.
            Console.out(Console.json([
                "objective": r.objective, "optimum": r.optimum, "relative_gap": r.relativeGap,
                "relative_factor_error": r.relativeFactorError, "worst_user": worst, "worst_user_error": r.worstUserError,
                "gradient_norm": r.gradientNorm, "gradient_scale": r.gradientScale,
            ]))
            lines.forEach(Console.error)
        } else {
            lines.forEach(Console.out)
        }
        if let checkTol, !(r.relativeGap <= checkTol) {
            Console.error(String(format: "check failed: relative gap %.3e exceeds --check-tol %.3e", r.relativeGap, checkTol))
            throw ExitCode(2)
        }
    }
}
