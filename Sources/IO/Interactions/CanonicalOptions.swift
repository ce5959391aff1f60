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
    /// Keep only interactions whose value is at least this (binarizing ratings ≥ 4, say, with
    /// implicit loss); users and items left without interactions keep their ids.
    public var minimumValue: Double? = nil
    /// Give every kept interaction the value 1 (implicit feedback), after the `minimumValue`
    /// filter so that `--min-value 4 --implicit` keeps the ratings of at least 4 as 1s.
    public var binarize: Bool = false
    /// How items are matched to `itemOrder` (unknown items dropped or refused, by position or
    /// not, shifted integer ids, swapped columns) and whether an empty result is accepted.
    public var matching = IDMatching()

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
    /// Rows dropped for a null in a used column (``DelimitedOptions/dropNullRows``).
    public var nullRows: Int = 0
    /// Lines for stderr: items matched to the item order by position.
    public var notices: [String] = []

    public init() {}
}

enum Canonicalizer {
    /// Applies id sorting, item alignment and duplicate handling, and builds sorted CSR.
    static func build(_ parsed: ParsedTriplets, options: CanonicalOptions, file: String,
                      report: inout ConversionReport) throws(IOError) -> Interactions {
        let alignment = try options.itemOrder.map { order throws(IOError) in
            try itemAlignment(parsed, to: order, options: options, file: file)
        }
        if let notice = alignment?.notice { report.notices.append(notice) }
        if parsed.nullRows > 0 {
            report.nullRows = parsed.nullRows
            report.notices.append("note: \(file): dropped \(parsed.nullRows) rows with a null user, item, value or time (--drop-null-rows)")
        }
        if let ready = alreadyCanonical(parsed, alignment: alignment, options: options) { return ready }
        var coo = parsed.triplets
        var times = parsed.timestamps
        var userIDs = parsed.userIDs
        var itemIDs = parsed.itemIDs
        if options.sortIDs { try sortIDs(&coo, &userIDs, &itemIDs, items: options.itemOrder == nil, file: file) }
        if let minimum = options.minimumValue {
            report.belowMinimum = compact(&coo, &times) { _, value in value >= minimum }
        }
        if options.binarize { coo.values = [Double](repeating: 1, count: coo.count) }
        if let order = options.itemOrder, let alignment {
            try align(&coo, &times, &itemIDs, to: order, alignment, parsed: parsed, options: options, file: file, report: &report)
        }
        if coo.count == 0 && parsed.triplets.count > 0 && !options.matching.allowEmpty {
            throw IOError(file: file, emptyAfterFiltering(report))
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
        return Interactions(matrix: csr, userIDs: users.markedPositional(parsed.positionalUsers),
                            itemIDs: items.markedPositional(parsed.positionalItems && (options.itemOrder?.isPositional ?? true)),
                            timestamps: times)
    }

    /// Why no interaction is left: the filters that dropped them.
    static func emptyAfterFiltering(_ report: ConversionReport) -> String {
        var causes: [String] = []
        if report.belowMinimum > 0 { causes.append("\(report.belowMinimum) below --min-value") }
        if report.droppedInteractions > 0 { causes.append("\(report.droppedInteractions) on \(report.droppedItems) unknown items") }
        return "no interactions are left after filtering (dropped \(causes.joined(separator: ", "))); pass --allow-empty to accept an empty result"
    }

    /// How the file's items map onto `order` (the embeddings' items), by the rule of `IDAlignment`.
    static func itemAlignment(_ parsed: ParsedTriplets, to order: IDMap, options: CanonicalOptions,
                              file: String) throws(IOError) -> IDAlignment {
        let items: IDMap
        do { items = try IDMap(parsed.itemIDs).markedPositional(parsed.positionalItems) } catch {
            throw IOError(file: file, "item id '\(error.id)' occurs twice in the id list")
        }
        let sides = IDAlignment.Sides(entity: "item", source: file, target: options.itemOrderSource)
        if !options.matching.allowRoleSwap, !parsed.positionalUsers, !items.isPositional, !order.isPositional {
            let itemsMatched = items.ids.reduce(0) { $0 + (order.index(of: $1) != nil ? 1 : 0) }
            if let swap = IDSanity.swappedRoles(users: parsed.userIDs, items: items, target: order, itemsMatched: itemsMatched) {
                throw IOError(file: file, "its \(parsed.userIDs.count) user ids look like the item ids of \(options.itemOrderSource) (\(swap.users) of its \(order.count) items are users here, \(swap.items) are items): are the user and item columns swapped? Give --user-col and --item-col (or convert again with them), or pass --allow-role-swap to read the columns as they are")
            }
        }
        do {
            return try IDAlignment.align(items, to: order, sides, requireIDs: options.matching.requireIDs,
                                         allowNoOverlap: options.matching.dropUnknownItems && options.matching.allowEmpty,
                                         allowShift: options.matching.allowIDShift)
        } catch {
            throw IOError(file: file, error.message)
        }
    }

    /// The interactions without a round trip through triplets, when the reader's CSR is already
    /// canonical (sorted rows without repeats, nothing to reorder) or only needs its items
    /// renumbered to `itemOrder` (each row re-sorted in place); nil otherwise.
    static func alreadyCanonical(_ parsed: ParsedTriplets, alignment: IDAlignment?, options: CanonicalOptions) -> Interactions? {
        guard let csr = parsed.csr, !options.sortIDs, options.minimumValue == nil, !options.binarize, csr.hasStrictlyAscendingRows,
              let users = try? IDMap(parsed.userIDs), let items = try? IDMap(parsed.itemIDs) else { return nil }
        let userMap = users.markedPositional(parsed.positionalUsers)
        guard let order = options.itemOrder, let alignment, alignment.method == .byID else {
            let itemMap = alignedItemIDs(items, parsed: parsed, order: options.itemOrder)
            return Interactions(matrix: csr, userIDs: userMap, itemIDs: itemMap, timestamps: parsed.timestamps)
        }
        guard alignment.unknown == 0 else { return nil }
        let (matrix, times) = csr.renumberingColumns(alignment.targets.map(Int32.init), columns: order.count, carrying: parsed.timestamps)
        return Interactions(matrix: matrix, userIDs: userMap, itemIDs: order, timestamps: times)
    }

    /// The item ids of interactions kept in their own column order (identical to `order`, or
    /// matched to it by position): the file's own ids, else `order`'s, else positional ones.
    static func alignedItemIDs(_ items: IDMap, parsed: ParsedTriplets, order: IDMap?) -> IDMap {
        guard parsed.positionalItems else { return items }
        return order ?? items.markedPositional(true)
    }

    /// Renumbers users (and, with `items`, items) in sorted id order; a repeated id fails.
    static func sortIDs(_ coo: inout COOMatrix, _ userIDs: inout IDList, _ itemIDs: inout IDList, items: Bool,
                        file: String) throws(IOError) {
        try sort(&userIDs, &coo.rowIndices, "user", file: file)
        if items { try sort(&itemIDs, &coo.columnIndices, "item", file: file) }
    }

    /// Sorts `ids` and renumbers `indices` (of them) to match. Numbered ids are already in
    /// order: they are kept as they are, without a per-id table.
    static func sort(_ ids: inout IDList, _ indices: inout [Int32], _ entity: String, file: String) throws(IOError) {
        guard ids.numbering == nil else { return }
        let order = try uniqueMap(ids, entity, file: file).sortingPermutation()
        var rank = [Int32](repeating: 0, count: ids.count)
        for (new, old) in order.enumerated() { rank[old] = Int32(new) }
        let sorted = order.map { ids[$0] }
        ids = IDList(sorted)
        indices = indices.map { rank[Int($0)] }
    }

    /// The id map of `ids`, or an error naming the first repeated id.
    static func uniqueMap(_ ids: IDList, _ entity: String, file: String) throws(IOError) -> IDMap {
        do { return try IDMap(ids) } catch {
            throw IOError(file: file, "\(entity) id '\(error.id)' occurs twice in the id list")
        }
    }

    /// Keeps, in order, the triplets (and their times) whose column and value pass `keep`;
    /// returns how many were dropped.
    static func compact(_ coo: inout COOMatrix, _ times: inout [Double]?, keep: (Int32, Double) -> Bool) -> Int {
        var kept = 0
        for t in 0..<coo.count where keep(coo.columnIndices[t], coo.values[t]) {
            coo.rowIndices[kept] = coo.rowIndices[t]
            coo.columnIndices[kept] = coo.columnIndices[t]
            coo.values[kept] = coo.values[t]
            if let old = times?[t] { times![kept] = old }
            kept += 1
        }
        let dropped = coo.count - kept
        coo.rowIndices.removeLast(dropped)
        coo.columnIndices.removeLast(dropped)
        coo.values.removeLast(dropped)
        if let count = times?.count { times!.removeLast(count - kept) }
        return dropped
    }

    /// Renumbers items to `order`; items it lacks fail, or with `dropUnknownItems` have their
    /// interactions dropped and counted.
    static func align(_ coo: inout COOMatrix, _ times: inout [Double]?, _ itemIDs: inout IDList, to order: IDMap,
                      _ alignment: IDAlignment, parsed: ParsedTriplets, options: CanonicalOptions, file: String,
                      report: inout ConversionReport) throws(IOError) {
        guard alignment.method == .byID else {
            // Same columns: the file's ids are kept, or the order's when the file has none.
            if parsed.positionalItems { itemIDs = order.ids }
            return
        }
        let target = alignment.targets.map(Int32.init)
        let unknown = itemIDs.indices.filter { target[$0] < 0 }
        if !unknown.isEmpty {
            let unknownSet = Set(unknown.map(Int32.init))
            let affected = coo.columnIndices.reduce(0) { $0 + (unknownSet.contains($1) ? 1 : 0) }
            if !options.matching.dropUnknownItems {
                let sample = unknown.prefix(5).map { "'\(itemIDs[$0])'" }.joined(separator: ", ")
                throw IOError(file: file, "\(affected) interactions name \(unknown.count) items missing from the item_ids of \(options.itemOrderSource) (first: \(sample)); pass --drop-unknown-items to drop them")
            }
            report.droppedInteractions = affected
            report.droppedItems = unknown.count
            _ = compact(&coo, &times) { column, _ in target[Int(column)] >= 0 }
        }
        coo.columnIndices = coo.columnIndices.map { target[Int($0)] }
        coo.columns = order.count
        itemIDs = order.ids
    }
}
