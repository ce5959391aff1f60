import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Solvers
import Synchronization
import Testing

/// A clock the test moves by hand and the text the reporter wrote.
private final class Scripted: @unchecked Sendable {
    var now = 0.0
    var written: [String] = []
}

/// Every call a progress handler received, in order.
private final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(Int, Int)] = []
    var all: [(Int, Int)] { lock.withLock { stored } }
    var handler: ProgressHandler { { [self] done, total in lock.withLock { stored.append((done, total)) } } }

    /// Whether the counts never decrease, never pass the total, and end at the total.
    func monotoneToTotal(_ total: Int) -> Bool {
        let calls = all
        guard let last = calls.last, last == (total, total) else { return false }
        return calls.allSatisfy { $0.1 == total && $0.0 <= total } && zip(calls, calls.dropFirst()).allSatisfy { $0.0 <= $1.0 }
    }
}

@Suite("progress line")
struct ProgressTests {
    private func reporter(quiet: Bool = false, terminal: Bool = true) -> (ProgressLine, Scripted) {
        let script = Scripted()
        let progress = ProgressLine("solve", unit: "users", quiet: quiet, terminal: terminal,
                                clock: { script.now }, write: { script.written.append($0) })
        return (progress, script)
    }

    @Test("the line: counts grouped, share, rate and time left, then the total time")
    func format() {
        #expect(ProgressLine.line(step: "solve", unit: "users", done: 12_288, total: 138_493, elapsed: 2)
                == "solve: 12,288/138,493 users (8.9%), 6.1k users/s, 0:21 left")
        #expect(ProgressLine.line(step: "eval", unit: "users", done: 943, total: 943, elapsed: 65)
                == "eval: 943/943 users (100.0%), 15 users/s, 1:05")
        #expect(ProgressLine.line(step: "fit", unit: "rows", done: 0, total: 10, elapsed: 1) == "fit: 0/10 rows (0.0%)")
        #expect(ProgressLine.grouped(999) == "999" && ProgressLine.grouped(1000) == "1,000" && ProgressLine.grouped(1_234_567) == "1,234,567")
        #expect(ProgressLine.compact(2.4e6) == "2.4M" && ProgressLine.compact(3.25) == "3.2")
        #expect(ProgressLine.clock(3725) == "1:02:05" && ProgressLine.clock(0.2) == "0:01")
    }

    @Test("silent for the first two seconds, then redrawn in place at most every 0.1 s, and ended by a newline")
    func throttling() {
        let (progress, script) = reporter()
        progress.update(10, 100)
        script.now = 1.9
        progress.update(20, 100)
        #expect(script.written.isEmpty)
        script.now = 2.0
        progress.update(30, 100)
        script.now = 2.05
        progress.update(40, 100)
        #expect(script.written.count == 1)
        #expect(script.written[0].hasPrefix("\rsolve: 30/100 users"))
        script.now = 2.2
        progress.update(50, 100)
        #expect(script.written.count == 2 && script.written[1].hasPrefix("\rsolve: 50/100"))
        script.now = 4
        progress.update(100, 100)
        script.now = 9
        progress.finish()
        // The total time is that of the last count, not of the finish.
        #expect(script.written.last == "\rsolve: 100/100 users (100.0%), 25 users/s, 0:04\u{1B}[K\n")
    }

    @Test("a short step prints nothing, not even at its end")
    func shortStep() {
        let (progress, script) = reporter()
        progress.update(100, 100)
        script.now = 0.5
        progress.finish()
        #expect(script.written.isEmpty)
    }

    @Test("off when stderr is not a terminal or with --quiet: no handler and nothing written")
    func off() {
        for (quiet, terminal) in [(false, false), (true, true)] {
            let (progress, script) = reporter(quiet: quiet, terminal: terminal)
            #expect(progress.handler == nil)
            script.now = 10
            progress.update(5, 10)
            progress.finish()
            #expect(script.written.isEmpty)
        }
    }

    @Test("a new step erases the line and starts its own two seconds")
    func steps() {
        let (progress, script) = reporter()
        script.now = 3
        progress.update(1, 10, step: "epoch 1 users")
        script.now = 6
        progress.update(5, 10)
        #expect(script.written.last!.hasPrefix("\repoch 1 users: 5/10"))
        progress.update(1, 10, step: "epoch 1 items")
        #expect(script.written.last == "\r\u{1B}[K")
        script.now = 7
        progress.update(2, 10)
        #expect(script.written.count == 2)
        script.now = 8.5
        progress.update(3, 10)
        #expect(script.written.last!.hasPrefix("\repoch 1 items: 3/10"))
    }
}

