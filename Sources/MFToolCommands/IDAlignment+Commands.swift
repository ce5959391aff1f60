import ArgumentParser
import Foundation
import IO
import Matrices
import Solvers

/// A data error found by a command (ids that do not line up, an empty outcome): exit 1 with
/// its one line, never a usage banner.
struct DataError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Lines that say how ids were matched, each printed once on stderr.
struct AlignmentNotices {
    private var printed: Set<String> = []

    mutating func print(_ lines: [String]) {
        for line in lines where printed.insert(line).inserted { Console.error(line) }
    }

    mutating func print(_ alignment: IDAlignment) {
        if let notice = alignment.notice { print([notice]) }
    }
}

/// How `eval` and `recommend` match interaction files to a model's users and items.
struct ModelInputOptions: ParsableArguments {
    @Option(name: .customLong("item-ids"), help: "Ids of the items file's rows, for embeddings without ids (.npy): text with one id per line, a 1-D .npy, or FILE.h5:/DATASET.", completion: .file())
    var itemIDs: String?

    @Flag(name: .customLong("drop-unknown-items"), help: "Drop interactions whose item the items file lacks (counted), instead of failing.")
    var dropUnknownItems = false

    @Flag(name: .customLong("require-ids"), help: "Fail instead of matching users or items by position when a file carries no ids.")
    var requireIDs = false

    @Flag(name: .customLong("allow-empty"), help: "Accept an empty outcome (no interactions or users left to use) instead of failing.")
    var allowEmpty = false

    @Flag(name: .customLong("allow-id-shift"), help: "Join integer ids as they are even when they match better shifted by ±1 (one side counting from 0, the other from 1), instead of failing.")
    var allowIDShift = false

    @Flag(name: .customLong("allow-role-swap"), help: "Accept interactions whose user ids look like the items file's item ids (swapped columns), or an item factor file given as --users, instead of failing.")
    var allowRoleSwap = false
}

/// User factors and item embeddings read together, with their ids.
struct LoadedModel {
    var model: FactorModel
    var userIDs: IDMap
    /// The model's item ids: the items file's, else positions.
    var itemIDs: IDMap
    var usersArgument: String
    var itemsArgument: String
    var options: ModelInputOptions
    /// The settings the model's terms come from: the user file's, or the --like file's.
    var terms: FactorFile
    /// What reading the files, and those read against the model later, may make mftool do.
    var limits: ReadLimits

    /// Reads the two files; the item bias comes from the user file, else the items file (see
    /// `FactorFile.itemBias(items:itemCount:folder:)`); with `like` (--like), μ and the biases
    /// are the --like file's. Both factor matrices are read in the precision `reading` asks for.
    init(users: String, items: String, options: ModelInputOptions, like: LikeOptions? = nil, reading: FactorReading = .double,
         limits: ReadLimits) throws {
        let (itemFactors, itemIDs) = try EmbeddingsFile.readFactors(FileSpec(items), ids: options.itemIDs.map { FileSpec($0) },
                                                                     reading: reading, limits: limits)
        // No item to score: every list, vector file or metric would be empty, not an answer.
        guard itemFactors.rows > 0 else { throw IOError(file: FileSpec(items).path, "holds 0 items (no rows): there is nothing to score") }
        let userSpec = FileSpec(users)
        if !options.allowRoleSwap, userSpec.object == nil, FileFormat.detect(userSpec.path) == .hdf5,
           try FactorFile.holdsItems(userSpec.path, limits: limits) {
            throw DataError("\(userSpec.path) holds item factors (item_factors), not user factors: give it as --items, or pass --allow-role-swap to score its rows as users")
        }
        let userFile = try FactorFile.read(userSpec, reading: reading, limits: limits)
        let (terms, termsPath) = try like?.modelTerms(of: userFile, usersPath: userSpec.path, limits: limits) ?? (userFile, userSpec.path)
        let bias = try terms.itemBias(items: FileSpec(items), itemCount: itemFactors.rows,
                                      folder: (termsPath as NSString).deletingLastPathComponent, limits: limits)
        model = try FactorModel(users: userFile.matrix, items: itemFactors, mean: terms.mean,
                                itemBias: bias, userBias: terms.userBias)
        self.terms = terms
        userIDs = userFile.ids ?? .positional(userFile.matrix.rows)
        self.itemIDs = itemIDs ?? .positional(itemFactors.rows)
        usersArgument = users
        itemsArgument = items
        self.options = options
        self.limits = limits
    }

    /// What aligning one interactions file to the model found.
    struct Aligned {
        var matrix: CSRMatrix
        /// Users of the file without factors (their interactions are left out).
        var unknownUsers: Int
        /// Interactions on items the items file lacks, dropped with --drop-unknown-items.
        var droppedInteractions: Int
        var droppedItems: Int
    }

