import Foundation
import ZIPFoundation

/// The arrays of a NumPy `.npz` archive (compressed or not), by member name without `.npy`.
struct NPZArchive {
    let file: String
    let archive: Archive
    /// The archive's size on disk: no member's compressed bytes can exceed it.
    let fileSize: Int

    init(path: String) throws(IOError) {
        file = path
        try InputFile.check(path)
        var info = stat()
        fileSize = stat(path, &info) == 0 ? Int(info.st_size) : 0
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw IOError(file: path, "not a readable .npz (zip) archive")
        }
    }

    var memberNames: [String] {
        archive.map { $0.path }.map { $0.hasSuffix(".npy") ? String($0.dropLast(4)) : $0 }
    }

    func array(_ name: String) throws(IOError) -> NPYArray {
        guard let entry = archive[name + ".npy"] ?? archive[name] else {
            throw IOError(file: file, location: name, "no such array in the archive (it holds: \(memberNames.joined(separator: ", ")))")
        }
        // ZIPFoundation reads a symlink member whole, at the size its local header declares.
        guard entry.type == .file else {
            throw IOError(file: file, location: name, "is not a file member of the archive (damaged archive?)")
        }
        let declared = Int(clamping: entry.uncompressedSize)
        guard Int(clamping: entry.compressedSize) <= fileSize else {
            throw IOError(file: file, location: name, "declares \(entry.compressedSize) compressed bytes in a file of \(fileSize) (damaged archive?)")
        }
        try MemoryBudget.check(declared, of: 1, file: file, location: name, what: "the archive member")
        // Deflate restores at most about 1032 bytes per stored byte.
        guard declared <= (MemoryBudget.bytes(Int(clamping: entry.compressedSize), 1100) ?? Int.max) else {
            throw IOError(file: file, location: name, "declares \(declared) bytes from \(entry.compressedSize) compressed (damaged archive?)")
        }
        var data = Data()
        data.reserveCapacity(declared)
        do {
            // Inflated chunk by chunk, stopped as soon as it outgrows the size the entry declares.
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= declared else { throw MemberTooLarge() }
                data.append(chunk)
            }
        } catch is MemberTooLarge {
            throw IOError(file: file, location: name, "inflates beyond the \(declared) bytes its entry declares (damaged archive?)")
        } catch {
            throw IOError(file: file, location: name, "cannot be extracted (damaged archive?)")
        }
        return try NPYArray(data: data, file: file, location: name)
    }

    private struct MemberTooLarge: Error {}

    func contains(_ name: String) -> Bool { archive[name + ".npy"] != nil }
}
