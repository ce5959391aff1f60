import Matrices
import Testing

@Suite("Id maps of consecutive positional ids")
struct IDMapTests {
    @Test("lookups in a map without a table find exactly the canonical decimals in range")
    func numberedLookups() throws {
        let map = IDMap.positional(1000)
        #expect(map.index(of: "0") == 0 && map.index(of: "999") == 999)
        for absent in ["1000", "-1", "01", "+5", " 5", "5 ", "", "x", "1e2"] { #expect(map.index(of: absent) == nil, "\(absent)") }
        let same = try IDMap((0..<1000).map(String.init))
        #expect(map == same)
        for id in ["7", "007", "1000"] { #expect(map.index(of: id) == same.index(of: id)) }
    }

    @Test("inserting into it builds the table and keeps every index")
    func insertion() {
        var map = IDMap.positional(5)
        #expect(map.insert("3") == 3)
        #expect(map.insert("alice") == 5)
        #expect(map.index(of: "4") == 4 && map.index(of: "alice") == 5 && map.count == 6)
        #expect(map.insert("alice") == 5)
    }

    @Test("numbered ids not starting at 0 (a shard's rows) parse too; stored repeats are refused")
    func numberedElsewhere() throws {
        let slice = try IDMap(IDList(numbering: 10..<13))
        #expect(slice.index(of: "11") == 1 && slice.index(of: "1") == nil && slice.index(of: "13") == nil)
        let stored = try IDMap(["10", "11", "12"])
        #expect(slice.ids == ["10", "11", "12"] && slice == stored)
        #expect(throws: DuplicateIDError.self) { try IDMap(["a", "b", "a"]) }
        let empty = try IDMap(IDList(numbering: 5..<5))
        #expect(empty.count == 0 && empty.index(of: "5") == nil && empty == IDMap())
    }

    @Test("a positional map of a billion ids stores none of them")
    func lazyPositional() throws {
        let map = IDMap.positional(1_000_000_000)
        #expect(map.ids.numbering == 0..<1_000_000_000 && map.count == 1_000_000_000)
        #expect(map.ids[999_999_999] == "999999999" && map.index(of: "999999999") == 999_999_999)
        #expect(map.allIntegers && Array(map.ids.prefix(3)) == ["0", "1", "2"])
        #expect(map == IDMap.positional(1_000_000_000) && map != IDMap.positional(999_999_999))
    }
}
