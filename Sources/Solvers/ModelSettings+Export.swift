// The objective, run settings and progress reporting the solvers take are defined in
// ModelSettings; a client that imports Solvers sees them too.
@_exported import ModelSettings
