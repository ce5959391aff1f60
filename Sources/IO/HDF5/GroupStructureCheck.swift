import Foundation

/// Checks the symbol-table groups of a file, the layout h5py, AnnData and most writers use,
/// before HDF5 opens it: HDF5 1.10 follows a B-tree node's child addresses, its counts and its
/// name offsets unchecked, and read through a null pointer in `H5Gget_info` on a damaged node.
/// Walks every such group from the root, each B-tree and symbol node once; groups stored as
/// link messages are left to HDF5.
///
/// Layout (HDF5 file format specification, version 1 B-trees): a group's symbol table message
/// holds its B-tree and local heap addresses. A B-tree node is `TREE`, node type 0, its level,
/// the entries used (2), two sibling addresses, then keys (lengths: heap offsets of names)
/// between child addresses, room for 2·K children (K: the superblock's internal K). Level-0
/// children are symbol nodes: `SNOD`, version 1, a reserved byte, the symbol count (2), then
/// room for 2·(leaf K) entries of a name offset (length), an object header address, a cache
/// type (4), 4 reserved bytes and 16 bytes of scratch (for a soft link, the heap offset of its
/// target). A local heap is `HEAP`, version 0, 3 reserved bytes, its data size and free-list
/// head (lengths), then its data address; a free block starts with the next block's offset
/// (1 ends the list) and its size.
struct GroupStructureCheck {
    let file: HDF5RawFile
    let path: String
    let leafK: Int
    let internalK: Int
    /// B-tree and symbol nodes seen: a node reached twice is damage (and would repeat HDF5's walk).
    var nodes: Set<UInt64> = []
    /// Object headers seen: hard links may share one.
    var objects: Set<UInt64> = []

    /// Objects, and group depth, past which the walk stops checking (the reader's own limits
    /// refuse such files later).
    static let objectLimit = 100_000
    static let depthLimit = 64

    /// Checks the file at `path`; returns quietly when it has no superblock this check reads.
    static func run(path: String) throws(IOError) {
        guard let file = HDF5RawFile(path: path) else { return }
        guard file.understood else {
            throw IOError(file: path, "declares \(file.offsetSize)-byte addresses and \(file.lengthSize)-byte lengths in a version \(file.superblockVersion) superblock, which mftool does not read (damaged?)")
        }
        guard let root = file.rootGroup() else { return }
        guard root.leafK > 0, root.internalK > 0 else { throw IOError(file: path, "has a damaged superblock (a group K of 0)") }
        var check = GroupStructureCheck(file: file, path: path, leafK: root.leafK, internalK: root.internalK)
        if let (tree, heap) = root.cachedTable { _ = try check.table(tree: tree, heap: heap, group: "/") }
        check.nodes = []
        try check.object(header: root.header, name: "/", depth: 0)
    }

    private func damaged(_ group: String, _ what: String) -> IOError {
        IOError(file: path, location: group, "cannot read its \(what): truncated or damaged file")
    }

    /// Checks the object at `header`, and, when it is a symbol-table group, its table and members.
    private mutating func object(header: UInt64, name: String, depth: Int) throws(IOError) {
        guard objects.count < GroupStructureCheck.objectLimit, depth < GroupStructureCheck.depthLimit,
              objects.insert(header).inserted else { return }
        guard let messages = file.headerMessages(at: header) else { throw damaged(name, "object header at address \(header)") }
        try attributes(in: messages, of: name)
        var members: [(String, UInt64)] = []
        for message in messages where message.type == HDF5HeaderMessage.link {
            guard let link = hardLink(message.data) else { throw damaged(name, "link message") }
            if let link { members.append(link) }
        }
        if let message = messages.first(where: { $0.type == HDF5HeaderMessage.symbolTable }) {
            var c = file.cursor(message.data)
            guard let tree = c.offset(), let heap = c.offset() else { throw damaged(name, "symbol table message") }
            members += try table(tree: tree, heap: heap, group: name)
        }
        for (member, address) in members {
            try object(header: address, name: name == "/" ? "/" + member : name + "/" + member, depth: depth + 1)
        }
    }

    /// The name and object header of a link message's hard link, `.some(nil)` for a soft or
    /// external link, nil when its fields run past the message: version 1, flags (bits 0–1: the
    /// width of the name length; bit 2: a creation order of 8 bytes; bit 3: a link type byte;
    /// bit 4: a character set byte), the name, then an address (hard link) or a 2-byte length
    /// and that many bytes.
    private func hardLink(_ data: [UInt8]) -> (String, UInt64)?? {
        var c = file.cursor(data)
        guard c.unsigned(1) == 1, let flags = c.unsigned(1) else { return nil }
        let type = flags & 0x08 != 0 ? c.unsigned(1) : 0
        guard let type, flags & 0x04 == 0 || c.skip(8), flags & 0x10 == 0 || c.skip(1),
              let length = c.unsigned(1 << Int(flags & 0x03)), length <= UInt64(data.count) else { return nil }
        let start = c.at
        guard c.skip(Int(length)) else { return nil }
        let name = String(decoding: data[start..<c.at], as: UTF8.self)
        if type == 0 {
            guard let address = c.offset(), address < file.addressSpace else { return nil }
            return .some((name, address))
        }
        guard let size = c.unsigned(2), c.skip(Int(size)) else { return nil }
        return .some(nil)
    }

