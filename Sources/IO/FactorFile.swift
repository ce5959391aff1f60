import Foundation
import Matrices
import ModelSettings

/// A factor file: the user (or item) factors that `solve` and `fit` write, with their ids, the
/// terms a model built from them adds (μ, the user bias column, an item bias) and the settings
/// that produced them, as typed values. One reader (`read`) and one writer (`write(to:)`) map it
/// to HDF5: the factors and ids as datasets, everything else as root attributes (see
/// `FactorFile+Writing.swift` for the names).
public struct FactorFile: Sendable, Equatable {
    /// Which factors the file holds; it names the datasets.
    public enum Side: String, Sendable, CaseIterable {
        /// `user_factors` and `user_ids`.
        case users
        /// `item_factors` and `item_ids`.
        case items

        /// The dataset of the factor matrix.
        public var dataset: String { self == .users ? "user_factors" : "item_factors" }
        /// The dataset of the ids.
        public var idsDataset: String { self == .users ? "user_ids" : "item_ids" }
    }

    public var side: Side
    /// The factors, one row per user (or item), in the precision they were read in; with
    /// `userBias`, the user bias is the last column.
    public var matrix: FactorMatrix
    /// One id per row, when known.
    public var ids: IDMap?
    /// Whether the trailing column of user factors is a per-user bias.
    public var userBias = false
    /// Whether μ was subtracted from the targets.
    public var offset = Objective.Offset.none
    /// μ, the mean the targets were shifted by (recorded even when `offset` is none).
    public var globalMean = 0.0
    /// Where the item bias the factors were solved with came from (`FILE.h5:/DATASET` or
    /// `FILE.npy`), as given on the command line: a record, read only by ``itemBias(items:itemCount:folder:limits:)``
    /// for files that do not store the bias themselves.
    public var itemBiasSource: FileSpec?
    /// An item bias stored in this file (dataset `item_bias`): ALS's item file holds the bias it
    /// learned, a user file solved with a fixed `--item-bias` holds that bias.
    public var itemBias: [Double]?
    /// The objective minimized, when the file records one (its user bias, offset and μ are
    /// those of this file).
    public var objective: Objective?
    /// How the factors were computed, when the file records it.
    public var run: Run?
    /// The mftool version that wrote the file.
    public var version: String?
    /// Whether the factors are stored as float32 (float64 otherwise).
    public var single = false
    /// Set on a part of a sharded run: which rows of the whole these factors are.
    public var part: ShardPart?

    /// Factors with ids and nothing else recorded.
    public init(side: Side = .users, factors: DenseMatrix<Double>, ids: IDMap?) {
        precondition(ids == nil || ids!.count == factors.rows)
        self.side = side
        self.matrix = .double(factors)
        self.ids = ids
    }

    /// The factors as Float64: shared with `matrix` when it holds Float64, else a converted copy.
    public var factors: DenseMatrix<Double> {
        get { matrix.doubles }
        set { matrix = .double(newValue) }
        _modify {
            // Taken out of `matrix` first, so that a change in place does not copy the storage.
            var m = matrix.doubles
            matrix = .double(DenseMatrix(rows: 0, columns: 0, storage: []))
            defer { matrix = .double(m) }
            yield &m
        }
    }

    /// The mean a model adds to every prediction: μ under `offset` global-mean, else 0.
    public var mean: Double { offset == .globalMean ? globalMean : 0 }

    /// The number of latent factors: the columns without the user bias column.
    public var k: Int { matrix.columns - (side == .users && userBias ? 1 : 0) }

    /// The item bias a model built from these (user) factors adds, for `itemCount` items:
    /// - the bias stored in this file, when it stores one;
    /// - else, when the file records that its factors were solved with an item bias, the
    ///   `item_bias` dataset of `items` (the items file given with them, as ALS writes it), else
    ///   the recorded file, a relative path taken from `folder` (this file's own folder, never
    ///   the working directory);
    /// - else none.
    /// Whichever is read must hold one finite entry per item.
    public func itemBias(items: FileSpec, itemCount: Int, folder: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> [Double]? {
        let (bias, origin): ([Double], String)
        if let itemBias {
            (bias, origin) = (itemBias, "the item_bias stored in the user factor file")
        } else if let source = try recordedItemBiasSource(items: items, folder: folder, limits: limits) {
            (bias, origin) = (try EmbeddingsFile.readVector(source, limits: limits), source.description)
        } else {
            return nil
        }
        guard bias.count == itemCount else {
            throw IOError(file: origin, "has \(bias.count) item bias entries but the items file has \(itemCount) items")
        }
        return bias
    }
}

extension FactorFile {
    /// Where the item bias the file records but does not store is read: the `item_bias` dataset
    /// of `items` when it has one (ALS's items file), else the recorded source resolved against
    /// `folder`; nil when the file records no item bias source.
    public func recordedItemBiasSource(items: FileSpec?, folder: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> FileSpec? {
        guard let itemBiasSource else { return nil }
        if let items, FileFormat.detect(items.path) == .hdf5, let stored = FactorFile.storedItemBias(try HDF5File.open(items.path, limits: limits)) {
            return FileSpec(path: items.path, object: stored)
        }
        return itemBiasSource.resolved(from: folder)
    }

    /// Whether the file records any model term or objective: a file that records nothing (a
    /// PyTorch dump, a `.npy`) is a matrix only.
    public var recordsModel: Bool {
        objective != nil || userBias || offset != .none || itemBiasSource != nil || itemBias != nil
    }
}

extension FileSpec {
    /// The spec with a relative path taken from `folder` instead of the working directory.
    public func resolved(from folder: String) -> FileSpec {
        guard !path.hasPrefix("/") else { return self }
        let base = folder.isEmpty ? "." : folder
        return FileSpec(path: (base as NSString).appendingPathComponent(path), object: object)
    }
}

extension FactorFile {
    /// How the factors were computed: the method, its settings and the input files.
    public struct Run: Sendable, Equatable {
        public enum Method: String, Sendable, CaseIterable { case ridge, sgd, adam, als }

        public var method: Method
        /// Set when item factors were solved for fixed users (`solve --side items`).
        public var side: Side?
        /// The precision of the exact solve's kernels.
        public var precision: SolvePrecision?
        /// The exact solve's kernel: lapack or native-<instruction set>.
        public var kernel: String?
        /// Epochs run.
        public var epochs: Int?
        /// With early stopping: the epoch whose factors the file holds, and the validation
        /// metric (`NAME@K`) and score that chose it.
        public var bestEpoch: Int?
        public var validationMetric: String?
        public var validationScore: Double?
        /// The objective's value at the factors the file holds, when the run computed it.
        public var objectiveValue: Double?
        /// The seed of the initial factors and shuffles.
        public var seed: UInt64?
        /// The optimizer settings of gradient training.
        public var gradient: Gradient?
        /// The input files as given on the command line.
        public var interactions: String?
        public var items: String?
        public var users: String?

        public init(method: Method) { self.method = method }
    }

    /// The settings of `fit --method sgd|adam`.
    public struct Gradient: Sendable, Equatable {
        /// The optimizer's settings (its kind is the run's method; `sparse` is the `sparse` flag,
        /// recorded only when set).
        public var optimizer: OptimizerSettings
        public var batchSize: Int
        public var lossScale: GradientLossScale

        public init(optimizer: OptimizerSettings, batchSize: Int, lossScale: GradientLossScale) {
            self.optimizer = optimizer
            self.batchSize = batchSize
            self.lossScale = lossScale
        }
    }
}