    /// Reads interactions and renumbers them to the model's users and items by the one alignment
    /// rule (`IDAlignment`); `role` names the file in messages ("test", "train").
    func aligned(_ path: String, role: String, notices: inout AlignmentNotices) throws -> Aligned {
        var read = InteractionsFile.ReadOptions(limits: limits)
        read.canonical.itemOrder = itemIDs
        read.canonical.itemOrderSource = FileSpec(itemsArgument).path
        read.canonical.dropUnknownItems = options.dropUnknownItems
        read.canonical.requireIDs = options.requireIDs
        read.canonical.allowEmpty = options.allowEmpty
        read.canonical.allowIDShift = options.allowIDShift
        // The model's users are the better reference for a swap than its items alone: see
        // refuseSwappedRoles.
        read.canonical.allowRoleSwap = true
        let (x, report) = try InteractionsFile.read(FileSpec(path), options: read)
        notices.print(report.notices)
        if !options.allowRoleSwap { try refuseSwappedRoles(x, path: path) }
        let sides = IDAlignment.Sides(entity: "user", source: "the \(role) file \(FileSpec(path).path)",
                                      target: "the user factor file \(FileSpec(usersArgument).path)")
        let alignment = try IDAlignment.align(x.userIDs, to: userIDs, sides, requireIDs: options.requireIDs,
                                              allowNoOverlap: options.allowEmpty, allowShift: options.allowIDShift)
        notices.print(alignment)
        return Aligned(matrix: x.rows(alignment), unknownUsers: alignment.unknown,
                       droppedInteractions: report.droppedInteractions, droppedItems: report.droppedItems)
    }
}

extension LoadedModel {
    /// Refuses a file whose users and items look swapped against the model: its user ids match
    /// the model's items better than its users, nearly all of them, and the items it uses are
    /// nearly all model users. A test file of a catalogue numbered like the users matches both
    /// ways alike and passes; a swapped one matches crossed strictly better.
    func refuseSwappedRoles(_ x: Interactions, path: String) throws {
        guard !x.userIDs.isPositional, !userIDs.isPositional, !itemIDs.isPositional, x.userIDs.count > 0 else { return }
        let fileUsers = x.userIDs.ids
        let direct = fileUsers.reduce(0) { $0 + (userIDs.index(of: $1) != nil ? 1 : 0) }
        guard direct < fileUsers.count else { return }
        let crossed = fileUsers.reduce(0) { $0 + (itemIDs.index(of: $1) != nil ? 1 : 0) }
        guard crossed > direct, Double(crossed) >= IDSanity.nearlyAll * Double(fileUsers.count) else { return }
        let used = Set(x.matrix.indices.map(Int.init)).map { x.itemIDs.ids[$0] }
        let usedAsUsers = used.reduce(0) { $0 + (userIDs.index(of: $1) != nil ? 1 : 0) }
        guard !used.isEmpty, Double(usedAsUsers) >= IDSanity.nearlyAll * Double(used.count) else { return }
        throw DataError("\(FileSpec(path).path): its user ids look like the item ids of \(FileSpec(itemsArgument).path) (\(crossed) of its \(fileUsers.count) users are items there, \(direct) are users of \(FileSpec(usersArgument).path)) and its items like those users: are the user and item columns swapped? Give --user-col and --item-col (or convert again with them), or pass --allow-role-swap to read the columns as they are")
    }
}

extension FactorFile {
    /// The factor rows in the order of `users` (the interactions' users), matched by the one
    /// alignment rule: by id when both carry ids (every user needs a row), else by position when
    /// the counts agree. `argument` names the file, `interactions` the other side, in messages.
    func factors(alignedTo users: IDMap, argument: String, interactions: String, requireIDs: Bool, allowShift: Bool,
                 notices: inout AlignmentNotices) throws -> DenseMatrix<Double> {
        let sides = IDAlignment.Sides(entity: "user", source: interactions, target: FileSpec(argument).path)
        let alignment = try IDAlignment.align(users, to: ids ?? .positional(factors.rows), sides, requireIDs: requireIDs,
                                              allowShift: allowShift)
        notices.print(alignment)
        if alignment.unknown > 0 {
            let first = users.ids[alignment.targets.firstIndex(of: -1)!]
            throw DataError("\(alignment.unknown) of \(users.count) users of \(interactions) have no row in \(argument) (first: '\(first)')")
        }
        if alignment.method != .byID { return factors }
        var out = DenseMatrix<Double>(rows: users.count, columns: factors.columns, repeating: 0)
        for (u, row) in alignment.targets.enumerated() {
            for c in 0..<out.columns { out[u, c] = factors[row, c] }
        }
        return out
    }
}
