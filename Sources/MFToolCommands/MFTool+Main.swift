import ArgumentParser

extension MFTool {
    /// Parses the command line and runs the subcommand it names. A usage error that a
    /// subcommand raises while running (an output name whose extension it does not write, an
    /// option that contradicts what an input file records) is reported with that subcommand's
    /// usage, exit 64, as the errors found while parsing are; ArgumentParser alone would print
    /// the top-level usage for them.
    public static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            Console.error(usageErrorText(error.message, for: type(of: command)))
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }

    /// "Error: message", the subcommand's usage and where its help is: the text ArgumentParser
    /// prints for a usage error found while parsing that subcommand.
    static func usageErrorText(_ message: String, for subcommand: ParsableCommand.Type) -> String {
        let usage = usageString(for: subcommand).split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\n       ")
        let name = subcommand == MFTool.self ? "mftool" : "mftool \(subcommand._commandName)"
        return "Error: \(message)\nUsage: \(usage)\n  See '\(name) --help' for more information."
    }
}
