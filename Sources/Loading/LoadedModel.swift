import Foundation
import IO
import Matrices
import Solvers

/// User factors and item embeddings read together, with their ids and the model terms (μ, the
/// biases) their files record: what `eval`, `recommend`, `similar`, `export` and `explain`
/// score with, and what files read against the model are aligned to.
public struct LoadedModel {
    public var model: FactorModel
    public var userIDs: IDMap
    /// The model's item ids: the items file's, else positions.
    public var itemIDs: IDMap
    /// The files, as given (`FILE.h5:/dataset` keeps its object), named in messages.
    public var users: FileSpec
    public var items: FileSpec
    public var alignment: ModelAlignment
    /// The settings the model's terms come from: the user file's, or the `like` file's.
    public var terms: FactorFile
    /// What reading the files, and those read against the model later, may make mftool do.
    public var limits: ReadLimits

    /// Reads the two files; the item bias comes from the user file, else the items file (see
    /// ``FactorFile/itemBias(items:itemCount:folder:limits:)``); with `like`, μ and the biases
    /// are that file's (``FactorFile/modelTerms(of:usersPath:like:override:limits:)``). Both
    /// factor matrices are read in the precision `reading` asks for.
    public init(users: FileSpec, items: FileSpec, alignment: ModelAlignment = ModelAlignment(),
                like: (path: String, override: Bool)? = nil, reading: FactorReading = .double,
                limits: ReadLimits = ReadLimits()) throws {
        let (itemFactors, itemIDs) = try EmbeddingsFile.readFactors(items, ids: alignment.itemIDs, reading: reading, limits: limits)
        // No item to score: every list, vector file or metric would be empty, not an answer.
        guard itemFactors.rows > 0 else { throw IOError(file: items.path, "holds 0 items (no rows): there is nothing to score") }
        if !alignment.matching.allowRoleSwap, users.object == nil, FileFormat.detect(users.path) == .hdf5,
           try FactorFile.holdsItems(users.path, limits: limits) {
            throw DataError("\(users.path) holds item factors (item_factors), not user factors: give it as --items, or pass --allow-role-swap to score its rows as users")
        }
        let userFile = try FactorFile.read(users, reading: reading, limits: limits)
        let (terms, termsPath) = try like.map {
            try FactorFile.modelTerms(of: userFile, usersPath: users.path, like: $0.path, override: $0.override, limits: limits)
        } ?? (userFile, users.path)
        let bias = try terms.itemBias(items: items, itemCount: itemFactors.rows,
                                      folder: (termsPath as NSString).deletingLastPathComponent, limits: limits)
        model = try FactorModel(users: userFile.matrix, items: itemFactors, mean: terms.mean,
                                itemBias: bias, userBias: terms.userBias)
        self.terms = terms
        userIDs = userFile.ids ?? .positional(userFile.matrix.rows)
        self.itemIDs = itemIDs ?? .positional(itemFactors.rows)
        self.users = users
        self.items = items
        self.alignment = alignment
        self.limits = limits
    }
}
