import ArgumentParser
import Foundation
@testable import MFToolCommands

/// Runs an mftool command line in-process and returns the exit code scripts would see.
func runMFTool(_ arguments: [String]) -> Int32 {
    do {
        var command = try MFTool.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        let code = MFTool.exitCode(for: error).rawValue
        // The message goes to the test log, so that an unexpected failure says why.
        if code != 0 {
            FileHandle.standardError.write(Data("runMFTool: mftool \(arguments.joined(separator: " ")) exited \(code): \(MFTool.message(for: error))\n".utf8))
        }
        return code
    }
}
