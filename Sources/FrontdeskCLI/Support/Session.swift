#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import FrontdeskCore
import FrontdeskStore

/// The wall clock. Nothing in the environment moves it; only a test host pins time
/// (``FrontdeskSeams/pinnedNow``).
struct SystemClock: WallClock {
    func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(seconds: Int64(ts.tv_sec))
    }
}

/// An open store plus who is at the keyboard and what their role lets them do.
struct Session {
    let store: Store
    let actor: Author
    let clock: any WallClock
    /// The account's role in this store; also set on the store, which checks every change.
    let access: Access

    static func currentActor(source: BookingSource) -> Author {
        Author(user: LoginIdentity.userName(), origin: LoginIdentity.origin(), source: source)
    }

    /// The clock every command reads: the system clock, or the instant a test host pinned.
    static var clock: any WallClock { FrontdeskMain.seams.clock }

    /// Opens the store in the data directory for `action`, or fails with a message saying how
    /// to create one, or, when the account's role does not allow `action`, which role does
    /// (``Access/authorize(_:_:_:)``). Every command names its action here, so none can open
    /// the store unchecked; the store then checks each change it plans against the same role.
    static func open(_ global: GlobalOptions, for action: AccessAction, source: BookingSource = .cli) throws -> Session {
        let dir = try global.dataDirectory
        let clock = Session.clock
        guard FileManager.default.fileExists(atPath: dir) else {
            throw StoreError.notFound(path: dir)
        }
        let actor = currentActor(source: source)
        let store = try Store.open(at: dir, clock: clock, options: storeOptions(user: actor.user))
        opened = store
        let access = store.processAccess()
        store.access = access
        try Access.authorize(actor, access, action)
        return Session(store: store, actor: actor, clock: clock, access: access)
    }

    /// Checks one more action (an `--override`, contact details) with the one check.
    func authorize(_ action: AccessAction) throws(CoreError) {
        try Access.authorize(actor, access, action)
    }

    /// Creates the directories above a new store's directory (e.g. `~/.local/share` on a fresh
    /// account), owner-only as the XDG base-directory spec asks; the store creates its own.
    static func createParentDirectories(of directory: String) throws {
        let parent = Path.parent(of: directory)
        guard !parent.isEmpty else { return }
        try LocalFiles.createDirectories(parent, mode: 0o700)
    }

    /// Store options: `FRONTDESK_LOCK_TIMEOUT` (seconds this process waits for a busy store,
    /// default 5; a user setting that affects only the user's own process), and the compaction
    /// interval a test host set (``FrontdeskSeams/compactAfterRecords``), else the store's.
    static func storeOptions(user: String) -> StoreOptions {
        var o = StoreOptions()
        o.user = user
        if let t = Environment["FRONTDESK_LOCK_TIMEOUT"], let v = Double(t), v >= 0 { o.lockTimeout = v }
        if let n = FrontdeskMain.seams.compactAfterRecords, n > 0 { o.compactAfterRecords = n }
        return o
    }

    /// The store this process opened, so error messages can name times in resources' zones.
    // nonisolated(unsafe): the command line runs one command on one thread.
    nonisolated(unsafe) static var opened: Store?

    /// The display zone for filters without a resource: `TZ`, else the machine's (the target
    /// of /etc/localtime, else /etc/timezone), else UTC; see ``ZoneDatabase/localZone(tz:)``.
    static var displayZone: Zone { ZoneDatabase.shared.localZone(tz: Environment["TZ"]) }
}
