import Foundation
import ZIPFoundation

/// The arrays of a NumPy `.npz` archive (compressed or not), by member name without `.npy`.
struct NPZArchive {
    let file: String
    let archive: Archive

    init(path: String) throws(IOError) {
        file = path
        guard FileManager.default.fileExists(atPath: path) else { throw IOError(file: path, "no such file") }
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
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw IOError(file: file, location: name, "cannot be extracted (damaged archive?)")
        }
        return try NPYArray(data: data, file: file, location: name)
    }

    func contains(_ name: String) -> Bool { archive[name + ".npy"] != nil }
}
