/// A listing of what an HDF5 file holds, for `inspect`.
public enum HDF5Catalog {
    /// Every dataset with its dtype and shape, or nil when the file is not HDF5.
    public static func describe(_ path: String, limits: ReadLimits = ReadLimits()) throws(IOError) -> [[String: Any]]? {
        guard FileFormat.detect(path) == .hdf5 else { return nil }
        let file = try HDF5File.open(path, limits: limits)
        var out: [[String: Any]] = []
        for d in try file.datasets() {
            let info = try file.info(d)
            out.append(["path": d, "dtype": info.kind.name, "shape": info.shape])
        }
        return out
    }

    /// Whether the HDF5 file (or its named group) holds a CSR group mftool can read.
    public static func hasCSRGroup(_ spec: FileSpec, limits: ReadLimits = ReadLimits()) throws(IOError) -> Bool {
        let file = try HDF5File.open(spec.path, limits: limits)
        if let object = spec.object { return file.kind(of: object) == .group }
        return file.kind(of: "/indptr") == .dataset || file.kind(of: "/X/indptr") == .dataset
    }
}
