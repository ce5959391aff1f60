import ArgumentParser
import Foundation
import IO
import Loading
import Matrices
import Solvers

/// `mftool solve`: the exact user factors for a fixed item matrix.
struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve user factors exactly (per-user ridge regression by Cholesky) against fixed item embeddings.",
        discussion: """
        Each user's factor is the exact minimizer of the objective (see --loss), found by a \
        Cholesky solve of its k × k normal equations, or, for a user with fewer entries than k \
        (item embeddings from a text or image model), of the n_u × n_u dual system that gives \
        the same minimizer (see --form); users are solved in parallel and the result does not \
        depend on --threads or --shard. Users with no interactions get the zero vector under \
        --loss observed and the exact solution under dense and implicit.

        --like FACTORS.h5 takes the objective from a factor file's recorded settings (its μ \
        under a global-mean offset, its stored item bias): a fold-in then solves the training \
        problem. An objective flag that contradicts the recording is an error unless --override; \
        a flag left at its default takes the recorded value.

        Output HDF5: user_factors (m × k, with the user bias as the last column when \
        --user-bias), user_ids, and attributes recording the objective, precision, inputs and \
        mftool version. A one-line summary goes to stderr; --json prints it to stdout.

        Coming from PyTorch: MSELoss() (mean over the m × n entries of U @ V.T) with Adam \
        weight_decay=w is --loss dense --lambda w·m·n/2.

        Examples:
          mftool solve --interactions ml100k.h5 --items items.h5 --out users.h5
          mftool solve --interactions clicks.h5 --items items.h5:/emb --out users.h5 --loss implicit --alpha 40 --reg count
          mftool solve --interactions r.h5 --items v.h5 --out u.h5 --user-bias --offset global-mean --lambda 5
          mftool solve --interactions new_users.h5 --items v.h5 --like u.h5 --out new_u.h5
          mftool solve --interactions r.h5 --items v.h5 --shard auto --out 'parts/u-{shard}.h5'   # one task of a job array
          mftool merge parts/u-*.h5 --out u.h5
        """
    )

    enum Method: String, ExpressibleByArgument { case ridge }
    enum Side: String, ExpressibleByArgument { case users, items }
    enum OutputType: String, ExpressibleByArgument { case float64, float32 }

    @OptionGroup(title: "Resources") var resources: ResourceOptions

    @Option(help: "Solver: ridge (exact).")
    var method: Method = .ridge

    @Option(help: "users (default: user factors for fixed --items) or items (item factors for fixed --users; the transposed problem).")
    var side: Side = .users

    @Option(name: .customLong("users"), help: "With --side items: the fixed user factors (FILE.h5 with user_factors, user_ids).", completion: .file())
    var usersFile: String?

    @OptionGroup var data: ProblemInputOptions
    @OptionGroup(title: "Objective") var objective: ObjectiveOptions
    @OptionGroup(title: "Training settings") var like: LikeOptions
    @OptionGroup(title: "Job arrays") var sharding: ShardOptions

    @Option(help: "Output for the user factors: .h5 (HDF5) or .h5ad (AnnData); with --shard, an .h5 part for `mftool merge` ({shard} becomes the shard's index).", completion: .file())
    var out: String

    @OptionGroup(title: "Output") var output: OutputOptions

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "double (default) or single precision kernels.")
    var precision: RidgeSolver.Precision = .double

    @Option(help: "When a user's system is not positive definite: none (fail) or lstsq (minimum-norm solution, counted).")
    var fallback: RidgeSolver.Fallback = .none

    @Option(help: "Per-user kernel: native (mftool's SIMD Gram accumulation and Cholesky, default) or lapack (BLAS syrk + LAPACK potrf/potrs, the reference).")
    var kernel: RidgeSolver.Kernel = .native

    @Option(help: "Form of each user's system: auto (default: the n_u × n_u dual form for users with fewer entries than k, roughly, the k × k primal form for the others), primal or dual (every user it can solve). Both give the same minimizer. Under the dense and implicit losses the dual form keeps one more n × k copy of the item matrix, rotated, in the kernel's precision: no larger than the item matrix --max-memory admitted.")
    var form: RidgeSolver.Form = .auto

    @Option(help: "Instruction set of the native kernel: portable, avx2 or avx512 (default: the best this CPU supports).")
    var isa: NativeKernelVariant?

    @Option(help: "Stored dtype of user_factors: float64 or float32.")
    var dtype: OutputType = .float64

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "Print phase timings (read, solve, write) on stderr.")
    var timings = false

    @Option(help: "Benchmarks: solve this many times in one process and report the median solve time (the first, cold run's time as first_seconds in --json).")
    var `repeat`: Int = 1

    @Flag(name: .shortAndLong, help: "No summary on stderr.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if let isa, let error = NativeKernelVariant.unsupported(isa) { throw error }
        if like.override && like.like == nil { throw ValidationError("--override goes with --like") }
    }

    mutating func run() throws {
        let inputs = [data.interactionsFile, data.itemsFile, usersFile, like.like, objective.itemBias].compactMap { $0.map { FileSpec($0).path } }
        try OutputGroup.refuseOverlap(inputs: inputs, outputs: [out])
        objective = try like.apply(to: objective, items: data.itemsFile, limits: resources.limits)
        let shard = try sharding.resolved()
        out = try sharding.output(out, shard: shard)
        let format = try output.format(of: out, shard == nil ? .factors : .part, option: "--out")
        if side == .items { return try solveItems(shard: shard, format: format) }
        let t0 = Date()
        let loaded = try data.load(objective: objective, shard: shard, limits: resources.limits)
        let (interactions, problem, report) = (loaded.interactions, loaded.problem, loaded.report)
        let t1 = Date()
        threads = ThreadCount.capped(threads)
        BLASThreadCount.set(threads)
        var solver = makeSolver(userIDs: interactions.userIDs)
        let progress = ProgressLine("solve", unit: "users", quiet: quiet)
        solver.progress = progress.handler
        var solution = try solver.solve(problem)
        progress.finish()
        solver.progress = nil
        let firstSeconds = solution.seconds
        if `repeat` > 1 {
            var times = [solution.seconds]
            for _ in 1..<`repeat` { times.append(try solver.solve(problem).seconds) }
            solution.seconds = times.sorted()[times.count / 2]
        }
        let t2 = Date()
        var file = objective.factorFile(solution.factors, ids: interactions.userIDs, mean: problem.mean, limits: resources.limits)
        file.run = recordedRun
        file.run?.kernel = kernelName
        file.run?.items = data.itemsFile ?? ""
        file.single = dtype == .float32
        if let shard { file.part = loaded.part(shard, kind: .factors, settings: file.partSettings) }
        try file.write(to: out, format: format, provenance: provenance(file, shard: shard))
        let t3 = Date()
        let summary: [String: Any] = [
            "users": problem.userCount, "items": problem.itemCount, "k": problem.k, "nnz": problem.interactions.nnz,
            "empty_users": solution.emptyUsers, "fallback_users": solution.fallbackUsers, "dual_users": solution.dualUsers,
            "seconds": solution.seconds, "gflops": solution.gflops, "objective": solution.objective,
            "kernel": kernelName, "read_seconds": t1.timeIntervalSince(t0), "write_seconds": t3.timeIntervalSince(t2), "out": out,
            "first_seconds": firstSeconds, "repeat": `repeat`,
            "dropped_interactions": report.droppedInteractions, "dropped_items": report.droppedItems,
        ]
        if json { Console.out(Console.json(summary)) }
        if !quiet {
            Console.error(String(format: "solved %d users × k=%d (%d empty, %d fallback, %d dual) in %.4f s, %.1f GFLOP/s, objective %.10g → %@",
                                 problem.userCount, problem.width, solution.emptyUsers, solution.fallbackUsers, solution.dualUsers,
                                 solution.seconds, solution.gflops, solution.objective, out))
            if report.droppedInteractions > 0 {
                Console.error("dropped \(report.droppedInteractions) interactions on \(report.droppedItems) items unknown to \(data.itemsFile ?? "")")
            }
        }
        if timings {
            Console.error(String(format: "timings: read %.4f s, solve %.4f s, write %.4f s",
                                 t1.timeIntervalSince(t0), solution.seconds, t3.timeIntervalSince(t2)))
        }
    }
}

