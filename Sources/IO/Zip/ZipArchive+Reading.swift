import Foundation

extension ZipArchive {
    /// What each compression method is called, for the refusal of the ones mftool does not read.
    static let methodNames: [UInt16: String] = [
        1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 19: "LZ77", 93: "Zstandard", 95: "XZ", 98: "PPMd",
    ]

    /// Where `member`'s data starts, after its local header, which must name the member as the
    /// central directory does (Python's zipfile checks the same): a header that disagrees moves
    /// the data to another place and is refused.
    func dataStart(of member: Member) throws(IOError) -> Int {
        let at = member.headerOffset
        guard ZipArchive.uint(bytes, at, 4) == 0x0403_4b50,
              let nameLength = ZipArchive.int(bytes, at + 26, 2), let extraLength = ZipArchive.int(bytes, at + 28, 2) else {
            throw IOError(file: file, location: member.name, "no local file header at byte \(at) (damaged archive?)")
        }
        let start = at + 30 + nameLength + extraLength
        guard start <= bytes.count, [UInt8](bytes[(at + 30)..<(at + 30 + nameLength)]) == member.nameBytes else {
            throw IOError(file: file, location: member.name,
                          "its local header's name (\(nameLength) bytes) differs from the central directory's (\(member.nameBytes.count) bytes) (damaged archive?)")
        }
        guard member.compressedSize <= bytes.count - start else {
            throw IOError(file: file, location: member.name,
                          "declares \(member.compressedSize) compressed bytes from byte \(start) of a file of \(bytes.count) (damaged archive?)")
        }
        return start
    }

    /// The member's bytes, inflated into exactly the size it declares (charged to the memory
    /// budget first) and checked against its CRC-32.
    public func contents(of member: Member) throws(IOError) -> Data {
        guard member.flags & 1 == 0 else { throw IOError(file: file, location: member.name, "is encrypted, which mftool cannot read") }
        guard member.method == 0 || member.method == 8 else {
            let name = ZipArchive.methodNames[member.method].map { "\($0) " } ?? ""
            throw IOError(file: file, location: member.name,
                          "is compressed with \(name)(zip method \(member.method)), which mftool cannot read: save it with numpy.savez or numpy.savez_compressed (deflate)")
        }
        let start = try dataStart(of: member)
        try limits.check(member.size, of: 1, file: file, location: member.name, what: "the archive member")
        let input = bytes[start..<(start + member.compressedSize)]
        var data: Data
        if member.method == 0 {
            guard member.compressedSize == member.size else {
                throw IOError(file: file, location: member.name, "is stored with \(member.compressedSize) bytes but declares \(member.size) (damaged archive?)")
            }
            data = Data(input)
        } else {
            // Deflate restores at most about 1032 bytes per stored byte.
            guard member.size <= (MemoryBudget.bytes(member.compressedSize, 1100) ?? Int.max) else {
                throw IOError(file: file, location: member.name, "declares \(member.size) bytes from \(member.compressedSize) compressed (damaged archive?)")
            }
            data = try decompressed(input, member: member)
        }
        let crc = data.withUnsafeBytes { ZlibCalls.checksum($0) }
        guard crc == member.crc else {
            throw IOError(file: file, location: member.name, "fails its CRC-32 check (damaged archive?)")
        }
        return data
    }

    /// Inflates `input` into a buffer one byte larger than the declared size, so that a stream
    /// producing more than it declares is caught.
    private func decompressed(_ input: Data, member: Member) throws(IOError) -> Data {
        var output = Data(count: member.size + 1)
        let outcome = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { ZlibCalls.rawDeflate(source, into: $0) }
        }
        switch outcome {
        case .complete(let n) where n == member.size:
            output.count = n
            return output
        case .complete(let n):
            throw IOError(file: file, location: member.name, "inflates to \(n) bytes where its entry declares \(member.size) (damaged archive?)")
        case .overflow:
            throw IOError(file: file, location: member.name, "inflates beyond the \(member.size) bytes its entry declares (damaged archive?)")
        case .truncated:
            throw IOError(file: file, location: member.name, "its \(member.compressedSize) compressed bytes end before the deflate stream does (damaged archive?)")
        case .damaged(let why):
            throw IOError(file: file, location: member.name, "holds damaged deflate data (\(why))")
        }
    }
}
