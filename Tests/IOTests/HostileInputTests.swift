import FixturePaths
import Foundation
import IO
import Testing

/// Hostile files: each must fail with one line naming the file, never crash, hang or allocate
/// what the file only declares.
@Suite("Hostile input: no crash, no hang, no memory bomb")
struct HostileInputTests {
    /// The error reading `path` as interactions, or nil when it was accepted.
    static func interactionsError(_ path: String, sortIDs: Bool = false) -> IOError? {
        var options = InteractionsFile.ReadOptions()
        options.canonical.sortIDs = sortIDs
        do { _ = try InteractionsFile.read(FileSpec(path), options: options); return nil } catch { return error }
    }

    static func expectError(_ error: IOError?, naming path: String, _ words: [String]) {
        guard let error else { Issue.record("\(path) was accepted"); return }
        #expect(error.description.hasPrefix(path), "\(error)")
        #expect(!error.description.contains("\n"))
        for word in words { #expect(error.description.contains(word), "'\(error)' lacks '\(word)'") }
    }

    static func write(_ bytes: [UInt8], to path: String) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    /// A `.npy` file of `header` (padded as NumPy pads it) and `payload` bytes.
    static func npy(_ header: String, payload: [UInt8] = []) -> [UInt8] {
        var text = Array(header.utf8)
        while (10 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0a)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xff), UInt8(text.count >> 8)] + text + payload
    }

    @Test("--sort-ids on a file with a repeated id fails instead of trapping")
    func repeatedIDSorted() {
        let path = Fixtures.path("io/bad/repeated_user_id.h5")
        Self.expectError(Self.interactionsError(path, sortIDs: true), naming: path, ["user id 'a' occurs twice"])
    }

    @Test("a folder given as input fails cleanly")
    func folderInput() {
        let folder = Fixtures.scratchFolder()
        Self.expectError(Self.interactionsError(folder), naming: folder, ["is a folder"])
    }

    @Test(".npy shapes and dtypes whose sizes overflow are refused", arguments: [
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", "overflows"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 2), }", "overflows"),
        ("{'descr': '<U4611686018427387904', 'fortran_order': False, 'shape': (2,), }", "unsupported width"),
    ])
    func npyOverflow(header: String, words: String) {
        let path = Fixtures.scratchFolder() + "/x.npy"
        Self.write(Self.npy(header, payload: [UInt8](repeating: 0, count: 64)), to: path)
        do { _ = try EmbeddingsFile.read(FileSpec(path)); Issue.record("accepted") } catch {
            Self.expectError(error, naming: path, [words])
        }
    }

    @Test("embeddings with no columns are refused at read time")
    func zeroColumnEmbeddings() {
        let path = Fixtures.scratchFolder() + "/e.npy"
        Self.write(Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (5, 0), }"), to: path)
        do { _ = try EmbeddingsFile.read(FileSpec(path)); Issue.record("accepted") } catch {
            Self.expectError(error, naming: path, ["0 factors"])
        }
    }

    @Test(".npz uint64 indices beyond Int64 are refused by the range check")
    func npzHugeIndex() {
        let path = Fixtures.path("io/bad/npz_huge_index.npz")
        Self.expectError(Self.interactionsError(path), naming: path, ["outside the shape"])
    }

    @Test("a .npz member declaring gigabytes from a few bytes is refused before inflating")
    func npzBomb() {
        let path = Fixtures.path("io/bad/npz_bomb.npz")
        Self.expectError(Self.interactionsError(path), naming: path, ["data", "declares 4294967294 bytes"])
    }

    @Test(".mtx declaring more entries than the file can hold is refused unallocated")
    func mtxEntryBomb() {
        let path = Fixtures.scratchFolder() + "/x.mtx"
        Self.write(Array("%%MatrixMarket matrix coordinate real general\n3 3 1000000000000\n1 1 1\n".utf8), to: path)
        Self.expectError(Self.interactionsError(path), naming: path, ["line 2", "declares 1000000000000 entries"])
    }

    @Test("an HDF5 dataset declaring 10^9 unwritten elements is refused before allocation")
    func hdf5Unwritten() {
        let path = Fixtures.path("io/bad/unwritten_data.h5")
        Self.expectError(Self.interactionsError(path), naming: path, ["/data", "stores only 0 bytes"])
    }

    @Test("string attributes holding many values are refused, not read past their buffer", arguments: [
        "vlen_attribute_array.h5", "fixed_attribute_array.h5",
    ])
    func hdf5AttributeArrays(name: String) {
        let path = Fixtures.path("io/bad/" + name)
        Self.expectError(Self.interactionsError(path), naming: path, ["encoding-type", "holds 64 values, expected one"])
    }

    @Test("a fractional HDF5 shape is refused")
    func hdf5FractionalShape() {
        let path = Fixtures.path("io/bad/fractional_shape.h5")
        Self.expectError(Self.interactionsError(path), naming: path, ["shape", "holds 2.5"])
    }

    @Test("a hard-link cycle ends: each group is visited once")
    func hdf5LinkCycle() {
        let path = Fixtures.path("io/bad/link_cycle.h5")
        do { _ = try EmbeddingsFile.read(FileSpec(path)); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix(path), "\(error)")
        }
    }

    @Test("external links are not followed")
    func hdf5ExternalLink() {
        let path = Fixtures.path("io/bad/external_link.h5")
        Self.expectError(Self.interactionsError(path + ":/X"), naming: path, ["/X", "external link"])
    }
}

extension HostileInputTests {
    @Test("a contiguous dataset whose data lies beyond the end of the file is refused before reading")
    func hdf5DataBeyondEnd() {
        let path = Fixtures.path("io/bad/data_beyond_eof.h5")
        Self.expectError(Self.interactionsError(path), naming: path, ["/data", "at offset 1099511627776", "in a file of 8464 bytes"])
    }
}

extension HostileInputTests {
    @Test("an error quoting a damaged header stays on one line")
    func oneLineErrors() {
        let path = Fixtures.scratchFolder() + "/x.npy"
        Self.write(Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (8,)(\n}"), to: path)
        do { _ = try EmbeddingsFile.read(FileSpec(path)); Issue.record("accepted") } catch {
            Self.expectError(error, naming: path, ["bad shape", "\\n"])
        }
    }
}

extension HostileInputTests {
    @Test("damaged global heaps of string ids are refused before HDF5 follows them")
    func damagedHeaps() {
        let ids = Fixtures.path("io/bad/heap_damaged_ids.h5")
        Self.expectError(Self.interactionsError(ids), naming: ids, ["/user_ids", "points outside its heap collection"])
        let items = Fixtures.path("io/bad/heap_damaged_item_ids.h5")
        do { _ = try EmbeddingsFile.read(FileSpec(items)); Issue.record("accepted") } catch {
            Self.expectError(error, naming: items, ["/model/ids", "points outside its heap collection"])
        }
    }
}
