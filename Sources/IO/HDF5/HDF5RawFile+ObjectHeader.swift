import Foundation

/// One message of an object header: its type, flags, and where its data lies in the file.
struct HDF5HeaderMessage {
    static let symbolTable = 0x11
    static let link = 0x06
    static let datatype = 0x03
    static let layout = 0x08
    static let attribute = 0x0C
    static let continuation = 0x10

    let type: Int
    let flags: UInt8
    let address: UInt64
    let data: [UInt8]
}

extension HDF5RawFile {
    /// Limits of one header walk: continuation chunks, and messages in all.
    static let headerChunkLimit = 1024
    static let headerMessageLimit = 1 << 16

    /// The messages of the object header at `address`, its continuation chunks followed; nil
    /// when the header is damaged: a chunk outside the file, a message running past its
    /// chunk, a continuation loop.
    ///
    /// Version 1 (no signature): version, reserved, message count (2), reference count (4),
    /// chunk size (4), 4 bytes of padding; each message is a type (2), size (2), flags (1) and
    /// 3 reserved bytes before its data. Version 2 (`OHDR`): version, flags, optional times and
    /// attribute limits, the chunk size in 1 to 8 bytes; each message is a type (1), size (2),
    /// flags (1) and, when attribute creation order is tracked, 2 more bytes; a chunk ends with
    /// a 4-byte checksum, and continuation chunks start with `OCHK`.
    func headerMessages(at address: UInt64) -> [HDF5HeaderMessage]? {
        guard let first = bytes(at: address, 6) else { return nil }
        var chunks: [(address: UInt64, length: UInt64)] = []
        let messageHeader: Int
        let version2 = first.starts(with: Array("OHDR".utf8))
        if version2 {
            guard first[4] == 2, let (start, length, tracked) = version2Prefix(at: address, flags: first[5]) else { return nil }
            chunks.append((address + UInt64(start), length))
            messageHeader = tracked ? 6 : 4
        } else {
            guard first[0] == 1, let prefix = bytes(at: address, 16) else { return nil }
            var c = cursor(prefix, at: 8)
            guard let length = c.unsigned(4) else { return nil }
            chunks.append((address + 16, length))
            messageHeader = 8
        }
        var messages: [HDF5HeaderMessage] = []
        var seen: Set<UInt64> = []
        var k = 0
        while k < chunks.count {
            let chunk = chunks[k]
            k += 1
            guard k <= HDF5RawFile.headerChunkLimit, seen.insert(chunk.address).inserted,
                  chunk.length <= addressSpace, let body = bytes(at: chunk.address, Int(chunk.length)) else { return nil }
            var c = cursor(body)
            if version2 && k > 1 {
                guard c.expect("OCHK"), body.count >= 8 else { return nil }
            }
            let end = version2 && k > 1 ? body.count - 4 : body.count
            while c.at + messageHeader <= end {
                let start = c.at
                guard let type = c.unsigned(version2 ? 1 : 2), let size = c.unsigned(2), let flags = c.unsigned(1),
                      c.skip(messageHeader - (c.at - start)),
                      c.at + Int(size) <= end else { return nil }
                let data = Array(body[c.at..<(c.at + Int(size))])
                let message = HDF5HeaderMessage(type: Int(type), flags: UInt8(flags), address: chunk.address + UInt64(c.at), data: data)
                c.at += Int(size)
                messages.append(message)
                guard messages.count <= HDF5RawFile.headerMessageLimit else { return nil }
                if message.type == HDF5HeaderMessage.continuation {
                    var m = cursor(data)
                    guard let at = m.offset(), let length = m.length() else { return nil }
                    chunks.append((at, length))
                }
            }
        }
        return messages
    }

    /// The file address and size of the data of a compact dataset, which its layout message in
    /// the object header at `header` holds; nil for other layouts.
    ///
    /// A layout message of version 3 or 4 is a version byte, the layout class (0: compact), then
    /// for a compact dataset the data size (2 bytes) and the data. Versions 1 and 2 have the
    /// version, the rank plus one, the class, 5 reserved bytes, the dimensions (4 bytes each),
    /// then the data size (4 bytes) and the data.
    func compactData(ofHeaderAt header: UInt64) -> (address: UInt64, bytes: Int)? {
        guard let messages = headerMessages(at: header),
              let layout = messages.first(where: { $0.type == HDF5HeaderMessage.layout }) else { return nil }
        var c = cursor(layout.data)
        guard let version = c.unsigned(1) else { return nil }
        let size: UInt64?
        if version >= 3 {
            guard c.unsigned(1) == 0 else { return nil }
            size = c.unsigned(2)
        } else {
            guard let dims = c.unsigned(1), c.unsigned(1) == 0, c.skip(5 + 4 * Int(dims)) else { return nil }
            size = c.unsigned(4)
        }
        guard let size else { return nil }
        return (layout.address + UInt64(c.at), Int(size))
    }

    /// A version 2 header's prefix: where its first chunk's messages start (from the header
    /// address), their length (without the checksum), and whether messages carry a creation order.
    private func version2Prefix(at address: UInt64, flags: UInt8) -> (Int, UInt64, Bool)? {
        var start = 6
        if flags & 0x20 != 0 { start += 16 }
        if flags & 0x10 != 0 { start += 4 }
        let width = 1 << Int(flags & 0x03)
        guard let prefix = bytes(at: address, start + width) else { return nil }
        var c = cursor(prefix, at: start)
        guard let length = c.unsigned(width) else { return nil }
        return (start + width, length, flags & 0x04 != 0)
    }
}
