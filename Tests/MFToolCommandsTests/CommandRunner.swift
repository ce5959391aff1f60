import ArgumentParser
@testable import MFToolCommands

/// Runs an mftool command line in-process and returns the exit code scripts would see.
func runMFTool(_ arguments: [String]) -> Int32 {
    do {
        var command = try MFTool.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        return MFTool.exitCode(for: error).rawValue
    }
}
