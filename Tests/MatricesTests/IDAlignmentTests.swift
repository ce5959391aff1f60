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
