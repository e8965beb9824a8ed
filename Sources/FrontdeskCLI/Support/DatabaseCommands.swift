import ArgumentParser

/// Which commands take a PostgreSQL store (`--data postgresql://…`), and the refusal every
/// other one gives, before its arguments are parsed: a command that works on a data directory
/// only says so, whatever else is on its line.
enum DatabaseCommands {
    /// The command paths that open a PostgreSQL store through ``StorageSession`` or the schema
    /// hook, the front desk (`""`, no command) among them. Every other command refuses a URL
    /// with exit 64 (a test runs each one).
    static let supported: [String] = [
        "init", "migrate-schema", "book", "cancel", "confirm", "complete", "no-show", "resource add", "customer add",
        "list", "customer list", "customer show",
        "server",
        "deliver",
        "webhook add", "webhook list", "webhook remove", "webhook enable",
        "",  // the front desk
        "show", "free", "reschedule", "history",
        "customer edit", "customer merge", "customer erase",
        "waitlist add", "waitlist list", "waitlist book", "waitlist remove",
        "pay", "refund", "price", "settings currency", "settings show",
        "export", "report",
        "agenda", "resource list", "resource show", "service list", "service show", "schedule list",
        "correct", "resource edit", "resource blackout", "service add", "service edit", "service archive",
        "schedule add", "schedule hours", "schedule override", "schedule blackout", "schedule unblackout",
        "staff add", "staff remove", "staff list",
    ]

    /// The `--data` value on the line (`--data X` or `--data=X`), nil when there is none.
    static func dataValue(in arguments: [String]) -> String? {
        var found: String?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--data", i + 1 < arguments.count { found = arguments[i + 1]; i += 2; continue }
            if a.hasPrefix("--data=") { found = String(a.dropFirst(7)) }
            i += 1
        }
        return found
    }

    /// The command path the line names (`["customer", "list"]`), up to the first command
    /// without subcommands; empty for the front desk itself. Nil after `help`.
    static func path(in arguments: [String]) -> [String]? {
        var command: any ParsableCommand.Type = FrontdeskCommand.self
        var path: [String] = []
        var i = 0
        while i < arguments.count, !command.configuration.subcommands.isEmpty {
            let a = arguments[i]
            if CommandSuggestion.valueOptions.contains(a) { i += 2; continue }
            if a.hasPrefix("-") { i += 1; continue }
            if path.isEmpty && a == "help" { return nil }
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == a }) else { return path }
            command = next
            path.append(a)
            i += 1
        }
        return path
    }

    /// Refuses a `postgresql://` store (`--data`, else `FRONTDESK_DATA`) for a command that
    /// needs a data directory.
    ///
    /// - Throws: ``CLIError/usage(_:)`` naming the command and the ones that take a URL.
    static func check(_ arguments: [String]) throws(CLIError) {
        let given = dataValue(in: arguments)
        guard let data = given ?? Environment["FRONTDESK_DATA"], DatabaseSchema.isDatabaseURL(data),
              let path = path(in: arguments) else { return }
        let name = path.joined(separator: " ")
        guard !supported.contains(name) else { return }
        // `migrate` does take a URL, as one of its two stores, never as `--data` (and it
        // reads no FRONTDESK_DATA).
        if name == "migrate" {
            guard given != nil else { return }
            throw .usage("migrate names its two stores with --from and --to (a data directory or postgresql://…); it takes no --data")
        }
        throw .usage(refusal(name.isEmpty ? "the front desk" : name))
    }

    /// The message for a command (`what`, when known) that needs a data directory: most
    /// commands take a URL, so it names those that do not.
    static func refusal(_ what: String?) -> String {
        "--data: a PostgreSQL store takes the front desk and every command but \(fileStoreOnly.joined(separator: ", ")) so far; this command needs a data directory"
            + (what.map { " (\($0))" } ?? "")
    }

    /// The command paths without subcommands that are not in ``supported``, in the order of
    /// the command tree (`migrate` takes its stores as `--from` and `--to` and is left out).
    static var fileStoreOnly: [String] {
        var out: [String] = []
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) {
            let subcommands = command.configuration.subcommands
            let name = path.joined(separator: " ")
            if subcommands.isEmpty {
                if !supported.contains(name) && name != "migrate" { out.append(name) }
                return
            }
            for s in subcommands { walk(s, path + [s.configuration.commandName ?? ""]) }
        }
        walk(FrontdeskCommand.self, [])
        return out
    }
}
