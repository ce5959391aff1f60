import Matrices

/// How raw triplets become canonical interactions: duplicate handling, id order, item alignment.
public struct CanonicalOptions: Sendable, Equatable {
    /// What to do with repeated (user, item) pairs; summed by default, as SciPy does.
    public var duplicates: DuplicatePolicy = .sum
    /// Sort user and item ids (numerically when all are integers) instead of first-seen order.
    public var sortIDs: Bool = false
    /// Item order to follow exactly (an embedding file's `item_ids`), and where it came from.
    public var itemOrder: IDMap? = nil
    /// The file `itemOrder` came from, for messages.
    public var itemOrderSource: String = ""
    /// Drop interactions whose item is missing from `itemOrder` instead of failing.
    public var dropUnknownItems: Bool = false
    /// Keep only interactions whose value is at least this (binarizing ratings ≥ 4, say, with
    /// implicit loss); users and items left without interactions keep their ids.
    public var minimumValue: Double? = nil

    public init() {}
}

/// What canonicalization did to the input, for reporting.
public struct ConversionReport: Sendable, Equatable {
    /// Triplets that repeated an earlier (user, item) pair.
    public var duplicates: Int = 0
    /// Interactions dropped because their item is missing from the item order.
    public var droppedInteractions: Int = 0
    /// Distinct items dropped for that reason.
    public var droppedItems: Int = 0
    /// Interactions dropped for a value below ``CanonicalOptions/minimumValue``.
    public var belowMinimum: Int = 0

    public init() {}
}

enum Canonicalizer {
    /// Applies id sorting, item alignment and duplicate handling, and builds sorted CSR.
    static func build(_ parsed: ParsedTriplets, options: CanonicalOptions, file: String,
                      report: inout ConversionReport) throws(IOError) -> Interactions {
        // Already canonical (sorted CSR without repeats, nothing to reorder): no sort needed.
        if let csr = parsed.csr, !options.sortIDs, options.minimumValue == nil, options.itemOrder.map({ $0 == (try? IDMap(parsed.itemIDs)) }) ?? true,
           csr.hasStrictlyAscendingRows, let users = try? IDMap(parsed.userIDs), let items = try? IDMap(parsed.itemIDs) {
            return Interactions(matrix: csr, userIDs: users, itemIDs: items, timestamps: parsed.timestamps)
        }
        // Canonical CSR whose items only need renumbering to the embeddings' order: re-sort
        // each row in place of a round trip through triplets.
        if let csr = parsed.csr, !options.sortIDs, options.minimumValue == nil, let order = options.itemOrder,
           csr.hasStrictlyAscendingRows, let users = try? IDMap(parsed.userIDs), (try? IDMap(parsed.itemIDs)) != nil {
            let target = parsed.itemIDs.map { id in order.index(of: id).map(Int32.init) ?? -1 }
            if !target.contains(-1) {
                let (matrix, times) = csr.renumberingColumns(target, columns: order.count, carrying: parsed.timestamps)
                return Interactions(matrix: matrix, userIDs: users, itemIDs: order, timestamps: times)
            }
        }
        var coo = parsed.triplets
        var times = parsed.timestamps
        var userIDs = parsed.userIDs
        var itemIDs = parsed.itemIDs
        if options.sortIDs {
            let userOrder = try! IDMap(userIDs).sortingPermutation()
            var userRank = [Int32](repeating: 0, count: userIDs.count)
            for (new, old) in userOrder.enumerated() { userRank[old] = Int32(new) }
            userIDs = userOrder.map { userIDs[$0] }
            coo.rowIndices = coo.rowIndices.map { userRank[Int($0)] }
            if options.itemOrder == nil {
                let itemOrder = try! IDMap(itemIDs).sortingPermutation()
                var itemRank = [Int32](repeating: 0, count: itemIDs.count)
                for (new, old) in itemOrder.enumerated() { itemRank[old] = Int32(new) }
                itemIDs = itemOrder.map { itemIDs[$0] }
                coo.columnIndices = coo.columnIndices.map { itemRank[Int($0)] }
            }
        }
        if let minimum = options.minimumValue {
            var keep = 0
            for t in 0..<coo.count where coo.values[t] >= minimum {
                coo.rowIndices[keep] = coo.rowIndices[t]
                coo.columnIndices[keep] = coo.columnIndices[t]
                coo.values[keep] = coo.values[t]
                if let old = times?[t] { times![keep] = old }
                keep += 1
            }
            report.belowMinimum = coo.count - keep
            coo.rowIndices.removeLast(coo.count - keep)
            coo.columnIndices.removeLast(coo.columnIndices.count - keep)
            coo.values.removeLast(coo.values.count - keep)
            if let count = times?.count { times!.removeLast(count - keep) }
        }
        if let order = options.itemOrder {
            let target = itemIDs.map { id in order.index(of: id).map(Int32.init) ?? -1 }
            let unknown = itemIDs.indices.filter { target[$0] < 0 }
            if !unknown.isEmpty {
                let unknownSet = Set(unknown.map(Int32.init))
                let affected = coo.columnIndices.reduce(0) { $0 + (unknownSet.contains($1) ? 1 : 0) }
                if !options.dropUnknownItems {
                    let sample = unknown.prefix(5).map { "'\(itemIDs[$0])'" }.joined(separator: ", ")
                    throw IOError(file: file, "\(affected) interactions name \(unknown.count) items missing from the item_ids of \(options.itemOrderSource) (first: \(sample)); pass --drop-unknown-items to drop them")
                }
                report.droppedInteractions = affected
                report.droppedItems = unknown.count
                var keep = 0
                for t in 0..<coo.count where target[Int(coo.columnIndices[t])] >= 0 {
                    coo.rowIndices[keep] = coo.rowIndices[t]
                    coo.columnIndices[keep] = coo.columnIndices[t]
                    coo.values[keep] = coo.values[t]
                    if let old = times?[t] { times![keep] = old }
                    keep += 1
                }
                coo.rowIndices.removeLast(coo.count - keep)
                coo.columnIndices.removeLast(coo.count - keep)
                coo.values.removeLast(coo.values.count - keep)
                if let count = times?.count { times!.removeLast(count - keep) }
            }
            coo.columnIndices = coo.columnIndices.map { target[Int($0)] }
            coo.columns = order.count
            itemIDs = order.ids
        }
        coo.rows = userIDs.count
        var duplicates = 0
        let csr: CSRMatrix
        do {
            (csr, times) = try coo.toCSR(duplicates: options.duplicates, duplicateCount: &duplicates, carrying: times)
        } catch {
            throw IOError(file: file, "\(error.duplicates) repeated (user, item) pairs, the first (user '\(userIDs[error.row])', item '\(itemIDs[error.column])'); pass --duplicates sum or last to accept them")
        }
        report.duplicates = duplicates
        let users: IDMap, items: IDMap
        do {
            users = try IDMap(userIDs)
            items = try IDMap(itemIDs)
        } catch {
            throw IOError(file: file, "id '\(error.id)' occurs twice in the id list")
        }
        return Interactions(matrix: csr, userIDs: users, itemIDs: items, timestamps: times)
    }
}
