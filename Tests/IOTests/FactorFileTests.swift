import FixturePaths
import Foundation
@testable import IO
import Matrices
import Solvers
import Testing

@Suite("Factor files: typed settings, one reader and one writer, files of earlier versions")
struct FactorFileTests {
    static let factors = DenseMatrix<Double>(rows: 3, columns: 3, storage: [0.5, -1.25, 2, 3, 0.125, -4, 1e-3, 7, 0.75])

    /// A file with every setting a gradient fit records.
    static func gradientFile() throws -> FactorFile {
        var file = FactorFile(factors: factors, ids: try IDMap(["u1", "u2", "u3"]))
        file.userBias = true
        file.offset = .globalMean
        file.globalMean = 3.25
        file.itemBiasSource = FileSpec("items.h5:/item_bias")
        var objective = Objective(loss: .observed, lambda: 0.3, regularization: .count, alpha: 40, confidence: .linear,
                                  userBias: true, offset: .globalMean)
        objective.fixedMean = 3.25
        file.objective = objective
        var run = FactorFile.Run(method: .adam)
        run.epochs = 12
        run.seed = UInt64.max - 6
        run.gradient = FactorFile.Gradient(optimizer: optimizer(.adam, lr: 0.01, decay: 0.9, weightDecay: 1e-4, decoupled: true,
                                                                momentum: 0), batchSize: 256, lossScale: .sum)
        run.interactions = "r.h5"
        run.items = "items.h5"
        file.run = run
        file.version = "0.1.0"
        return file
    }

    /// Optimizer settings with PyTorch's default betas and ε.
    static func optimizer(_ kind: OptimizerKind, lr: Double, decay: Double, weightDecay: Double, decoupled: Bool,
                          momentum: Double) -> OptimizerSettings {
        var o = OptimizerSettings()
        o.kind = kind
        o.learningRate = lr
        o.learningRateDecay = decay
        o.weightDecay = weightDecay
        o.decoupled = decoupled
        o.momentum = momentum
        return o
    }

    @Test("what the writer records reads back equal, for users and for items with a stored bias")
    func roundTrip() throws {
        let folder = Fixtures.scratchFolder()
        let users = try Self.gradientFile()
        try users.write(to: folder + "/u.h5")
        #expect(try FactorFile.read(FileSpec(folder + "/u.h5")) == users)
        #expect(users.k == 2 && users.mean == 3.25)

        var items = FactorFile(side: .items, factors: Self.factors, ids: .positional(3))
        items.itemBias = [0.25, -0.5, 1]
        items.single = true
        var run = FactorFile.Run(method: .ridge)
        run.side = .items
        run.precision = .single
        run.users = "u.h5"
        items.run = run
        try items.write(to: folder + "/v.h5")
        var back = try FactorFile.read(FileSpec(folder + "/v.h5"), side: .items)
        #expect(back.factors == DenseMatrix(rows: 3, columns: 3, storage: Self.factors.storage.map { Double(Float($0)) }))
        back.factors = items.factors
        #expect(back == items)
        #expect(back.itemBias == [0.25, -0.5, 1])
    }

    @Test("the sparse flag is written only when set and reads back; without it a file reads as dense")
    func sparseFlag() throws {
        let folder = Fixtures.scratchFolder()
        var file = try Self.gradientFile()
        try file.write(to: folder + "/dense.h5")
        #expect(!(try HDF5File.open(folder + "/dense.h5", limits: ReadLimits()).attributeNames(on: "/").contains("sparse")))
        #expect(try FactorFile.read(FileSpec(folder + "/dense.h5")).run?.gradient?.optimizer.sparse == false)
        file.run?.gradient?.optimizer.sparse = true
        try file.write(to: folder + "/sparse.h5")
        #expect(try HDF5File.open(folder + "/sparse.h5", limits: ReadLimits()).attribute("sparse", on: "/") == .integer(1))
        let back = try FactorFile.read(FileSpec(folder + "/sparse.h5"))
        #expect(back.run?.gradient?.optimizer.sparse == true && back == file)
    }

