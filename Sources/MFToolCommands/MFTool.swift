import ArgumentParser

/// The `mftool` command: matrix factorization with a fixed item matrix.
public struct MFTool: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mftool",
        abstract: "Matrix factorization with a fixed item matrix: exact ridge solves, gradient training, checks.",
        version: mftoolVersion,
        subcommands: [Convert.self, Inspect.self, Generate.self, Solve.self, Fit.self, Check.self, Eval.self, Split.self, Recommend.self, Merge.self, Similar.self, Explain.self, Export.self]
    )
    public init() {}
}

/// The version recorded in files mftool writes.
public let mftoolVersion = "0.1.0"
