/// The ids a command was asked about (`--user`, `--item`, repeatable) and the list length `--k`,
/// as the command uses them: each id once, K at most what there is to list, with a note on
/// stderr when either differs from what was given (none under `--quiet`).
enum QueryList {
    /// `ids` in the order given, each once; a note names the ids given more than once.
    static func distinct(_ ids: [String], option: String, quiet: Bool) -> [String] {
        var seen: Set<String> = [], out: [String] = [], repeated: [String] = []
        for id in ids {
            if seen.insert(id).inserted { out.append(id) } else if !repeated.contains(id) { repeated.append(id) }
        }
        if !repeated.isEmpty && !quiet {
            let shown = repeated.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (repeated.count > 5 ? ", …" : "")
            Console.error("note: \(option) \(shown) given more than once: listed once")
        }
        return out
    }

    /// `k`, or `available` with a note when `k` is larger: a list never holds more than there is.
    static func capped(_ k: Int, available: Int, what: String, quiet: Bool) -> Int {
        guard k > available, available >= 1 else { return k }
        if !quiet { Console.error("note: --k \(k) is more than the \(available) \(what): lists hold at most \(available)") }
        return Swift.max(1, available)
    }
}
