import FixturePaths
import Foundation
import IO
import Matrices

/// The canonical contents a fixture's `.json` (written by tools/make_fixtures.py) describes.
struct ExpectedInteractions {
    let shape: [Int]
    let userIDs: [String]
    let itemIDs: [String]
    let indptr: [Int]
    let indices: [Int32]
    let data: [Double]
    let duplicates: Int?

    init(_ relative: String) throws {
        let json = try Fixtures.json(relative)
        shape = (json["shape"] as! [NSNumber]).map(\.intValue)
        userIDs = json["user_ids"] as! [String]
        itemIDs = json["item_ids"] as! [String]
        indptr = (json["indptr"] as! [NSNumber]).map(\.intValue)
        indices = (json["indices"] as! [NSNumber]).map(\.int32Value)
        data = try Fixtures.jsonNumbers(relative, key: "data")
        duplicates = (json["duplicates"] as? NSNumber)?.intValue
    }

    /// Whether `x` holds exactly these contents (values compared bit for bit).
    func matches(_ x: Interactions) -> Bool {
        x.matrix.rows == shape[0] && x.matrix.columns == shape[1]
            && x.userIDs.ids == userIDs && x.itemIDs.ids == itemIDs
            && x.matrix.indptr == indptr && x.matrix.indices == indices && x.matrix.values == data
    }
}

struct ExpectedEmbeddings {
    let shape: [Int]
    let values: [Double]
    let itemIDs: [String]?

    init(_ relative: String) throws {
        let json = try Fixtures.json(relative)
        shape = (json["shape"] as! [NSNumber]).map(\.intValue)
        values = try Fixtures.jsonNumbers(relative, key: "values")
        itemIDs = json["item_ids"] as? [String]
    }
}

func readFixture(_ name: String, _ configure: (inout InteractionsFile.ReadOptions) -> Void = { _ in }) throws(IOError) -> (Interactions, ConversionReport) {
    var options = InteractionsFile.ReadOptions()
    configure(&options)
    return try InteractionsFile.read(FileSpec(Fixtures.path("io/" + name)), options: options)
}
