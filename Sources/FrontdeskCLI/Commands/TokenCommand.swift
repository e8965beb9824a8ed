import ArgumentParser
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskTUI
import FrontdeskStore

/// `frontdesk token add|list|revoke`: bearer tokens of the HTTP API (`frontdesk server`).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the HTTP API's bearer tokens (admin).",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Create a token; its secret is printed once and stored only as a SHA-256 hash.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The token's name: the actor history records for its changes (letters, digits, - _ .).") var name: String
        @Option(help: "The role its requests act with: viewer, desk, manager or admin.") var role: String
        @Option(help: TokenCommand.tokensHelp) var tokens: String?
        func run() throws {
            guard let r = Role(name: role) else {
                throw CLIError.invalidInput(field: "role", message: "\"\(Format.safe(role))\" is not a role; use viewer, desk, manager or admin")
            }
            let session = try TokenCommand.session(global, tokens)
            let dir = try tokens ?? global.dataDirectory
            let user = session?.actor.user ?? Session.currentActor(source: .cli).user
            let (token, secret) = try APITokenRegistry(directory: dir).add(name: name, role: r, now: Session.clock.now(), by: user)
            if let session { try TokenCommand.record(session, name: token.name, action: "token added", changes: ["role \(r.name)"]) }
            if global.json {
                Console.out(Format.json(JSONTree.object(["name": .string(token.name), "role": .string(r.name), "token": .string(secret)])))
            } else {
                Console.out("Token \(token.name) (\(r.name)): \(secret)")
                Console.out("Shown once: only its SHA-256 is stored. Send it as 'Authorization: Bearer \(secret)'.")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (names, roles, state; never secrets).")
        @OptionGroup var global: GlobalOptions
        @Option(help: TokenCommand.tokensHelp) var tokens: String?
        func run() throws {
            _ = try TokenCommand.session(global, tokens)
            let list = try APITokenRegistry(directory: try tokens ?? global.dataDirectory).load()
            if global.json {
                Console.out(Format.json(JSONTree.array(list.map { t in
                    .object(["name": .string(t.name), "role": .string(t.role.name), "created_at": .string(t.createdAt.iso8601),
                             "created_by": .string(t.createdBy), "revoked_at": .string(t.revokedAt?.iso8601)])
                })))
                return
            }
            if list.isEmpty { Console.out("No API tokens."); return }
            Console.out(Format.table(["NAME", "ROLE", "CREATED", "BY", "STATE"], list.map { t in
                [t.name, t.role.name, t.createdAt.iso8601, t.createdBy, t.revokedAt.map { "revoked \($0.iso8601)" } ?? "active"]
            }))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: its requests are refused from then on.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's name.") var name: String
        @Option(help: TokenCommand.tokensHelp) var tokens: String?
        func run() throws {
            let session = try TokenCommand.session(global, tokens)
            try APITokenRegistry(directory: try tokens ?? global.dataDirectory).revoke(name: name, now: Session.clock.now())
            if let session { try TokenCommand.record(session, name: name, action: "token revoked", changes: []) }
            if global.json { Console.out(Format.json(JSONTree.object(["revoked": .string(name)]))) } else { Console.out("Revoked token \(name)") }
        }
    }

    static let tokensHelp = ArgumentHelp(
        "A directory of tokens of its own instead of the store's (a server on a PostgreSQL store reads its tokens there).",
        valueName: "dir")

    /// The store's session, its role checked; nil with `--tokens DIR`, a directory that is no
    /// store: who may change its tokens is whoever may write it (keep it the server account's,
    /// mode 0700), and no store's audit log records the change.
    static func session(_ global: GlobalOptions, _ tokens: String?) throws -> Session? {
        if let tokens {
            guard global.data == nil else { throw CLIError.usage("--tokens: give --tokens DIR or --data, not both") }
            guard !tokens.isEmpty else { throw CLIError.usage("--tokens: give a directory") }
            return nil
        }
        return try Session.open(global, for: .manageTokens)
    }

    /// Records a token change in the audit log, under the staff entity (a token is a grant of
    /// a role to a program), id `token:NAME`.
    static func record(_ session: Session, name: String, action: String, changes: [String]) throws {
        let actor = session.actor
        do {
            _ = try session.store.write("token", .directory) { state, engine throws(CoreError) in
                try engine.recordChanges([AuditEntryDraft(entity: .staff, id: "token:" + name, action: action, changes: changes)], in: state, by: actor)
            }
        } catch {
            throw CLIError.io(path: "audit log", message: "token \(name) \(action.replacingPrefix()), but the change could not be recorded in the audit log: \(error)")
        }
    }
}

private extension String {
    /// "token added" → "added".
    func replacingPrefix() -> String { hasPrefix("token ") ? String(dropFirst(6)) : self }
}
