import Matrices
import Testing

@Suite("IDAlignment: the one rule for matching ids")
struct IDAlignmentTests {
    let sides = IDAlignment.Sides(entity: "user", source: "train.csv", target: "u.h5")

    @Test("both sides with ids: joined by id, unknown and missing counted")
    func byID() throws {
        let a = try IDAlignment.align(try IDMap(["b", "x", "a"]), to: try IDMap(["a", "b", "c"]), sides)
        #expect(a.method == .byID && a.targets == [1, -1, 0] && a.unknown == 1 && a.missing == 1 && a.notice == nil)
        let same = try IDAlignment.align(try IDMap(["a", "b"]), to: try IDMap(["a", "b"]), sides)
        #expect(same.method == .identical && same.unknown == 0)
    }

    @Test("no id in common: an error showing what each side's ids look like, and their kinds")
    func noOverlap() throws {
        let error = #expect(throws: AlignmentError.self) {
            try IDAlignment.align(try IDMap(["196", "186"]), to: try IDMap(["u196", "u186"]), sides)
        }
        #expect(error?.message == "0 of 2 user ids of train.csv match u.h5's; u.h5's look like 'u196', train.csv's like '196' (string ids vs integer ids)")
        let allowed = try IDAlignment.align(try IDMap(["196"]), to: try IDMap(["u196"]), sides, allowNoOverlap: true)
        #expect(allowed.matched == 0 && allowed.unknown == 1)
    }

    @Test("one side without ids: by position when the counts agree, with a notice; --require-ids refuses")
    func positional() throws {
        let a = try IDAlignment.align(.positional(3), to: try IDMap(["a", "b", "c"]), sides)
        #expect(a.method == .positional && a.targets == [0, 1, 2] && a.notice?.contains("train.csv has no user ids") == true)
        #expect(throws: AlignmentError.self) { try IDAlignment.align(.positional(2), to: try IDMap(["a", "b", "c"]), sides) }
        #expect(throws: AlignmentError.self) {
            try IDAlignment.align(try IDMap(["a", "b", "c"]), to: .positional(3), sides, requireIDs: true)
        }
        // Positional "0", "1", … never join by id with real integer ids.
        let shifted = try IDAlignment.align(.positional(2), to: try IDMap(["1", "2"]), sides)
        #expect(shifted.method == .positional && shifted.targets == [0, 1])
    }
}

@Suite("IDSanity: shifts and swapped roles")
struct IDSanityTests {
    func ids(_ range: ClosedRange<Int>) throws -> IDMap { try IDMap(range.map(String.init)) }

    @Test("a shift is reported only when nearly every id matches with it and more than without")
    func shifts() throws {
        #expect(IDSanity.betterShift(try ids(1...100), try ids(0...99), matched: 99)! == (-1, 100))
        #expect(IDSanity.betterShift(try ids(0...99), try ids(1...100), matched: 99)! == (1, 100))
        // A subset, fully matched: nothing to do better.
        #expect(IDSanity.betterShift(try ids(5...10), try ids(1...100), matched: 6) == nil)
        // One new id past the end: the shift matches no more than the ids as they are.
        #expect(IDSanity.betterShift(try ids(1...101), try ids(1...100), matched: 100) == nil)
        // Sparse ids where a shift happens to match a few more, but not nearly all.
        let sparse = try IDMap(["1", "10", "20", "30", "41"]), target = try IDMap(["1", "40", "50"])
        #expect(IDSanity.betterShift(sparse, target, matched: 1) == nil)
        #expect(IDSanity.betterShift(try IDMap(["a", "b"]), try IDMap(["b", "c"]), matched: 1) == nil)
    }

    @Test("users that are the target's items while the items are not: suspected; a sparse catalogue is not")
    func swaps() throws {
        let catalogue = try ids(1...20)
        #expect(IDSanity.swappedRoles(users: try ids(1...20).ids, items: try ids(1...12), target: catalogue, itemsMatched: 12)! == (20, 12))
        // Few items of a large catalogue rated by users numbered like a part of it.
        let large = try ids(1...10_000)
        #expect(IDSanity.swappedRoles(users: try ids(1...5000).ids, items: try ids(1...500), target: large, itemsMatched: 500) == nil)
        // Nearly every item matched: no suspicion.
        #expect(IDSanity.swappedRoles(users: try ids(1...20).ids, items: try ids(1...19), target: catalogue, itemsMatched: 19) == nil)
    }
}
