import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// The webhook configuration file `<data>/webhooks.json`: versioned, replaced atomically, and
/// changed only under its own lock `<data>/webhooks.lock` so two editors never lose an update.
public struct WebhookRegistry: Sendable {
    /// What the file holds.
    public struct Config: Sendable, Equatable {
        /// File format version (1).
        public var version: Int
        /// Bumped on every change, so a reader can tell that the list moved.
        public var revision: Int
        public var endpoints: [WebhookEndpoint]
        public init(version: Int = 1, revision: Int = 0, endpoints: [WebhookEndpoint] = []) {
            self.version = version; self.revision = revision; self.endpoints = endpoints
        }

        /// The file's text: indented two spaces a level, keys sorted, as it has always been
        /// written, so that it stays easy to read and to compare.
        var bytes: [UInt8] {
            let tree: JSONTree = ["version": .integer(version), "revision": .integer(revision), "endpoints": .array(endpoints.map(\.json))]
            return tree.serialized(prettyPrinted: true)
        }

        /// Reads the file's text.
        init(bytes: [UInt8]) throws(SchemaError) {
            let f = try SchemaValue.root(parsingHandEdited: bytes).object()
            self.init(version: try f.integer("version", as: Int.self), revision: try f.integer("revision", as: Int.self),
                      endpoints: try f.value("endpoints").array { e throws(SchemaError) in try WebhookEndpoint(e) })
        }
    }

    public static let formatVersion = 1
    public let directory: String
    var path: String { directory + "/webhooks.json" }
    var lockPath: String { directory + "/webhooks.lock" }

    public init(directory: String) { self.directory = directory }

    /// The current configuration (empty when no webhook was ever added).
    public func load() throws(DeliveryError) -> Config {
        try load(in: DeliveryDirectory(path: directory))
    }

    func load(in dir: DeliveryDirectory) throws(DeliveryError) -> Config {
        guard let bytes = try AtomicFile.read("webhooks.json", in: dir) else { return Config() }
        let config: Config
        do { config = try Config(bytes: bytes) } catch {
            throw .damaged(path: path, detail: "not a webhook configuration (\(error))")
        }
        guard config.version <= Self.formatVersion else {
            throw .damaged(path: path, detail: "format version \(config.version) is newer than this program supports (\(Self.formatVersion))")
        }
        return config
    }

    /// Reads, changes and atomically replaces the configuration under the webhook lock.
    @discardableResult
    public func update<T>(_ change: (inout Config) throws(DeliveryError) -> T) throws(DeliveryError) -> T {
        let dir = try DeliveryDirectory(path: directory)
        let lock = try DeliveryLockFile("webhooks.lock", in: dir)
        try lock.acquire(operation: "webhook config", user: ProcessAccount.name, timeout: 5)
        defer { lock.release() }
        var config = try load(in: dir)
        let result = try change(&config)
        config.revision += 1
        config.version = Self.formatVersion
        try AtomicFile.replace("webhooks.json", in: dir, with: config.bytes)
        return result
    }


    /// Adds an endpoint and returns it. `afterSequence`: the store's last journal sequence
    /// now; the endpoint receives only events after it.
    public func add(url: String, events: [String], secret: String, now: Instant, afterSequence: UInt64? = nil,
                    ids: any IdentifierSource = RandomIdentifierSource()) throws(DeliveryError) -> WebhookEndpoint {
        let valid = try WebhookEndpoint.validatedURL(url)
        guard !secret.isEmpty else { throw .invalidInput(field: "secret", message: "a signing secret is required") }
        let e = WebhookEndpoint(id: "wh_" + ids.next().lowercased().prefix(10), url: valid, events: events, secret: secret, createdAt: now,
                                afterSequence: afterSequence)
        try update { (c: inout Config) throws(DeliveryError) in c.endpoints.append(e) }
        return e
    }

    /// Removes an endpoint; throws `.unknownWebhook` if there is none with that id.
    public func remove(id: String) throws(DeliveryError) {
        try update { (c: inout Config) throws(DeliveryError) in
            guard let i = c.endpoints.firstIndex(where: { $0.id == id }) else { throw .unknownWebhook(id: id) }
            c.endpoints.remove(at: i)
        }
    }

    /// Turns a disabled endpoint back on; throws `.unknownWebhook` if there is none with that id.
    public func enable(id: String) throws(DeliveryError) {
        try update { (c: inout Config) throws(DeliveryError) in
            guard let i = c.endpoints.firstIndex(where: { $0.id == id }) else { throw .unknownWebhook(id: id) }
            c.endpoints[i].disabledAt = nil
            c.endpoints[i].disabledReason = nil
        }
    }

    /// Marks an endpoint disabled (a receiver said 410 Gone).
    public func disable(id: String, reason: String, now: Instant) throws(DeliveryError) {
        try update { (c: inout Config) throws(DeliveryError) in
            guard let i = c.endpoints.firstIndex(where: { $0.id == id }) else { return }
            c.endpoints[i].disabledAt = now
            c.endpoints[i].disabledReason = reason
        }
    }
}
