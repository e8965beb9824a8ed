/// `frontdesk book`'s arguments read by hand, for the one command scripts run once per booking.
///
/// Even parsing only the leaf (``LeafCommandParser``), swift-argument-parser reflects on the
/// command with `Mirror` to discover its options, and resolves each option's type through
/// protocol-conformance lookups that each scan all of the binary's conformance records, a
/// large share of a `frontdesk book` that otherwise does little work. This scanner
/// covers the plain forms scripts write (`--name value`, `--name=value`, `--flag`, each at most
/// once, every value not starting with `-`) and builds the same ``BookCommand`` the full parser
/// builds. Anything else (a short option, a positional argument, an unknown or repeated name,
/// a value that looks like an option, a missing required option) returns nil, and the
/// arguments go to the full parser, which accepts or reports them as it does anyway. Tests
/// compare the two parsers' results and check that these tables list every option the command
/// declares.
enum BookArgumentScanner {
    /// Long names of the options that take a value (``GlobalOptions`` included).
    static let valueOptions: Set<String> = [
        "data", "resource", "start", "end", "duration", "customer", "new-customer", "phone", "email", "status", "hold",
        "idempotency-key", "repeat", "notes", "override", "block",
    ]
    /// Long names of the flags.
    static let flags: Set<String> = ["json", "skip-conflicts"]

    /// The command the arguments after `book` give, or nil when the full parser must read them.
    static func parse(_ arguments: ArraySlice<String>) -> BookCommand? {
        var values: [String: String] = [:]
        var given: Set<String> = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let argument = arguments[i]
            guard argument.hasPrefix("--"), argument.utf8.count > 2 else { return nil }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if flags.contains(name) {
                guard inline == nil, given.insert(name).inserted else { return nil }
                i += 1
                continue
            }
            guard valueOptions.contains(name), values[name] == nil else { return nil }
            if let inline {
                guard !inline.isEmpty else { return nil }
                values[name] = inline
                i += 1
            } else {
                guard i + 1 < arguments.endIndex, !arguments[i + 1].hasPrefix("-") else { return nil }
                values[name] = arguments[i + 1]
                i += 2
            }
        }
        guard let resource = values["resource"], let start = values["start"] else { return nil }
        var global = GlobalOptions()
        global.data = values["data"]
        global.json = given.contains("json")
        var c = BookCommand()
        c.global = global
        c.resource = resource
        c.start = start
        c.end = values["end"]
        c.duration = values["duration"]
        c.customer = values["customer"]
        c.newCustomer = values["new-customer"]
        c.block = values["block"]
        c.phone = values["phone"]
        c.email = values["email"]
        c.status = values["status"]
        c.hold = values["hold"]
        c.idempotencyKey = values["idempotency-key"]
        c.rrule = values["repeat"]
        c.skipConflicts = given.contains("skip-conflicts")
        c.notes = values["notes"]
        c.override = values["override"]
        return c
    }
}
