// The settings a factor file records are defined in ModelSettings; a client that imports IO
// sees them too.
@_exported import ModelSettings