@Suite("progress handlers of the solvers")
struct SolverProgressTests {
    static func problem(_ objective: Objective) throws -> RidgeProblem {
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("ridge/problem.h5")))
        let items = try EmbeddingsFile.read(FileSpec(Fixtures.path("ridge/items.h5"))).factors
        return try RidgeProblem(interactions: x.matrix, items: items, objective: objective)
    }

    @Test("ridge solves report monotone counts reaching the users, and the same bits as without a handler",
          arguments: [Objective.Loss.observed, .dense, .implicit], [RidgeSolver.Kernel.native, .lapack])
    func ridge(loss: Objective.Loss, kernel: RidgeSolver.Kernel) throws {
        let problem = try Self.problem(Objective(loss: loss, lambda: 0.5))
        var solver = RidgeSolver(threads: 3)
        solver.kernel = kernel
        let plain = try solver.solve(problem)
        let calls = Calls()
        solver.progress = calls.handler
        let reported = try solver.solve(problem)
        #expect(calls.monotoneToTotal(problem.userCount))
        #expect(plain.factors.storage.map(\.bitPattern) == reported.factors.storage.map(\.bitPattern))
    }

    @Test("mini-batch training, dense or sparse updates, reports each epoch's interactions and trains the same bits",
          arguments: [false, true])
    func training(sparse: Bool) throws {
        let problem = try Self.problem(Objective(loss: .observed, lambda: 0.5))
        var trainer = GradientTrainer()
        trainer.optimizer.sparse = sparse
        trainer.epochs = 3
        trainer.batchSize = 16
        let initial = GradientTrainer.randomFactors(rows: problem.userCount, columns: problem.width, seed: 1)
        let plain = try trainer.train(problem, initial: initial).0
        let calls = Calls()
        trainer.batchProgress = calls.handler
        let reported = try trainer.train(problem, initial: initial).0
        #expect(calls.all.filter { $0.0 == $0.1 }.count == 3)
        #expect(calls.all.allSatisfy { $0.1 == problem.interactions.nnz })
        #expect(plain.storage.map(\.bitPattern) == reported.storage.map(\.bitPattern))
    }

    @Test("reading delimited text reports monotone byte counts reaching the file's size, and reads the same data")
    func delimitedText() throws {
        // Over 8 MiB, so the reader parses several chunks in parallel.
        let path = Fixtures.scratchFolder() + "/large.csv"
        var text = "user,item,rating\n"
        for line in 0..<700_000 { text += "u\(line % 5_003),i\(line % 997),\(1 + line % 5)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size > 8 << 20)
        let plain = try InteractionsFile.read(FileSpec(path)).0
        let calls = Calls()
        let reported = try InteractionsFile.read(FileSpec(path), progress: calls.handler).0
        #expect(calls.monotoneToTotal(size))
        #expect(plain == reported)
    }

    @Test("ALS names each half-step and reports its rows")
    func als() throws {
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("ridge/problem.h5")))
        var als = AlternatingLeastSquares(objective: Objective(loss: .observed, lambda: 0.5), k: 4)
        als.epochs = 2
        let plain = try als.run(x.matrix)
        let steps = Mutex<[String: Int]>([:])
        als.progress = { step, done, total in
            if done == total { steps.withLock { $0[step] = total } }
        }
        let reported = try als.run(x.matrix)
        #expect(steps.withLock { $0 } == ["epoch 1 users": x.userCount, "epoch 1 items": x.itemCount,
                                          "epoch 2 users": x.userCount, "epoch 2 items": x.itemCount])
        #expect(plain.users.storage.map(\.bitPattern) == reported.users.storage.map(\.bitPattern))
    }

    @Test("ranking reports the users ranked and gives the same lists")
    func ranking() throws {
        let problem = try Self.problem(Objective(loss: .observed, lambda: 0.5))
        let users = try RidgeSolver().solve(problem).factors
        let model = try FactorModel(users: users, items: problem.items)
        var evaluator = RankingEvaluator(cutoffs: [5])
        evaluator.blockSize = 4
        evaluator.threads = 3
        let all = Array(0..<problem.userCount)
        let plain = evaluator.recommend(model: model, users: all, train: nil, k: 5)
        let calls = Calls()
        evaluator.progress = calls.handler
        let reported = evaluator.recommend(model: model, users: all, train: nil, k: 5)
        #expect(calls.monotoneToTotal(problem.userCount))
        #expect(plain.map { $0.map(\.item) } == reported.map { $0.map(\.item) })
    }

    @Test("generation reports its users and generates the same data")
    func generation() {
        let d = SyntheticData(users: 600, items: 50, nnz: 3000, k: 4)
        let calls = Calls()
        let reported = d.generate(progress: calls.handler)
        #expect(calls.monotoneToTotal(600))
        #expect(reported.interactions == d.generate().interactions)
    }
}
