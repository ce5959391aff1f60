import IO
import Testing

/// The one rule from an output name to a format.
@Suite("OutputFormat.resolve: extension, --out-format, refusal")
struct OutputFormatTests {
    @Test("every extension a kind lists picks its format, whatever its case", arguments: OutputKind.allCases)
    func listed(kind: OutputKind) throws {
        for format in kind.formats {
            for ext in format.extensions {
                #expect(try OutputFormat.resolve("dir.v2/out." + ext, kind: kind) == format)
                #expect(try OutputFormat.resolve("OUT." + ext.uppercased(), kind: kind) == format)
            }
        }
    }

    @Test("a name whose extension the kind cannot take is refused, listing the accepted ones")
    func refused() {
        for (name, kind) in [("o.json", OutputKind.interactions), ("o.parquet", .interactions), ("o", .interactions),
                             ("u.npy", .factors), ("u.csv", .factors), ("recs.json", .recommendations),
                             ("r.csv", .report), ("p.h5ad", .part), ("ann.h5ad", .annVectors), ("log", .log), ("c.png", .plot)] {
            #expect(throws: OutputNameError.self, "\(name)") { try OutputFormat.resolve(name, kind: kind) }
            do { _ = try OutputFormat.resolve(name, kind: kind) } catch {
                #expect(error.description.contains(kind.acceptedExtensions), "\(error)")
            }
        }
    }

    @Test("--out-format names the format of a name without a usable extension, never against one")
    func override() throws {
        #expect(try OutputFormat.resolve("ratings.out", kind: .interactions, override: .csv) == .csv)
        #expect(try OutputFormat.resolve("ratings", kind: .interactions, override: .h5ad) == .h5ad)
        #expect(try OutputFormat.resolve("u.h5ad", kind: .factors, override: .h5ad) == .h5ad)
        // An extension naming another format, or a format the kind cannot take.
        #expect(throws: OutputNameError.self) { try OutputFormat.resolve("r.csv", kind: .interactions, override: .hdf5) }
        #expect(throws: OutputNameError.self) { try OutputFormat.resolve("r.json", kind: .interactions, override: .csv) }
        #expect(throws: OutputNameError.self) { try OutputFormat.resolve("r.out", kind: .interactions, override: .jsonl) }
    }
}