    @Test("a file written as mftool 0.1.0's fit --method sgd wrote it reads with typed values")
    func oldGradientFile() throws {
        let path = Fixtures.scratchFolder() + "/old.h5"
        let file = try HDF5File.create(path)
        try file.write("/user_factors", Self.factors.storage, shape: [3, 3])
        try file.writeIDs("/user_ids", try IDMap(["7", "8", "9"]))
        let attributes: [(String, AttributeValue)] = [
            ("loss", .string("dense")), ("lambda", .double(0.5)), ("reg", .string("constant")),
            ("alpha", .double(1)), ("confidence", .string("one-plus")),
            ("user_bias", .integer(0)), ("offset", .string("none")),
            ("global_mean", .double(0)), ("item_bias", .string("")),
            ("k", .integer(3)), ("mftool_version", .string("0.1.0")),
            // Written before --lr-decay and --kernel existed: neither is recorded.
            ("method", .string("sgd")), ("lr", .double(0.05)), ("epochs", .integer(7)),
            ("batch_size", .integer(1024)), ("seed", .integer(-1)),
            ("weight_decay", .double(0.001)), ("decoupled", .integer(0)),
            ("momentum", .double(0.9)), ("beta1", .double(0.9)), ("beta2", .double(0.999)),
            ("eps", .double(1e-8)), ("loss_scale", .string("mean")),
            ("interactions", .string("r.h5")), ("items", .string("v.h5")),
        ]
        for (name, value) in attributes { try file.setAttribute(name, on: "/", value) }
        try file.flush()

        let read = try FactorFile.read(FileSpec(path))
        #expect(read.ids?.ids == ["7", "8", "9"] && read.factors == Self.factors)
        #expect(!read.userBias && read.offset == .none && read.mean == 0 && read.itemBiasSource == nil)
        #expect(read.objective == Objective(loss: .dense, lambda: 0.5, regularization: .constant, alpha: 1, confidence: .onePlus))
        #expect(read.run?.method == .sgd && read.run?.epochs == 7 && read.run?.seed == UInt64.max)
        #expect(read.run?.kernel == nil && read.run?.interactions == "r.h5" && read.run?.items == "v.h5")
        #expect(read.run?.gradient == FactorFile.Gradient(optimizer: Self.optimizer(.sgd, lr: 0.05, decay: 1, weightDecay: 0.001,
                                                                                     decoupled: false, momentum: 0.9),
                                                          batchSize: 1024, lossScale: .mean))
        #expect(read.version == "0.1.0")
    }

    @Test("numbers and flags stored as strings, strings as numbers, read as their types")
    func stringEncodings() throws {
        let path = Fixtures.scratchFolder() + "/strings.h5"
        let file = try HDF5File.create(path)
        try file.write("/user_factors", Self.factors.storage, shape: [3, 3])
        let attributes: [(String, AttributeValue)] = [
            ("loss", .string("observed")), ("lambda", .string("0.25")), ("reg", .string("count")),
            ("alpha", .integer(2)), ("confidence", .string("one-plus")),
            ("user_bias", .string("1")), ("offset", .string("global-mean")), ("global_mean", .string("3.5")),
            ("item_bias", .string("v.h5:/item_bias")), ("mftool_version", .integer(1)),
            ("method", .string("als")), ("epochs", .double(15)), ("seed", .string("42")),
        ]
        for (name, value) in attributes { try file.setAttribute(name, on: "/", value) }
        try file.flush()

        let read = try FactorFile.read(FileSpec(path))
        #expect(read.userBias && read.k == 2 && read.mean == 3.5)
        #expect(read.itemBiasSource == FileSpec(path: "v.h5", object: "/item_bias"))
        var expected = Objective(loss: .observed, lambda: 0.25, regularization: .count, alpha: 2, confidence: .onePlus,
                                 userBias: true, offset: .globalMean)
        expected.fixedMean = 3.5
        #expect(read.objective == expected)
        #expect(read.run?.method == .als && read.run?.epochs == 15 && read.run?.seed == 42 && read.run?.gradient == nil)
        #expect(read.version == "1")
    }

    @Test("a setting that names no known value, or a recorded loss without λ, is an error naming the attribute")
    func invalidSettings() throws {
        let folder = Fixtures.scratchFolder()
        for (index, attributes) in [[("loss", AttributeValue.string("mse"))], [("loss", .string("dense"))],
                                    [("user_bias", .string("yes"))], [("global_mean", .string("mean"))]].enumerated() {
            let path = folder + "/bad\(index).h5"
            let file = try HDF5File.create(path)
            try file.write("/user_factors", Self.factors.storage, shape: [3, 3])
            for (name, value) in attributes { try file.setAttribute(name, on: "/", value) }
            try file.flush()
            let error = #expect(throws: IOError.self) { try FactorFile.read(FileSpec(path)) }
            #expect(error?.message.contains(index == 1 ? "lambda" : attributes[0].0) == true)
        }
    }

    @Test("a file without attributes (a PyTorch dump, a .npy) records nothing and adds no terms")
    func plainFiles() throws {
        let plain = try FactorFile.read(FileSpec(Fixtures.path("io/items.h5")), side: .items)
        #expect(plain.objective == nil && plain.run == nil && plain.version == nil && !plain.userBias && plain.mean == 0)
        #expect(plain.itemBias == nil)
        let npy = try FactorFile.read(FileSpec(Fixtures.path("io/items_f64.npy")))
        #expect(npy.ids == nil && npy.objective == nil && npy.k == npy.factors.columns)
    }
}
