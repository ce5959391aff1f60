import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

@Suite("Timestamps: the time column of text, canonical files and ISO 8601 dates")
struct TimestampTests {
    func write(_ text: String, _ name: String = "t.csv", folder: String = Fixtures.scratchFolder()) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ path: String, time: String? = "timestamp", _ configure: (inout InteractionsFile.ReadOptions) -> Void = { _ in }) throws(IOError) -> Interactions {
        var options = InteractionsFile.ReadOptions()
        options.text.timeColumn = time.map(DelimitedOptions.Column.init(argument:))
        configure(&options)
        return try InteractionsFile.read(FileSpec(path), options: options).0
    }

    @Test("ISO 8601 dates agree with Foundation's calendar, zones and fractions included", arguments: [
        "1970-01-01", "2000-02-29T12:34:56", "1998-04-23 01:02:03.25", "2024-12-31T23:59:59Z",
        "2021-06-15T08:00:00+02:00", "2021-06-15T08:00:00-0530", "1900-03-01T00:00", "2038-01-19 03:14:07",
    ])
    func iso(text: String) throws {
        var c = DateComponents()
        c.calendar = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")
        let digits = text.split(whereSeparator: { "-T :+Z".contains($0) })
        c.year = Int(digits[0]); c.month = Int(digits[1]); c.day = Int(digits[2])
        var seconds = 0.0
        if digits.count > 3 {
            c.hour = Int(digits[3]); c.minute = Int(digits[4])
            if digits.count > 5, text.count > 16, text[text.index(text.startIndex, offsetBy: 16)] == ":" { seconds = Double(digits[5])! }
        }
        var expected = c.date!.timeIntervalSince1970 + seconds
        if let zone = text.range(of: #"[+-]\d\d:?\d\d$"#, options: .regularExpression) {
            let z = text[zone].filter(\.isNumber)
            let offset = Double(Int(z.prefix(2))! * 3600 + Int(z.suffix(2))! * 60)
            expected -= text[zone].first == "+" ? offset : -offset
        }
        #expect(TimeParsing.seconds(text) == expected)
    }

    @Test("not a time", arguments: ["2021-02-30", "2021-13-01", "2021-1-01", "20210101T", "2021-01-01T25:00", "2021-01-01Zoo", "yesterday", ""])
    func notTime(text: String) {
        #expect(TimeParsing.seconds(text) == nil)
    }

    @Test("a numeric time column (RecBole header) is kept beside the values, through duplicates and sorting")
    func numericColumn() throws {
        let path = try write("user_id:token\titem_id:token\trating:float\ttimestamp:float\n7\t3\t4\t881250949\n5\t3\t2\t891717742\n7\t1\t5\t878887116\n7\t3\t1\t879000000\n", "x.inter")
        let x = try read(path) { $0.canonical.sortIDs = true }
        // Users 5, 7; items 1, 3. (7, 3) repeats: values summed, the latest time kept.
        #expect(x.matrix.indptr == [0, 1, 3] && x.matrix.indices == [1, 0, 1] && x.matrix.values == [2, 5, 5])
        #expect(x.timestamps == [891717742, 878887116, 881250949])
        // Without --time-col the typed header's timestamp column is kept all the same, and not
        // mistaken for the value.
        let plain = try read(path, time: nil) { $0.canonical.sortIDs = true }
        #expect(plain.timestamps == x.timestamps && plain.matrix.values == x.matrix.values)
    }

    @Test("a typed header's timestamp is the time column even without a rating column; an untyped one needs --time-col")
    func typedTimestamp() throws {
        let typed = try write("user_id:token\titem_id:token\ttimestamp:float\n7\t3\t881250949\n5\t1\t891717742\n", "y.inter")
        let x = try read(typed, time: nil)
        #expect(x.timestamps == [881250949, 891717742] && x.matrix.values == [1, 1])
        let untyped = try write("user,item,rating,timestamp\nu,i,3,100\n")
        #expect(try read(untyped, time: nil).timestamps == nil)
        // A column named otherwise still wins.
        let named = try write("user_id:token\titem_id:token\ttimestamp:float\twhen:float\n7\t3\t5\t100\n", "z.inter")
        #expect(try read(named, time: "when").timestamps == [100])
    }

    @Test("without a header the value column skips the time column")
    func valueSkipsTime() throws {
        let path = try write("a,100,x\nb,200,y\n")
        let x = try read(path, time: "1") { $0.text.header = false; $0.text.itemColumn = .index(2) }
        #expect(x.timestamps == [100, 200] && x.itemIDs.ids == ["x", "y"] && x.matrix.values == [1, 1])
    }

    @Test("dates written by pandas (ISO, space separated) become seconds since 1970")
    func dateColumn() throws {
        let path = try write("user,item,rating,when\nu,i,3,2020-01-01 00:00:00\nu,j,4,2020-01-02 00:00:01\n")
        let x = try read(path, time: "when")
        #expect(x.timestamps == [1_577_836_800, 1_577_923_201])
    }

    @Test("--min-value keeps interactions at or above it, with their times, and every id")
    func minimumValue() throws {
        let path = try write("user,item,rating,timestamp\nu,i,3,100\nu,j,4,200\nv,i,5,300\nw,j,1,400\n")
        let x = try read(path) { $0.canonical.minimumValue = 4 }
        #expect(x.userIDs.ids == ["u", "v", "w"] && x.itemIDs.ids == ["i", "j"])
        #expect(x.matrix.indptr == [0, 1, 2, 2] && x.matrix.indices == [1, 0] && x.matrix.values == [4, 5] && x.timestamps == [200, 300])
    }

    @Test("renumbering a canonical file's items to an embedding order equals the triplet path, times included")
    func renumberedItems() throws {
        let folder = Fixtures.scratchFolder()
        var text = "user,item,rating,timestamp\n"
        var rng = SplitMix64(seed: 3)
        for u in 0..<30 { for i in 0..<20 where rng.uniform() < 0.4 { text += "u\(u),i\(i),\(1 + rng.next() % 5),\(rng.next() % 1000)\n" } }
        let csv = try write(text, folder: folder)
        let x = try read(csv)
        try InteractionsFile.write(x, to: folder + "/x.h5")
        var order = Array(x.itemIDs.ids)
        rng.shuffle(&order)
        let map = try IDMap(order)
        let fromCSV = try read(csv) { $0.canonical.itemOrder = map }
        let fromH5 = try read(folder + "/x.h5", time: nil) { $0.canonical.itemOrder = map }
        #expect(fromH5 == fromCSV && fromH5.itemIDs == map)
        #expect(fromH5.matrix.hasStrictlyAscendingRows)
    }

    @Test("a bad time names the file and line")
    func badTime() throws {
        let path = try write("user,item,rating,timestamp\nu,i,3,100\nu,j,4,soon\n")
        #expect {
            try read(path)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("line 3") && text.contains("'soon'")
        }
    }

    @Test("canonical HDF5 and CSV keep the timestamps; a CSC group's follow its entries")
    func roundTrip() throws {
        let folder = Fixtures.scratchFolder()
        let path = try write("user,item,rating,timestamp\nu,j,3,100\nu,i,4,200\nv,i,5,300\n", folder: folder)
        let x = try read(path)
        #expect(x.timestamps == [100, 200, 300])
        try InteractionsFile.write(x, to: folder + "/x.h5")
        #expect(try read(folder + "/x.h5", time: nil) == x)
        try InteractionsFile.write(x, to: folder + "/x.csv")
        #expect(try read(folder + "/x.csv") == x)

        // The transpose as CSC: items × users, entries (j: u@100), (i: u@200, v@300).
        do {
        let file = try HDF5File.create(folder + "/csc.h5")
        try file.setAttribute("encoding-type", on: "/", string: "csc_matrix")
        try file.setAttribute("shape", on: "/", integers: [2, 2])
        try file.write("/data", [3.0, 4, 5], shape: [3])
        try file.write("/indices", [Int32(0), 0, 1], shape: [3])
        try file.write("/indptr", [Int32(0), 1, 3], shape: [3])
        try file.write("/timestamps", [100.0, 200, 300], shape: [3])
        try file.flush()
        }
        let y = try read(folder + "/csc.h5", time: nil)
        #expect(y.matrix.indptr == [0, 2, 3] && y.matrix.indices == [0, 1, 1] && y.matrix.values == [3, 4, 5])
        #expect(y.timestamps == [100, 200, 300])
    }
}