extension Solve {
    /// The solver these options describe.
    func makeSolver(userIDs: IDMap) -> RidgeSolver {
        var solver = RidgeSolver(threads: threads, precision: precision, fallback: fallback, userIDs: userIDs)
        solver.memory = resources.limits.memory
        solver.kernel = kernel
        solver.variant = isa
        solver.form = form
        return solver
    }

    /// The kernel as recorded in the output: lapack, or native-<instruction set>.
    var kernelName: String {
        kernel == .lapack ? "lapack" : "native-\(Swift.min(isa ?? .best, .best))"
    }

    /// What the output records of this command: the settings `file` records (objective, run)
    /// with the solve's own options, and every input file.
    func provenance(_ file: FactorFile, shard: Shard?) -> Provenance {
        var settings: [String: Any?] = file.recordedSettings
        settings["threads"] = threads
        settings["form"] = form.rawValue
        settings["fallback"] = fallback.rawValue
        settings["dtype"] = dtype.rawValue
        settings["shard"] = shard.map { "\($0)" }
        return Provenance(command: "solve", settings: settings,
                          inputs: ["interactions": data.interactionsFile, "items": data.itemsFile, "users": usersFile,
                                   "item_ids": data.itemIDs, "item_bias": objective.itemBias, "like": like.like])
    }

