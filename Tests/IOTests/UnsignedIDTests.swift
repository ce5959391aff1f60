import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

/// Integer ids past 2^63 - 1, which NumPy, h5py and pandas keep as uint64: read, written and
/// sorted exactly, never clamped to the largest int64.
@Suite("uint64 ids: exact past 2^63 - 1")
struct UnsignedIDTests {
    /// 2^64 - 1, 2^63 + 1 and 7: two ids above 2^63 - 1, which int64 would clamp to one value.
    static let ids: [UInt64] = [UInt64.max, (1 << 63) + 1, 7]
    static let decimals = ["18446744073709551615", "9223372036854775809", "7"]

    /// A 3 × 2 canonical file whose `user_ids` is a uint64 dataset, as h5py writes a NumPy
    /// uint64 array: user k has one entry.
    static func file(in folder: String) throws -> String {
        let path = folder + "/u64.h5"
        let file = try HDF5File.create(path)
        try file.setAttribute("encoding-type", on: "/", string: "csr_matrix")
        try file.setAttribute("shape", on: "/", integers: [3, 2])
        try file.write("/data", [1.0, 2, 3], shape: [3])
        try file.write("/indices", [Int32(0), 1, 0], shape: [3])
        try file.write("/indptr", [Int32(0), 1, 2, 3], shape: [4])
        try file.write("/user_ids", ids, shape: [3])
        try file.write("/item_ids", [Int64(10), 11], shape: [2])
        try file.flush()
        return path
    }

    @Test("a uint64 id dataset is read exactly, two ids above 2^63 - 1 kept apart")
    func readExact() throws {
        let (x, _) = try InteractionsFile.read(FileSpec(try Self.file(in: Fixtures.scratchFolder())))
        #expect(Array(x.userIDs.ids) == Self.decimals)
        #expect(x.userIDs.index(of: "18446744073709551615") == 0 && x.userIDs.index(of: "9223372036854775807") == nil)
    }

    @Test("written back as uint64 with the same values (int64 ids stay int64), and as text")
    func roundTrip() throws {
        let folder = Fixtures.scratchFolder()
        let (x, _) = try InteractionsFile.read(FileSpec(try Self.file(in: folder)))
        try InteractionsFile.write(x, to: folder + "/out.h5")
        let out = try HDF5File.open(folder + "/out.h5", limits: ReadLimits())
        #expect(try out.info("/user_ids").kind == .integer(bytes: 8, signed: false))
        #expect(try out.read("/user_ids", as: UInt64.self).values == Self.ids)
        #expect(try out.info("/item_ids").kind == .integer(bytes: 8, signed: true))
        #expect(try InteractionsFile.read(FileSpec(folder + "/out.h5")).0 == x)
        try InteractionsFile.write(x, to: folder + "/out.csv")
        let text = try String(contentsOfFile: folder + "/out.csv", encoding: .utf8)
        #expect(text == "user,item,value\n18446744073709551615,10,1\n9223372036854775809,11,2\n7,10,3\n")
    }

    @Test("--sort-ids orders them as numbers")
    func sortedNumerically() throws {
        var options = InteractionsFile.ReadOptions()
        options.canonical.sortIDs = true
        let (x, _) = try InteractionsFile.read(FileSpec(try Self.file(in: Fixtures.scratchFolder())), options: options)
        #expect(Array(x.userIDs.ids) == ["7", "9223372036854775809", "18446744073709551615"])
        #expect(x.matrix.indices == [0, 1, 0] && x.matrix.values == [3, 2, 1])
    }

    @Test("a 1-D uint64 .npy id list is read exactly")
    func npyIDList() throws {
        let path = Fixtures.scratchFolder() + "/ids.npy"
        let payload = Self.ids.flatMap { id in (0..<8).map { UInt8(truncatingIfNeeded: id >> (8 * $0)) } }
        HostileInputTests.write(HostileInputTests.npy("{'descr': '<u8', 'fortran_order': False, 'shape': (3,), }", payload: payload), to: path)
        #expect(Array(try IDListFile.read(FileSpec(path)).ids) == Self.decimals)
    }
}
