import FixturePaths
import Foundation
@testable import IO
import Testing

@Suite("Parquet output")
struct ParquetWriterTests {
    @Test("Thrift compact writer: what it writes reads back, long field-id jumps, negative numbers, long lists and nested structs included")
    func thriftRoundTrip() throws {
        var w = ThriftCompactWriter()
        w.i32(1, -7)
        w.i64(40, Int64.min)
        w.string(41, "zürich, 東京")
        w.beginStruct(2)
        w.i32(1, Int32.max)
        w.beginStruct(20)
        w.endStruct()
        w.endStruct()
        w.beginList(43, of: .i32, count: 20)
        for v in 0..<20 { w.element(Int32(v * v - 50)) }
        w.beginList(44, of: .structure, count: 2)
        for v in ["a", "b"] {
            w.beginElement()
            w.string(3, v)
            w.endStruct()
        }
        w.finish()
        var seen: [String] = []
        let remaining: Int = try thrift(w.bytes) { r throws(ThriftError) -> Int in
            try r.readStruct { r, field throws(ThriftError) in
                switch field.id {
                case 1:
                    let v = try r.i32(field)
                    seen.append("1=\(v)")
                case 40:
                    let v = try r.i64(field)
                    seen.append("40=\(v)")
                case 41:
                    let v = try r.string(field)
                    seen.append("41=\(v)")
                case 2:
                    try r.structure(field) { r, inner throws(ThriftError) in
                        if inner.id == 1 {
                            let v = try r.i32(inner)
                            seen.append("2.1=\(v)")
                        } else {
                            seen.append("2.\(inner.id)")
                            try r.structure(inner) { _, _ throws(ThriftError) in }
                        }
                    }
                case 43:
                    let values = try r.list(field, of: .i32) { r throws(ThriftError) -> Int32 in try r.i32() }
                    seen.append("43=\(values)")
                case 44:
                    let names = try r.list(field, of: .structure) { r throws(ThriftError) -> String in
                        var name = ""
                        try r.readStruct { r, f throws(ThriftError) in name = try r.string(f) }
                        return name
                    }
                    seen.append("44=\(names)")
                default: seen.append("unexpected \(field.id)")
                }
            }
            return r.remaining
        }
        #expect(remaining == 0)
        #expect(seen == ["1=-7", "40=\(Int64.min)", "41=zürich, 東京", "2.1=\(Int32.max)", "2.20",
                         "43=\((0..<20).map { Int32($0 * $0 - 50) })", "44=[\"a\", \"b\"]"])
    }

    /// `users` lists of `length` (every fifth one empty), with integer or string ids.
    func lists(users: Int, length: Int, integer: Bool) -> RecommendationsFile.Lists {
        let ids = (0..<users).map { integer ? String($0 * 7 - 100) : "user \($0), ☃" }
        let lists = (0..<users).map { u in
            let count = u % 5 == 0 ? 0 : length
            return (0..<count).map { (r: Int) -> (item: String, score: Double) in
                let item: String = integer ? String(u * 31 + r) : "item \"\(r)\""
                let score: Double = Double(u) / 3 - Double(r) * 0.1
                return (item: item, score: score)
            }
        }
        return RecommendationsFile.Lists(users: ids, lists: lists, integerUsers: integer, integerItems: integer)
    }

    func strings(_ values: ParquetValues) -> [String] {
        switch values {
        case let .int64(v): v.map { String($0) }
        case let .byteArray(b): (0..<b.count).map { b.string(at: $0) }
        default: []
        }
    }

    @Test("recommendation lists read back by mftool's reader: ids of either type, ranks from 1, scores bit for bit, two row groups",
          arguments: [true, false])
    func recommendations(integer: Bool) throws {
        let recs = lists(users: 3000, length: 60, integer: integer)
        let path = Fixtures.scratchFolder() + "/recs.parquet"
        try RecommendationsFile.write(recs, k: 60, to: path)
        let file = try ParquetFile(path: path)
        #expect(file.rowCount == 2400 * 60 && file.metadata.rowGroups.count == 2)
        #expect(file.columns.map(\.name) == ["user", "rank", "item", "score"] && file.columns.allSatisfy { !$0.optional })
        let (user, rank, item, score) = (try file.read("user"), try file.read("rank"), try file.read("item"), try file.read("score"))
        #expect(user.physicalType == (integer ? .int64 : .byteArray) && user.logicalType == (integer ? nil : .string))
        #expect(strings(user.values) == recs.lists.indices.flatMap { u in recs.lists[u].map { _ in recs.users[u] } })
        #expect(rank.values == .int32(recs.lists.flatMap { $0.indices.map { Int32($0 + 1) } }))
        #expect(strings(item.values) == recs.lists.flatMap { $0.map(\.item) })
        #expect(score.values == .double(recs.lists.flatMap { $0.map(\.score) }))
    }

    @Test("no lists at all: a valid file of 0 rows with the four columns")
    func empty() throws {
        let path = Fixtures.scratchFolder() + "/recs.parquet"
        try RecommendationsFile.write(lists(users: 1, length: 3, integer: true), k: 3, to: path)
        let file = try ParquetFile(path: path)
        #expect(file.rowCount == 0 && file.columns.count == 4)
    }
}
