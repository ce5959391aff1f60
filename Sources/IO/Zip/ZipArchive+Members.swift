import Foundation

extension ZipArchive {
    /// The central directory's entries, each checked to lie within the directory, with its
    /// ZIP64 sizes and offset when the 32-bit fields overflow. Two members of one name are
    /// refused: readers disagree on which one counts (NumPy takes the last).
    static func members(_ bytes: Data, directory: Directory, file: String) throws(IOError) -> [Member] {
        var members: [Member] = []
        var seen = Set<String>()
        var at = directory.offset
        let end = directory.offset + directory.size
        for index in 0..<directory.entries {
            let damaged = { (what: String) in
                IOError(file: file, "central directory entry \(index): \(what) (damaged archive?)")
            }
            guard at <= end - 46, uint(bytes, at, 4) == 0x0201_4b50,
                  let flags = uint(bytes, at + 8, 2), let method = uint(bytes, at + 10, 2),
                  let crc = uint(bytes, at + 16, 4), let compressed = uint(bytes, at + 20, 4),
                  let size = uint(bytes, at + 24, 4), let nameLength = int(bytes, at + 28, 2),
                  let extraLength = int(bytes, at + 30, 2), let commentLength = int(bytes, at + 32, 2),
                  let header = uint(bytes, at + 42, 4) else { throw damaged("no entry signature") }
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= end else { throw damaged("runs past the directory") }
            let nameBytes = [UInt8](bytes[(at + 46)..<(at + 46 + nameLength)])
            let extra = bytes[(at + 46 + nameLength)..<(at + 46 + nameLength + extraLength)]
            var fields = [size, compressed, header]
            try zip64(extra, into: &fields, damaged: damaged)
            guard let s = Int(exactly: fields[0]), let c = Int(exactly: fields[1]), let h = Int(exactly: fields[2]) else {
                throw damaged("declares a size or offset beyond 2^63")
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard seen.insert(name).inserted else {
                throw IOError(file: file, location: name, "occurs twice in the archive (NumPy would read the last one): refused as ambiguous")
            }
            members.append(Member(name: name, nameBytes: nameBytes, flags: UInt16(flags), method: UInt16(method),
                                  crc: UInt32(crc), compressedSize: c, size: s, headerOffset: h))
            at = next
        }
        return members
    }

    /// Replaces each of `fields` (size, compressed size, local header offset) that holds
    /// 0xFFFFFFFF by the next 8 bytes of the ZIP64 extra field (id 1), in that order.
    static func zip64(_ extra: Data, into fields: inout [UInt64], damaged: (String) -> IOError) throws(IOError) {
        let wanted = fields.indices.filter { fields[$0] == 0xFFFF_FFFF }
        guard !wanted.isEmpty else { return }
        let extra = Data(extra)
        var at = 0
        while let id = uint(extra, at, 2), let length = int(extra, at + 2, 2) {
            let body = at + 4
            guard body + length <= extra.count else { break }
            if id == 1 {
                for (n, field) in wanted.enumerated() {
                    guard 8 * (n + 1) <= length, let value = uint(extra, body + 8 * n, 8) else {
                        throw damaged("ZIP64 extra field too short")
                    }
                    fields[field] = value
                }
                return
            }
            at = body + length
        }
        throw damaged("declares ZIP64 sizes without a ZIP64 extra field")
    }
}
