import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore
import FrontdeskSystem

extension DeliverCommand {
    /// `deliver --data postgresql://… --config DIR`: delivers the store's outbox with any number
    /// of deliverers beside this one (``OutboxDeliverer``). Hooks, webhooks and the attempt log
    /// are in `DIR`, since a database has no directory of its own. Runs in
    /// `frontdesk-deliver-postgres`; any other binary re-executes as it.
    func runOnDatabase() throws {
        guard let makeTransport = FrontdeskMain.webhookTransport, let openOutbox = FrontdeskMain.openOutbox,
              let openDatabase = FrontdeskMain.openDatabase else {
            try DeliverCommand.execDeliverBinary(FrontdeskMain.seams.deliverPostgresExecutable)
        }
        guard let config, !config.isEmpty else {
            throw CLIError.usage("--config DIR is needed with a postgresql:// store: the directory holding the deliverer's hooks/ and webhooks.json (docs/POSTGRES.md)")
        }
        let session = try StorageSession.open(global, for: .manageWebhooks, source: .system)
        let store = session.store
        // The sweep's own storage (``OutboxDeliverer/sweeper``), on the same URL.
        let sweeper: any BookingStorage
        do {
            sweeper = try openDatabase(global.data ?? "", BookingEngine(clock: session.clock))
        } catch let f as DatabaseSchema.Failure {
            throw CLIError.io(path: "--data", message: f.message)
        }
        let outbox: any SharedOutbox
        do {
            // The database's own storage, not the role-checking wrapper the session hands out:
            // the outbox opens a second connection to the same database.
            outbox = try openOutbox(StorageSession.opened ?? store)
        } catch let f as DatabaseSchema.Failure {
            throw CLIError.io(path: "--data", message: f.message)
        }
        var options = DeliveryOptions()
        options.hookTimeout = hookTimeout
        // Bodies name resources and customers as `show --json` does: the customers of the
        // events' bookings and waitlist entries are read as they are needed.
        let render: EventEnvelope.DataRenderer = { e in
            for id in [e.booking?.customer, e.waitlistEntry?.customer].compactMap({ $0 }) where store.state.customers[id] == nil {
                _ = try? store.customer(id: id)
            }
            return EventData.render(e, state: store.state)
        }
        let deliverer = OutboxDeliverer(outbox: outbox, storage: store, sweeper: sweeper, directory: config, data: global.data ?? "", clock: session.clock,
                                        transport: SocketHTTPTransport(secure: makeTransport()), render: render, options: options)
        print(try deliverer.runOnce())
        guard follow else { return }
        let wake = Wakeup()
        let sub = store.subscribe { wake.signal() }
        defer { withExtendedLifetime(sub) {} }
        while true {
            // Commits wake us at once (LISTEN); retries, jobs another deliverer held back and
            // the time-driven sweep at least every 15 s.
            let untilDue = try deliverer.nextDue().map { Double(max(0, ($0 - session.clock.now()).seconds)) } ?? 15
            wake.wait(timeout: min(15, max(0.2, untilDue)))
            print(try deliverer.runOnce())
        }
    }
}
