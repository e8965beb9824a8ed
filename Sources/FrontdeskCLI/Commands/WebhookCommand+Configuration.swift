import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore

extension WebhookCommand {
    /// Where a store's webhooks are configured, and the store their changes are recorded in.
    struct Configuration {
        /// The directory holding `webhooks.json`: the data directory, or a PostgreSQL store's
        /// `--config` directory (the one its deliverers are given).
        let directory: String
        let store: any BookingStorage
        let actor: Author
        /// The journal's end now, on a data directory: events before it are not sent to a
        /// webhook added now. Nil on PostgreSQL, where the webhook's `createdAt` decides.
        let afterSequence: UInt64?
    }

    /// Opens `global`'s store for `action` (the role checked as every command checks it) and
    /// names its webhook directory: the data directory itself, or `config` for a
    /// `postgresql://` store.
    ///
    /// - Throws: ``CLIError/usage(_:)`` when `config` is missing for a URL or given for a data
    ///   directory; the store's errors.
    static func configuration(_ global: GlobalOptions, config: String?, for action: AccessAction) throws -> Configuration {
        guard DatabaseSchema.isDatabaseURL(global.data) else {
            if config != nil {
                throw CLIError.usage("--config is for a postgresql:// store; a data directory holds its own webhooks.json")
            }
            let dir = try requireStore(global, for: action)
            let session = try Session.open(global, for: action)
            return Configuration(directory: dir, store: session.store, actor: session.actor, afterSequence: session.store.lastSequence)
        }
        guard let config, !config.isEmpty else {
            throw CLIError.usage("--config DIR is needed with a postgresql:// store: the directory holding webhooks.json that its deliverers are given (docs/POSTGRES.md)")
        }
        let session = try StorageSession.open(global, for: action)
        return Configuration(directory: config, store: session.store, actor: session.actor, afterSequence: nil)
    }
}
