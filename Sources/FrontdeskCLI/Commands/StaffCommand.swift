import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk staff add|list|show|remove`: who may do what in this store (README "Roles").
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Grant, list and remove staff roles (viewer, desk, manager, admin).",
        subcommands: [Add.self, List.self, Show.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Grant a role to an OS user or, with --group, an OS group (replacing its role).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The OS user.") var user: String?
        @Option(help: "The OS group (instead of a user).") var group: String?
        @Option(help: "viewer, desk, manager or admin.") var role: String
        @Flag(help: "A viewer sees customers' phone numbers and e-mail addresses too.") var contact = false

        func run() throws {
            let subject = try StaffCommand.subject(user: user, group: group)
            guard let r = Role(name: role) else {
                throw CLIError.invalidInput(field: "--role", message: "\"\(role)\" is not a role (viewer, desk, manager, admin)")
            }
            let session = try StorageSession.open(global, for: .manageStaff)
            try StaffCommand.requireAccount(subject)
            let actor = session.actor
            let g = try session.store.write("staff add", .directory) { state, engine throws(CoreError) in
                try engine.setStaff(subject, role: r, contactDetails: contact, in: state, by: actor)
            }
            if global.json { Console.out(Format.json(StaffCommand.json(g))) } else {
                Console.out("\(subject.label) is now \(r.name)" + (contact && r == .viewer ? " with contact details" : ""))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user's or, with --group, a group's role.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The OS user.") var user: String?
        @Option(help: "The OS group (instead of a user).") var group: String?

        func run() throws {
            let subject = try StaffCommand.subject(user: user, group: group)
            let session = try StorageSession.open(global, for: .manageStaff)
            let actor = session.actor
            let g = try session.store.write("staff remove", .directory) { state, engine throws(CoreError) in
                try engine.setStaff(subject, role: nil, in: state, by: actor)
            }
            if global.json { Console.out(Format.json(StaffCommand.json(g))) } else { Console.out("Removed the role of \(subject.label)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the roles granted to users and groups.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete()
            let grants = session.store.state.staff.values.filter(\.isActive).sorted { $0.subject < $1.subject }
            if global.json { Console.out(Format.json(JSONTree.array(grants.map(StaffCommand.json)))); return }
            if grants.isEmpty {
                Console.out("No roles granted: the owner of the store directory is its admin (and root).")
                return
            }
            Console.out(Format.table(["WHO", "KIND", "ROLE", "CONTACT", "GRANTED BY", "VERSION"], grants.map { g in
                [g.subject.name, g.subject.label.hasPrefix("group ") ? "group" : "user", g.role?.name ?? "",
                 g.contactDetails || (g.role ?? .viewer) >= .desk ? "yes" : "no", g.by.user, String(g.version)]
            }))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a user's role and where it comes from.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The OS user (default: you).") var user: String?

        func run() throws {
            let session = try Session.open(global, for: .readDiary)
            try session.store.requireComplete()
            let name = user ?? session.actor.user
            guard let a = session.store.access(ofUser: name) else {
                throw CLIError.invalidInput(field: "user", message: "no OS user named \"\(name)\" on this host")
            }
            if global.json {
                var o: [String: JSONTree] = [
                    "user": .string(a.user), "contact_details": .bool(a.contactDetails),
                    "from": .array(a.sources.map { .string($0) }),
                    "may": .array(AccessAction.allCases.filter(a.allows).map { .string($0.rawValue) }),
                ]
                o["role"] = .optional(a.role?.name) ?? .null
                Console.out(Format.json(JSONTree.object(o)))
                return
            }
            Console.out(Format.table(["FIELD", "VALUE"], [
                ["User", a.user], ["Role", a.role?.name ?? "none (an admin can grant one: \(a.admins.joined(separator: ", ")))"],
                ["Contact details", a.contactDetails ? "shown" : "hidden"],
                ["From", a.sources.isEmpty ? "-" : a.sources.joined(separator: "; ")],
            ]))
        }
    }

    /// The user or the group the command names: exactly one of them.
    static func subject(user: String?, group: String?) throws -> StaffSubject {
        switch (user, group) {
        case (let u?, nil): return .user(u)
        case (nil, let g?): return .group(g)
        case (nil, nil): throw CLIError.usage("name a user, or a group with --group")
        default: throw CLIError.usage("name a user or a group with --group, not both")
        }
    }

    /// Refuses a user or group unknown to this host, naming it.
    static func requireAccount(_ subject: StaffSubject) throws {
        guard Store.accountExists(subject) else {
            switch subject {
            case .user(let n): throw CLIError.invalidInput(field: "user", message: "no OS user named \"\(n)\" on this host")
            case .group(let n): throw CLIError.invalidInput(field: "--group", message: "no OS group named \"\(n)\" on this host")
            }
        }
    }

    /// A grant as `--json` prints it.
    static func json(_ g: StaffGrant) -> JSONTree {
        let kind = g.subject.label.hasPrefix("group ") ? "group" : "user"
        var o: [String: JSONTree] = [
            "name": .string(g.subject.name), "kind": .string(kind), "contact_details": .bool(g.contactDetails),
            "version": .integer(g.version), "granted_at": .string(g.at.iso8601), "granted_by": .string(g.by.user),
        ]
        o["role"] = .optional(g.role?.name) ?? .null
        return .object(o)
    }
}
