import FixturePaths
import Foundation
import IO
import Testing

/// The inputs on which libhdf5 1.10 crashed, hung or exhausted memory are refused before it is
/// called, each by the check meant for it (the fuzz regression suite only asks for one line).
@Suite("HDF5 guards: damaged metadata refused before libhdf5 reads it")
struct HDF5GuardTests {
    static func embeddingsError(_ path: String) -> IOError? {
        do { _ = try EmbeddingsFile.read(FileSpec(path)); return nil } catch { return error }
    }

    static func interactionsError(_ path: String) -> IOError? {
        var options = InteractionsFile.ReadOptions()
        options.format = .hdf5
        do { _ = try InteractionsFile.read(FileSpec(path), options: options); return nil } catch { return error }
    }

    static func regression(_ target: String, _ prefix: String) -> String {
        let folder = Fixtures.path("fuzz/regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return folder + "/" + (names.first { $0.hasPrefix(prefix) } ?? prefix)
    }

    @Test("a symbol-table B-tree with a child outside the file is refused when the file opens")
    func damagedGroupTree() {
        let path = Self.regression("hdf5-embeddings", "crash-22d864f5")
        HostileInputTests.expectError(Self.embeddingsError(path), naming: path, ["/: cannot read its local heap", "damaged"])
    }

    @Test("a string type of 1.8 GB characters is refused before H5Dread")
    func wideCharacters() {
        let path = Self.regression("hdf5-embeddings", "oom-48b8a7cb")
        HostileInputTests.expectError(Self.embeddingsError(path), naming: path, ["/item_ids", "1828716545-byte characters"])
    }

    @Test("a string attribute in a heap collection HDF5's walk stalls on is refused before H5Aread",
          arguments: ["timeout-72393a0e", "timeout-b702f905"])
    func stalledHeapWalk(_ prefix: String) {
        let path = Self.regression("hdf5-interactions", prefix)
        HostileInputTests.expectError(Self.interactionsError(path), naming: path,
                                      ["attribute 'encoding-type'", "points outside its heap collection"])
    }

    @Test("an attribute message whose fields run past it is refused before H5Aexists_by_name")
    func attributeOverrun() {
        let path = Self.regression("hdf5-interactions", "crash-1d5b6f87")
        HostileInputTests.expectError(Self.interactionsError(path), naming: path, ["/: cannot read its attribute message"])
    }

    @Test("a string dataset storing other than its count of references is refused before H5Dread")
    func referenceStorage() {
        let path = Self.regression("hdf5-embeddings", "leak-c27d0002")
        HostileInputTests.expectError(Self.embeddingsError(path), naming: path, ["/item_ids", "for 6 string references"])
    }

    @Test("a variable-length string attribute declaring other than one reference's bytes is refused before H5Aread")
    func attributeReferenceSize() {
        let path = Self.regression("hdf5-interactions", "crash-f39ddd2f")
        HostileInputTests.expectError(Self.interactionsError(path), naming: path,
                                      ["attribute 'encoding-type'", "declares 9 bytes for one variable-length string"])
    }

    @Test("a heap collection repeating an object index is refused before H5Aread")
    func repeatedHeapIndex() {
        let path = Self.regression("hdf5-interactions", "crash-361b15c6")
        HostileInputTests.expectError(Self.interactionsError(path), naming: path,
                                      ["attribute 'encoding-type'", "points outside its heap collection"])
    }

    @Test("a compact dataset whose layout message holds fewer bytes than declared is refused before H5Dread")
    func compactShortfall() {
        let path = Self.regression("hdf5-embeddings", "crash-edb39a3f")
        HostileInputTests.expectError(Self.embeddingsError(path), naming: path, ["/item_factors", "stores 8 bytes in its object header for 96"])
    }

    @Test("an attribute datatype whose member names run past its message is refused before H5Aexists_by_name")
    func datatypeOverrun() {
        let path = Self.regression("hdf5-interactions", "crash-89ea6840")
        HostileInputTests.expectError(Self.interactionsError(path), naming: path, ["/: cannot read its attribute message"])
    }

    @Test("a B-tree node whose child is the undefined address is refused, the intact file read")
    func undefinedChild() throws {
        let seed = Fixtures.path("fuzz/hdf5-embeddings/items.h5")
        #expect(Self.embeddingsError(seed) == nil)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seed)))
        let tree = Array("TREE".utf8)
        let at = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == tree })
        // Signature, type, level, entries used, two siblings, the first key: then the first child.
        let child = at + 8 + 16 + 8
        for k in child..<(child + 8) { bytes[k] = 0xff }
        let path = Fixtures.scratchFolder() + "/undefined_child.h5"
        HostileInputTests.write(bytes, to: path)
        HostileInputTests.expectError(Self.embeddingsError(path), naming: path, ["/: cannot read its symbol table node", "damaged"])
    }
}
