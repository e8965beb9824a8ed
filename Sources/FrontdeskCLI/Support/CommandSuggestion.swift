import ArgumentParser
import FrontdeskTUI

/// Finds a mistyped command name at any level of the command tree and the name it most likely
/// meant: `lsit` → `list`, `resource lst` → `resource list`, `help boook` → `book`.
///
/// swift-argument-parser only reports "unexpected argument" for an unknown subcommand, and
/// `help NAME` falls back to the root help with exit 0 when NAME is not a command, so a
/// script or a new user would never learn what they got wrong.
struct CommandSuggestion {
    /// The name typed where a command was expected (shown through ``Format/safe(_:)``).
    var typed: String
    /// The commands above it (`["resource"]` for `resource lst`).
    var path: [String]
    /// The nearest command name at that level, if one is close enough to be a typo.
    var suggestion: String?
    /// True when the name came after `help`.
    var afterHelp: Bool

    /// Root and group options that take a value, so the value is not taken for a command name.
    static let valueOptions: Set<String> = ["--data", "--date", "--theme"]

    /// The first word of `arguments` that stands where a command name is expected but names
    /// none; nil when every such word is a command (or the path reaches a command without
    /// subcommands, whose words are its own arguments).
    static func firstUnknown(in arguments: [String]) -> CommandSuggestion? {
        var command: any ParsableCommand.Type = FrontdeskCommand.self
        var path: [String] = []
        var afterHelp = false
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if valueOptions.contains(a) { i += 2; continue }
            if a.hasPrefix("-") { i += 1; continue }
            if path.isEmpty && !afterHelp && a == "help" { afterHelp = true; i += 1; continue }
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return nil }
            if let next = subcommands.first(where: { $0.configuration.commandName == a }) {
                command = next
                path.append(a)
                i += 1
                continue
            }
            let names = subcommands.compactMap { $0.configuration.commandName }
            return CommandSuggestion(typed: a, path: path, suggestion: nearest(to: a, among: names), afterHelp: afterHelp)
        }
        return nil
    }

    /// The message lines for standard error.
    var lines: [String] {
        let prefix = path.isEmpty ? "" : path.joined(separator: " ") + " "
        let what = "unknown command \"\(Format.safe(prefix + typed))\""
        let first = suggestion.map { "frontdesk: \(what); did you mean \"\(prefix + $0)\"?" } ?? "frontdesk: \(what)"
        return [first, "Run 'frontdesk \(prefix)--help' for the list of commands."]
    }

    /// The closest name within a typo's distance (transpositions count once), else nil.
    static func nearest(to typed: String, among names: [String]) -> String? {
        let best = names.map { ($0, distance($0, typed)) }.min { $0.1 < $1.1 }
        guard let (name, d) = best, d <= max(2, typed.count / 3) else { return nil }
        return name
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring letters each cost 1 (`lsit` is one swap from `list`, two edits from `init`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
