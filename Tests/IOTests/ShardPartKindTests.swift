import Foundation
@testable import IO
import Matrices
import Testing

@Suite("Shard parts: kinds")
struct ShardPartKindTests {
    @Test("a part's kind round-trips through JSON; an unknown kind is refused naming the kinds there are")
    func kinds() throws {
        for kind in ShardPart.Kind.allCases {
            let part = ShardPart(kind: kind, shard: Shard(index: 0, count: 2)!, rows: 0..<3, totalRows: 5, fingerprint: "f", settings: "{}")
            #expect(try ShardPart(json: part.json, file: "p.json") == part)
        }
        var json = ShardPart(kind: .eval, shard: Shard(index: 1, count: 2)!, rows: 3..<5, totalRows: 5, fingerprint: "f", settings: "{}").json
        json["kind"] = "similar"
        #expect { try ShardPart(json: json, file: "p.json") } throws: { error in
            "\(error)".contains("'similar'") && "\(error)".contains("factors, eval, recommendations") && "\(error)".contains("p.json")
        }
    }
}
