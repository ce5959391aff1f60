extension FactorFile {
    /// Throws, naming the first user (or item) whose factors are not finite, before anything of
    /// a factor file is written: a solve or fit that overflowed must not leave NaN factors.
    func checkFinite(writing path: String) throws(IOError) {
        let k = factors.columns
        guard let bad = factors.storage.firstIndex(where: { !$0.isFinite }) else { return }
        let row = bad / Swift.max(k, 1)
        let entity = side == .users ? "user" : "item"
        let name = ids.map { "\(entity) '\($0.ids[row])'" } ?? "\(entity) \(row)"
        let count = factors.storage.lazy.filter { !$0.isFinite }.count
        throw IOError(file: path, "\(name) has the factor \(factors.storage[bad]) (\(count) non-finite values in all); the inputs or the settings overflow double precision: scale the values down")
    }
}
