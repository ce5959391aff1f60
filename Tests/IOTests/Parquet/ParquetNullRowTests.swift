import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

@Suite("Parquet rows with nulls: refused by default, dropped and counted on request")
struct ParquetNullRowTests {
    @Test("dropping gives the interactions of the rows without a null in a used column, as their CSV does; the count is reported",
          arguments: ["nulls.parquet", "nulls_v2.parquet"])
    func dropped(name: String) throws {
        let path = Fixtures.path("parquet/" + name)
        let twin = try ParquetTwin(name + ".json")
        let (users, items, ratings) = (try #require(twin.columns["user_id"]), try #require(twin.columns["item"]), try #require(twin.columns["rating"]))
        var lines = ["user_id,item,rating"]
        for row in 0..<twin.rows {
            guard let u = users.values[row], let i = items.values[row], let r = ratings.values[row] else { continue }
            lines.append("\(u),\(i),\(r)")
        }
        let kept = lines.count - 1
        #expect(kept > 0 && kept < twin.rows, "the fixture has rows with and without nulls")
        let csv = Fixtures.scratchFolder() + "/twin.csv"
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        var options = InteractionsFile.ReadOptions()
        options.text.userColumn = .name("user_id")
        options.text.itemColumn = .name("item")
        options.text.valueColumn = .name("rating")
        #expect(throws: IOError.self) { try InteractionsFile.read(FileSpec(path), options: options) }
        options.text.dropNullRows = true
        let (read, report) = try InteractionsFile.read(FileSpec(path), options: options)
        let (expected, _) = try InteractionsFile.read(FileSpec(csv), options: options)
        #expect(read == expected)
        #expect(report.nullRows == twin.rows - kept)
        #expect(report.notices.contains { $0.contains("dropped \(twin.rows - kept) rows with a null") })
    }

    @Test("the positions of kept values skip the column's own nulls and the other columns'")
    func keptValues() {
        // Rows 0…5; this column is null at 1 and 4; rows 1, 2 and 4 are dropped.
        #expect(ParquetInteractions.keptValues(nulls: [1, 4], dropped: [1, 2, 4], rows: 6) == [0, 2, 3])
        #expect(ParquetInteractions.keptValues(nulls: [], dropped: [], rows: 6) == nil)
        #expect(ParquetInteractions.row(ofValue: 2, nulls: [1, 4]) == 3)
        #expect(ParquetInteractions.row(ofValue: 3, nulls: [1, 4]) == 5)
    }
}
