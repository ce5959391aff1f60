import Matrices

/// What reading an input may make mftool do: how much memory one file's arrays may ask for,
/// whether an HDF5 file may point it at another file, and whether a reader may decode parts of
/// a file on several threads. A value handed to each reader, so that two reads in one process
/// may run under different limits.
public struct ReadLimits: Sendable, Equatable {
    /// The bytes a single input's arrays may need, checked against the sizes a file declares
    /// before anything is allocated, so a small file cannot ask for gigabytes.
    public var memory: MemoryLimit
    /// Whether HDF5 external links (objects stored in another file) are followed: off by
    /// default, so that an input cannot make mftool open another file, a device or a FIFO.
    public var followExternalLinks: Bool
    /// Whether independent parts of a file (Parquet row groups, chunks of a large text file)
    /// are decoded on several threads. The result is the same either way; off, the work and
    /// the order of every step are the same on every run.
    public var parallel: Bool

    public init(memory: MemoryLimit = .system, followExternalLinks: Bool = false, parallel: Bool = true) {
        self.memory = memory
        self.followExternalLinks = followExternalLinks
        self.parallel = parallel
    }

    /// Throws unless `count` elements of `elementSize` bytes fit in the memory limit.
    func check(_ count: Int, of elementSize: Int, file: String, location: String? = nil, what: String) throws(IOError) {
        guard let needed = MemoryBudget.bytes(count, elementSize), needed <= memory.bytes else {
            let size = MemoryBudget.bytes(count, elementSize).map(MemoryLimit.describe) ?? "more than 2^63 bytes"
            throw IOError(file: file, location: location,
                          "\(what) declares \(count) elements (\(size)), more than the memory limit of \(MemoryLimit.describe(memory.bytes))")
        }
    }
}
