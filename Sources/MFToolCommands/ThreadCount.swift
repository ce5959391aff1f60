import Foundation

/// The worker threads a command uses: `--threads`, at most the cores available. More threads
/// than cores buy nothing, and OpenBLAS reserves a buffer per thread: under an address-space
/// limit a large count made its allocation spin forever.
enum ThreadCount {
    static func capped(_ requested: Int) -> Int {
        Swift.max(1, Swift.min(requested, ProcessInfo.processInfo.activeProcessorCount))
    }
}
