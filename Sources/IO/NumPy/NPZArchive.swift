import Foundation

/// The arrays of a NumPy `.npz` archive (compressed or not), by member name without `.npy`.
struct NPZArchive {
    let file: String
    let archive: ZipArchive

    init(path: String, limits: ReadLimits) throws(IOError) {
        file = path
        archive = try ZipArchive(path: path, limits: limits)
    }

    var memberNames: [String] {
        archive.members.map(\.name).map { $0.hasSuffix(".npy") ? String($0.dropLast(4)) : $0 }
    }

    func array(_ name: String) throws(IOError) -> NPYArray {
        guard let member = archive.member(named: name + ".npy") ?? archive.member(named: name) else {
            throw IOError(file: file, location: name, "no such array in the archive (it holds: \(memberNames.joined(separator: ", ")))")
        }
        return try NPYArray(data: try archive.contents(of: member), file: file, location: name)
    }

    func contains(_ name: String) -> Bool { archive.member(named: name + ".npy") != nil }
}
