import FrontdeskCore
import FrontdeskStore

/// An open store of either kind, a data directory or a PostgreSQL database, for the commands
/// that work on both (``DatabaseCommands/supported``): the same members as ``Session`` with
/// the store as a `BookingStorage`.
struct StorageSession {
    let store: any BookingStorage
    let actor: Author
    let clock: any WallClock
    /// The account's role in this store.
    let access: Access

    /// Opens `global`'s store for `action`: a data directory as ``Session/open(_:for:source:)``
    /// opens it; a `postgresql://` URL through ``FrontdeskMain/openDatabase`` (re-executing as
    /// `frontdesk-postgres` when this binary has none).
    ///
    /// On PostgreSQL the role comes from the store's staff grants for the login account and its
    /// groups; while no admin is granted, whoever may connect is treated as the store's owner
    /// (as the owner of a data directory is), so the first admin can be granted. Each change
    /// a command plans is checked against that role again before it is stored, as the file
    /// store checks its own. Who may connect at all is the database's own decision (its roles
    /// and `pg_hba.conf`).
    static func open(_ global: GlobalOptions, for action: AccessAction, source: BookingSource = .cli) throws -> StorageSession {
        guard DatabaseSchema.isDatabaseURL(global.store), let url = global.store else {
            let s = try Session.open(global, for: action, source: source)
            return StorageSession(store: s.store, actor: s.actor, clock: s.clock, access: s.access)
        }
        guard let opener = FrontdeskMain.openDatabase else { try DatabaseSchema.execDatabaseBinary() }
        let clock = Session.clock
        let actor = Session.currentActor(source: source)
        let storage: any BookingStorage
        do {
            storage = try opener(url, BookingEngine(clock: clock))
        } catch let f as DatabaseSchema.Failure {
            throw f.isUsage ? CLIError.usage("--data: " + f.message) : CLIError.io(path: "--data", message: f.message)
        }
        let staff = storage.state.staff
        let groups = staff.values.compactMap { g -> String? in
            if case .group(let n) = g.subject, g.isActive { return n } else { return nil }
        }
        let noAdmin = !staff.values.contains { $0.role == .admin }
        let access = Access.resolve(user: ProcessAccount.name, groups: ProcessAccount.memberships(of: groups),
                                    isRoot: ProcessAccount.isRoot, isOwner: noAdmin, staff: staff)
        opened = storage
        try Access.authorize(actor, access, action)
        return StorageSession(store: roleChecked(storage, actor: actor, access: access), actor: actor, clock: clock, access: access)
    }

    /// The PostgreSQL store this process opened, so error messages can name times in
    /// resources' zones as they do for a data directory (``Session/opened``).
    // nonisolated(unsafe): the command line runs one command on one thread.
    nonisolated(unsafe) static var opened: (any BookingStorage)?

    /// `storage` with each planned change checked against `access` before it is stored
    /// (``RoleCheckedStorage``), as a file store checks its own.
    static func roleChecked<S: BookingStorage>(_ storage: S, actor: Author, access: Access) -> any BookingStorage {
        RoleCheckedStorage(storage, actor: actor, access: access)
    }

    /// Checks one more action (an `--override`, a price) with the one check.
    func authorize(_ action: AccessAction) throws(CoreError) {
        try Access.authorize(actor, access, action)
    }

    /// Loads the bookings of `resources` (nil: all) within `range`; on a file store a damaged
    /// partition fails as `.incomplete`, naming what it holds (``Store/asIncomplete(_:)``).
    func load(resources: [ResourceID]?, range: TimeRange) throws {
        guard let files = store as? Store else { return try store.load(resources: resources, range: range) }
        do { try files.load(resources: resources, range: range) } catch { throw Store.asIncomplete(error) }
    }

    /// The customer's bookings within `range`; on a file store a damaged partition fails as
    /// `.incomplete`.
    func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws -> [Booking] {
        guard let files = store as? Store else { return try store.bookings(ofCustomer: customer, range: range) }
        do { return try files.bookings(ofCustomer: customer, range: range) } catch { throw Store.asIncomplete(error) }
    }

    /// Puts the customers the waitlist's entries name in the state, for their names (a
    /// PostgreSQL store reads them with the reference data).
    func loadWaitlistCustomers() throws {
        guard let files = store as? Store else { return }
        try files.loadReferencedCustomers()
    }

    /// Refuses a file store with records it could not read (a damaged journal may hold changes
    /// to what a command shows); a PostgreSQL read is whole or fails.
    func requireComplete() throws {
        try (store as? Store)?.requireComplete()
    }
}
