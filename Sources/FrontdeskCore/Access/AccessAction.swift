/// Everything a front end can do with a store, each checked by ``Access/authorize(_:_:_:)``
/// before it touches the store.
///
/// Reads are actions too: a viewer may read the diary but not, without the contact flag,
/// customers' phone numbers and e-mail addresses.
public enum AccessAction: String, Hashable, Sendable, CaseIterable {
    /// The diary: resources, schedules, bookings, free time (`list`, `show`, `free`, the grid).
    case readDiary
    /// Customers' phone numbers and e-mail addresses.
    case readContactDetails
    /// A booking's or an entity's history (`show`'s history, `history`).
    case readHistory
    /// A store check (`check`): reads every file, changes nothing.
    case checkStore
    /// A new booking or series within policy.
    case book
    /// Moving a booking within policy (`reschedule`, the grid's move).
    case move
    /// Cancelling a booking within policy.
    case cancel
    /// Changing a booking's status along the state machine (`confirm`, `complete`, `no-show`),
    /// its notes or customer, or undoing one's own change.
    case changeStatus
    /// Letting a booking, move or cancellation past a policy refusal with a reason (`--override`).
    case overridePolicy
    /// Correcting a mistaken `completed`, `no_show` or `cancelled` status.
    case correctStatus
    /// Adding and editing customers.
    case manageCustomers
    /// Merging one customer into another (`customer merge`): moves bookings and payments.
    case mergeCustomers
    /// Erasing a customer's details on request (`customer erase`, the right to erasure).
    case eraseCustomers
    /// Adding, editing and archiving resources.
    case manageResources
    /// Adding and editing shared schedules (hours, one-date overrides).
    case manageSchedules
    /// Adding and removing blackouts.
    case manageBlackouts
    /// Services (what is booked and for how long).
    case manageServices
    /// Adding, booking and removing waitlist entries.
    case manageWaitlist
    /// Webhooks, delivery of events and redelivery.
    case manageWebhooks
    /// Reading the event stream (`events`).
    case readEvents
    /// Granting and removing roles.
    case manageStaff
    /// Store settings.
    case manageSettings
    /// Recording a payment against a booking (`pay`).
    case takePayment
    /// Recording a refund owed back to a customer (`refund`).
    case refund
    /// Setting or overriding a booking's price by hand, with a reason (`book --price`, `price`).
    case setPrice
    /// Importing bookings (`import`), past history included.
    case importBookings
    /// Exporting bookings (`export`).
    case exportBookings
    /// Compaction on request (`compact`).
    case compact
    /// Rebuilding a damaged store (`repair`).
    case repair
    /// The store's health at a glance (`status`): sizes, journal, retention, delivery, disk.
    case readStatus
    /// Writing systemd units that run the store's services (`install-service`).
    case installService
    /// Creating, listing and revoking the HTTP API's bearer tokens (`token add|list|revoke`).
    case manageTokens
    /// Running the HTTP API server (`server`), which acts for each token with the token's role.
    case serveAPI
    /// Copying the whole store, history and keys included, to a backup (`backup`).
    case backup
    /// Building a store from a backup (`restore`), judged by the role the backup's staff give.
    case restore
    /// Utilisation, no-show and cancellation reports (`report utilisation|no-shows|cancellations`):
    /// figures a viewer could count from the diary.
    case readReports
    /// Reports of money (`report takings|services`).
    case readTakings

    /// The least role that may take the action: every higher role may too.
    public var leastRole: Role {
        switch self {
        case .readDiary, .readHistory, .checkStore, .readStatus: .viewer
        // Any desk's write may start a compaction, so asking for one takes no more.
        case .readContactDetails, .book, .move, .cancel, .changeStatus, .manageCustomers, .compact, .takePayment: .desk
        case .overridePolicy, .correctStatus, .manageResources, .manageSchedules, .manageBlackouts, .manageServices,
             .manageWaitlist, .manageWebhooks, .readEvents, .importBookings, .exportBookings, .refund, .setPrice, .serveAPI,
             .backup, .restore, .mergeCustomers, .eraseCustomers:
            .manager
        case .manageStaff, .manageSettings, .repair, .installService, .manageTokens: .admin
        case .readReports: .viewer
        case .readTakings: .manager
        }
    }

    /// Words for messages: "book", "override a policy", "manage staff".
    public var phrase: String {
        switch self {
        case .readDiary: "read the diary"
        case .readContactDetails: "read customers' contact details"
        case .readHistory: "read history"
        case .checkStore: "check the store"
        case .book: "book"
        case .move: "move bookings"
        case .cancel: "cancel bookings"
        case .changeStatus: "change a booking's status"
        case .overridePolicy: "override a policy"
        case .correctStatus: "correct a status"
        case .manageCustomers: "add or edit customers"
        case .mergeCustomers: "merge customers"
        case .eraseCustomers: "erase customers' details"
        case .manageResources: "manage resources"
        case .manageSchedules: "manage schedules"
        case .manageBlackouts: "manage blackouts"
        case .manageServices: "manage services"
        case .manageWaitlist: "manage the waitlist"
        case .manageWebhooks: "manage webhooks and delivery"
        case .readEvents: "read the event stream"
        case .manageStaff: "manage staff"
        case .manageSettings: "change store settings"
        case .takePayment: "take payments"
        case .refund: "record refunds"
        case .setPrice: "set a booking's price"
        case .importBookings: "import bookings"
        case .exportBookings: "export bookings"
        case .compact: "compact the store"
        case .repair: "repair the store"
        case .readStatus: "read the store's status"
        case .installService: "install the store's services"
        case .manageTokens: "manage API tokens"
        case .serveAPI: "run the HTTP API server"
        case .backup: "back the store up"
        case .restore: "restore a store from a backup"
        case .readReports: "read reports"
        case .readTakings: "read takings reports"
        }
    }
}