    /// What every output records of the solve: the method, precision and interactions file.
    var recordedRun: FactorFile.Run {
        var run = FactorFile.Run(method: .ridge)
        run.precision = precision
        run.interactions = data.interactionsFile
        return run
    }

    /// The item side: item factors that best explain the interactions for fixed user factors.
    /// With a shard, the interactions must be an item-major (CSC) copy, cut by items.
    func solveItems(shard: Shard?, format: OutputFormat) throws {
        guard let usersFile else { throw ValidationError("--side items needs --users, the fixed user factors") }
        guard !objective.userBias, objective.itemBias == nil else {
            throw ValidationError("--side items takes no --user-bias or --item-bias")
        }
        if shard != nil && objective.objective.offset == .globalMean && objective.mean == nil {
            throw ValidationError("--side items --shard with --offset global-mean needs --mean: a shard cannot see the mean of the users it aligns")
        }
        let userFile = try FactorFile.read(FileSpec(usersFile), limits: resources.limits)
        let userIDs = userFile.ids ?? .positional(userFile.factors.rows)
        let (interactions, read) = try itemSideInteractions(shard: shard)
        // Rows renumbered to the user file's order by the one alignment rule; users it lacks are
        // left out and counted.
        let sides = IDAlignment.Sides(entity: "user", source: FileSpec(data.interactionsFile).path, target: FileSpec(usersFile).path)
        let alignment = try IDAlignment.align(interactions.userIDs, to: userIDs, sides, requireIDs: data.input.idMatching.requireIDs,
                                              allowNoOverlap: data.input.idMatching.allowEmpty, allowShift: data.input.idMatching.allowIDShift)
        var notices = AlignmentNotices.printing()
        notices.add(alignment)
        let aligned = interactions.rows(alignment), unknown = alignment.unknown
        let problem = try RidgeProblem(interactions: aligned.transposed(), items: userFile.factors, objective: objective.objective)
        var solver = makeSolver(userIDs: interactions.itemIDs)
        let progress = ProgressLine("solve", unit: "items", quiet: quiet)
        solver.progress = progress.handler
        let solution = try solver.solve(problem)
        progress.finish()
        var file = objective.factorFile(solution.factors, ids: interactions.itemIDs, side: .items, mean: problem.mean, limits: resources.limits)
        file.run = recordedRun
        file.run?.side = .items
        file.run?.users = usersFile
        file.single = dtype == .float32
        if let shard, let read {
            var fingerprint = Fingerprint()
            fingerprint.add(read.identity)
            fingerprint.add(userFile.factors.storage)
            fingerprint.add(userIDs)
            file.part = ShardPart(kind: .factors, shard: shard, rows: read.rows, totalRows: read.totalRows,
                                  fingerprint: fingerprint.value, settings: file.partSettings)
        }
        try file.write(to: out, format: format, provenance: provenance(file, shard: shard))
        if json {
            Console.out(Console.json(["side": "items", "items": problem.userCount, "users": problem.itemCount, "k": problem.k,
                                      "nnz": problem.interactions.nnz, "empty_items": solution.emptyUsers,
                                      "fallback_items": solution.fallbackUsers, "dual_items": solution.dualUsers, "unknown_users": unknown, "seconds": solution.seconds,
                                      "gflops": solution.gflops, "objective": solution.objective, "out": out]))
        }
        if !quiet {
            Console.error(String(format: "solved %d items × k=%d (%d empty, %d dual, %d users without factors skipped) in %.4f s, objective %.10g → %@",
                                 problem.userCount, problem.width, solution.emptyUsers, solution.dualUsers, unknown, solution.seconds, solution.objective, out))
        }
    }

    /// The interactions of the item side: the whole file, or a shard of an item-major copy.
    func itemSideInteractions(shard: Shard?) throws -> (Interactions, InteractionsFile.ShardRead?) {
        guard let shard else { return (try data.input.read(data.interactionsFile, limits: resources.limits).0, nil) }
        let read = try InteractionsFile.read(FileSpec(data.interactionsFile), options: data.input.readOptions(limits: resources.limits), shard: shard)
        guard read.byItems else {
            throw DataError("\(data.interactionsFile) is user-major (CSR): sharding the item side needs an item-major copy, made once with `mftool convert \(data.interactionsFile) ITEMS.h5 --layout csc`")
        }
        return (read.interactions, read)
    }
}