    /// Checks that each datatype and attribute message stored in a header holds its fields
    /// (``HDF5DatatypeCheck``, ``HDF5AttributeMessage``) and an attribute its value; messages
    /// shared through the file's table are left to HDF5.
    private func attributes(in messages: [HDF5HeaderMessage], of name: String) throws(IOError) {
        for message in messages where message.type == HDF5HeaderMessage.datatype && message.flags & 0x02 == 0 {
            guard HDF5DatatypeCheck.fits(message.data[...]) else { throw damaged(name, "datatype message") }
        }
        for message in messages where message.type == HDF5HeaderMessage.attribute && message.flags & 0x02 == 0 {
            guard let attribute = HDF5AttributeMessage(message.data),
                  attribute.sharedType || HDF5DatatypeCheck.fits(attribute.datatype) else { throw damaged(name, "attribute message") }
            if let size = attribute.valueSize(lengthSize: file.lengthSize), size > UInt64(attribute.valueRoom) {
                let label = String(decoding: attribute.name, as: UTF8.self)
                throw damaged(name, "attribute '\(label)' (its value runs past its message)")
            }
        }
    }

    /// Checks a symbol table's local heap and B-tree; the members it lists, with their headers.
    private mutating func table(tree: UInt64, heap: UInt64, group: String) throws(IOError) -> [(String, UInt64)] {
        let names = try localHeap(at: heap, group: group)
        var members: [(String, UInt64)] = []
        try node(at: tree, level: nil, names: names, group: group, into: &members)
        return members
    }

    /// The data of the local heap at `address`, after checking its free list.
    private func localHeap(at address: UInt64, group: String) throws(IOError) -> [UInt8] {
        let L = file.lengthSize
        guard let prefix = file.bytes(at: address, 8 + 2 * L + file.offsetSize) else { throw damaged(group, "local heap at address \(address)") }
        var c = file.cursor(prefix)
        guard c.expect("HEAP"), c.unsigned(1) == 0, c.skip(3), let size = c.length(), let head = c.length(),
              let dataAddress = c.offset(), size <= file.addressSpace,
              let data = file.bytes(at: dataAddress, Int(size)) else { throw damaged(group, "local heap at address \(address)") }
        let end = L < 8 ? (UInt64(1) << (8 * L)) - 1 : UInt64.max
        var block = head
        var seen: Set<UInt64> = []
        while block != 1 && block != end {
            var f = file.cursor(data, at: Int(clamping: block))
            guard block < size, seen.insert(block).inserted, let next = f.length(), let length = f.length(),
                  length <= size - block else { throw damaged(group, "local heap free list") }
            block = next
        }
        return data
    }

    /// Whether `offset` starts a NUL-terminated name inside the heap data `names`.
    private func validName(_ names: [UInt8], _ offset: UInt64) -> Bool {
        offset < UInt64(names.count) && names[Int(offset)...].contains(0)
    }

    private func name(_ names: [UInt8], _ offset: UInt64) -> String {
        let tail = names[Int(offset)...]
        return String(decoding: tail[..<(tail.firstIndex(of: 0) ?? tail.endIndex)], as: UTF8.self)
    }

    /// Checks the B-tree node at `address` (at `level` when known) and everything below it.
    private mutating func node(at address: UInt64, level: UInt64?, names: [UInt8], group: String,
                               into members: inout [(String, UInt64)]) throws(IOError) {
        let (O, L, K) = (file.offsetSize, file.lengthSize, internalK)
        let place = "symbol table B-tree node at address \(address)"
        guard nodes.insert(address).inserted,
              let bytes = file.bytes(at: address, 8 + 2 * O + 2 * K * O + (2 * K + 1) * L) else { throw damaged(group, place) }
        var c = file.cursor(bytes)
        guard c.expect("TREE"), c.unsigned(1) == 0, let found = c.unsigned(1), level == nil || found == level,
              let used = c.unsigned(2), used <= 2 * K, c.skip(2 * O) else { throw damaged(group, place) }
        for k in 0...Int(used) {
            guard let key = c.length(), validName(names, key) else { throw damaged(group, place) }
            guard k < used else { break }
            guard let child = c.offset() else { throw damaged(group, place) }
            if found == 0 {
                try symbolNode(at: child, names: names, group: group, into: &members)
            } else {
                try node(at: child, level: found - 1, names: names, group: group, into: &members)
            }
        }
    }

    /// Checks the symbol node at `address`, adding its hard-linked members.
    private mutating func symbolNode(at address: UInt64, names: [UInt8], group: String,
                                     into members: inout [(String, UInt64)]) throws(IOError) {
        let (O, L) = (file.offsetSize, file.lengthSize)
        let place = "symbol table node at address \(address)"
        guard nodes.insert(address).inserted, let bytes = file.bytes(at: address, 8 + 2 * leafK * (L + O + 24)) else {
            throw damaged(group, place)
        }
        var c = file.cursor(bytes)
        guard c.expect("SNOD"), c.unsigned(1) == 1, c.skip(1), let count = c.unsigned(2), count <= 2 * leafK else {
            throw damaged(group, place)
        }
        for _ in 0..<Int(count) {
            guard let nameOffset = c.length(), validName(names, nameOffset), let header = c.offset(),
                  let cache = c.unsigned(4), c.skip(4), let target = c.unsigned(4), c.skip(12) else { throw damaged(group, place) }
            switch cache {
            case 2: guard validName(names, target) else { throw damaged(group, place) }
            case 0, 1:
                guard header < file.addressSpace else { throw damaged(group, place) }
                members.append((name(names, nameOffset), header))
            default: throw damaged(group, place)
            }
        }
    }
}
