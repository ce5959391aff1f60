import ArgumentParser
import Foundation
import IO
import Loading
import Matrices

/// What an input may make mftool do: how much memory one file's arrays may ask for, and whether
/// an HDF5 file may point it at another file. A command hands ``limits`` (the same value at
/// every access) to every reader and solver it calls.
struct ResourceOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Refuse an input whose arrays would need more than this much memory, naming it: bytes, or a number with K, M, G or T (powers of 1024), e.g. 8G (default: the least of the physical memory, the process's RLIMIT_AS and RLIMIT_DATA, and its cgroup's memory.max). Solver workspaces and factors are charged to it too.",
        valueName: "size"))
    var maxMemory: String?

    @Flag(name: .customLong("follow-external-links"), help: "Follow HDF5 external links (datasets stored in another file); refused by default, so that an input cannot make mftool read another file.")
    var followExternalLinks = false

    func validate() throws {
        _ = try maxMemory.map(ResourceOptions.bytes)
    }

    /// The limits the options give: `--max-memory` (validated), else ``MemoryLimit/system``,
    /// the process's limit when it was first asked for.
    var limits: ReadLimits {
        let memory = maxMemory.flatMap { try? ResourceOptions.bytes($0) }.map(MemoryLimit.init(bytes:)) ?? .system
        return ReadLimits(memory: memory, followExternalLinks: followExternalLinks)
    }

    /// `text` as a byte count: digits with an optional fraction and a K, M, G or T suffix.
    static func bytes(_ text: String) throws -> Int {
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var number = text.trimmingCharacters(in: .whitespaces).uppercased()
        if number.hasSuffix("B") && number.count > 1 && units[number.dropLast().last ?? " "] != nil { number.removeLast() }
        var scale = 1.0
        if let unit = number.last, let factor = units[unit] {
            scale = factor
            number.removeLast()
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale < 9.0e18 else {
            throw ValidationError("--max-memory '\(text)' is not a size: give bytes or a number with K, M, G or T, e.g. 8G")
        }
        return Int(value * scale)
    }
}
