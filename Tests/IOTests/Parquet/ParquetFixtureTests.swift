import FixturePaths
import Foundation
@testable import IO
import Testing

/// A twin of a Parquet fixture: what pyarrow read back from it (tools/fixtures/make_parquet_fixtures.py).
struct ParquetTwin {
    struct Column {
        let physical: String
        let logical: String?
        let arrow: String
        let values: [String?]
    }

    let rows: Int
    let columns: [String: Column]

    init(_ relative: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(relative)")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        rows = try #require(root["rows"] as? Int)
        let columns = try #require(root["columns"] as? [String: [String: Any]])
        var decoded: [String: Column] = [:]
        for (name, column) in columns {
            let values = try #require(column["values"] as? [Any]).map { $0 as? String }
            decoded[name] = Column(physical: try #require(column["physical"] as? String), logical: column["logical"] as? String,
                                   arrow: try #require(column["arrow"] as? String), values: values)
        }
        self.columns = decoded
    }
}

/// Whether `column`'s value at each row equals the twin's: text for integers, strings and
/// booleans (``ParquetColumn/token(at:)``), the parsed number for floats; nulls where the twin has them.
func mismatches(_ column: ParquetColumn, _ twin: ParquetTwin.Column) -> [String] {
    var problems: [String] = []
    if column.physicalType.name != twin.physical { problems.append("physical \(column.physicalType.name), twin \(twin.physical)") }
    if column.rowCount != twin.values.count { problems.append("\(column.rowCount) rows, twin \(twin.values.count)") }
    let twinNulls = twin.values.indices.filter { twin.values[$0] == nil }
    if column.nullRows != twinNulls { problems.append("null rows \(column.nullRows), twin \(twinNulls)") }
    let present = twin.values.compactMap { $0 }
    guard column.values.count == present.count else { return problems + ["\(column.values.count) values, twin \(present.count)"] }
    for (i, expected) in present.enumerated() {
        let same: Bool = switch column.values {
        case let .float(v): Float(expected) == v[i]
        case let .double(v): Double(expected) == v[i]
        default: column.token(at: i) == expected
        }
        if !same { problems.append("value \(i): \(column.token(at: i)), twin \(expected)") }
        if problems.count > 5 { break }
    }
    return problems
}

/// Reads every column of `relative` and compares it with `twin`.
func checkAgainstTwin(_ relative: String, twin twinName: String? = nil) throws {
    let path = Fixtures.path("parquet/\(relative)")
    let twin = try ParquetTwin(twinName ?? "\(relative).json")
    let file = try ParquetFile(path: path)
    #expect(file.rowCount == twin.rows)
    #expect(Set(file.columns.map(\.name)) == Set(twin.columns.keys))
    for (name, expected) in twin.columns.sorted(by: { $0.key < $1.key }) {
        let column = try file.read(name)
        #expect(mismatches(column, expected) == [], "\(relative): column \(name)")
        #expect(column.logicalType?.name == expected.logical, "\(relative): column \(name) of \(expected.arrow)")
    }
}

@Suite("Parquet files written by pyarrow and pandas decode to their twins")
struct ParquetFixtureTests {
    static let matrix = ["none", "snappy", "gzip", "zstd"].flatMap { compression in
        ["dict", "plain"].flatMap { dictionary in ["v1", "v2"].map { "\(compression)_\(dictionary)_\($0).parquet" } }
    }

    @Test("every compression, dictionary on and off, data pages v1 and v2, three row groups", arguments: matrix)
    func compressionMatrix(_ name: String) throws {
        try checkAgainstTwin(name, twin: "matrix.json")
    }

    @Test("every type: ids, values, timestamps of each unit, dates, booleans, small and unsigned integers",
          arguments: ["types.parquet", "small_pages.parquet", "legacy.parquet", "pandas.parquet"])
    func types(_ name: String) throws {
        try checkAgainstTwin(name)
    }

    @Test("the DELTA encodings, BYTE_STREAM_SPLIT and RLE booleans", arguments: ["delta.parquet", "delta_byte_array.parquet"])
    func deltaEncodings(_ name: String) throws {
        try checkAgainstTwin(name)
    }

    @Test("optional columns: nulls are reported by row, in v1 pages with dictionaries and v2 pages without",
          arguments: ["nulls.parquet", "nulls_v2.parquet"])
    func nulls(_ name: String) throws {
        try checkAgainstTwin(name)
        let column = try ParquetFile(path: Fixtures.path("parquet/\(name)")).read("user_id")
        #expect(!column.nullRows.isEmpty && column.nullRows.allSatisfy { $0 % 5 == 3 })
    }

    @Test("timestamps become seconds since 1970 and dates the seconds of their midnight")
    func numbers() throws {
        let file = try ParquetFile(path: Fixtures.path("parquet/types.parquet"))
        let twin = try ParquetTwin("types.parquet.json")
        let conversions: [(String, (Double) -> Double)] = [("ts_ms", { $0 / 1e3 }), ("ts_us", { $0 / 1e6 }), ("ts_ns", { $0 / 1e9 }),
                                                           ("day", { $0 * 86400 })]
        for (name, seconds) in conversions {
            let decoded = try #require(try file.read(name).numbers().values)
            let expected = try #require(twin.columns[name]).values.map { seconds(Double(Int64($0!)!)) }
            #expect(decoded == expected, "\(name)")
        }
        #expect(try file.read("user_name").numbers().refusal == "holds STRING values, not numbers")
    }
}
