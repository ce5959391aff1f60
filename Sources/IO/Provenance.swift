import Foundation
import Matrices

/// How an output file was made, recorded as root attributes of every HDF5 file mftool writes:
/// `mftool_version`, `mftool_command` (the subcommand), `mftool_settings` (a JSON object of
/// the command's settings, defaults included) and `mftool_inputs` (a JSON object of the input
/// files as given). Factor files record their objective and run under their own names too.
public struct Provenance: Sendable, Equatable {
    public var version: String
    public var command: String
    /// A JSON object.
    public var settings: String
    /// A JSON object: role → path.
    public var inputs: String

    public init(version: String, command: String, settings: String, inputs: String) {
        self.version = version
        self.command = command
        self.settings = settings
        self.inputs = inputs
    }

    /// The attribute names used for it.
    public static let attributeNames = ["mftool_version", "mftool_command", "mftool_settings", "mftool_inputs"]

    /// The records by name, in ``attributeNames`` order: what a Parquet footer keeps as its
    /// key-value metadata.
    var records: [(String, String)] {
        Array(zip(Provenance.attributeNames, [version, command, settings, inputs]))
    }

    var attributes: [(String, AttributeValue)] {
        records.map { ($0, .string($1)) }
    }

    /// Sets the attributes on the root of `file`, leaving one the file already has (a factor
    /// file's `mftool_version`) as it is.
    func record(in file: HDF5File) throws(IOError) {
        for (name, value) in attributes where !file.hasAttribute(name, on: "/") {
            try file.setAttribute(name, on: "/", value)
        }
    }

    /// The provenance attributes of an HDF5 file, by name (those it has).
    public static func read(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> [String: String] {
        let file = try HDF5File.open(path, limits: limits)
        var out: [String: String] = [:]
        for name in attributeNames where file.hasAttribute(name, on: "/") {
            out[name] = try file.stringAttribute(name, on: "/")
        }
        return out
    }
}
