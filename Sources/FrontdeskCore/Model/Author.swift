/// Who made a change and from where: recorded on bookings, history and events. (Stored and
/// printed as `actor`; not `Actor`, the standard library's protocol of actors.)
public struct Author: Hashable, Sendable {
    /// The OS user name.
    public var user: String
    /// SSH client address, or `local`.
    public var origin: String
    public var source: BookingSource

    public init(user: String, origin: String = "local", source: BookingSource) {
        self.user = user; self.origin = origin; self.source = source
    }

    /// The core itself (hold expiry, reminders).
    public static let system = Author(user: "frontdesk", origin: "local", source: .system)
}
