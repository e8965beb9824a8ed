import Testing
@testable import FrontdeskCore

/// The one authorization check: every action against every role, the contact flag, where a
/// role comes from, and the actions a planned transaction takes.
@Suite struct AccessTests {
    static let alice = Author(user: "alice", source: .cli)

    /// The table the README prints: the least role of each action.
    static let table: [AccessAction: Role] = [
        .readDiary: .viewer, .readHistory: .viewer, .checkStore: .viewer,
        .readContactDetails: .desk, .book: .desk, .move: .desk, .cancel: .desk, .changeStatus: .desk, .manageCustomers: .desk,
        .overridePolicy: .manager, .correctStatus: .manager, .manageResources: .manager, .manageSchedules: .manager,
        .manageBlackouts: .manager, .manageServices: .manager, .manageWaitlist: .manager, .manageWebhooks: .manager,
        .readEvents: .manager, .importBookings: .manager, .exportBookings: .manager, .compact: .desk,
        .manageStaff: .admin, .manageSettings: .admin, .repair: .admin,
        .readStatus: .viewer, .installService: .admin,
        .takePayment: .desk, .refund: .manager, .setPrice: .manager,
        .manageTokens: .admin, .serveAPI: .manager,
        .backup: .manager, .restore: .manager,
        .readReports: .viewer, .readTakings: .manager,
        .mergeCustomers: .manager, .eraseCustomers: .manager,
    ]

    @Test func everyActionHasItsLeastRole() {
        #expect(Set(AccessAction.allCases) == Set(Self.table.keys))
        for a in AccessAction.allCases { #expect(a.leastRole == Self.table[a], "\(a)") }
    }

    @Test("every action × every role, and no role", arguments: AccessAction.allCases)
    func everyActionAgainstEveryRole(action: AccessAction) throws {
        let least = try #require(Self.table[action])
        for role in Role.allCases {
            let access = Access(user: "alice", role: role, admins: ["root"])
            if role >= least {
                try Access.authorize(Self.alice, access, action)
            } else {
                let e = #expect(throws: CoreError.self) { try Access.authorize(Self.alice, access, action) }
                #expect(e == .notPermitted(user: "alice", role: role, action: action, needed: least, admins: ["root"]))
                #expect(e?.category == .notPermitted)
                #expect(e?.description.contains(least.name) == true, "\(e?.description ?? "")")
                #expect(e?.description.contains(action.phrase) == true)
            }
        }
        let none = Access(user: "alice", role: nil, admins: ["carol", "group owners"])
        let e = #expect(throws: CoreError.self) { try Access.authorize(Self.alice, none, action) }
        let text = e?.description ?? ""
        #expect(text.contains("alice has no role") && text.contains("carol, group owners") && text.contains("staff add alice --role \(least.name)"), "\(text)")
    }

    @Test func contactDetailsForAViewerOnlyWithTheFlag() throws {
        #expect(!Access(user: "v", role: .viewer).allows(.readContactDetails))
        #expect(Access(user: "v", role: .viewer, contactDetails: true).allows(.readContactDetails))
        #expect(!Access(user: "v", role: .viewer, contactDetails: true).allows(.book))
        #expect(Access(user: "d", role: .desk).allows(.readContactDetails))
        #expect(!Access(user: "n", role: nil, contactDetails: true).allows(.readContactDetails))
    }

    @Test func aCustomerIsShownWithoutContactDetailsToWhoMayNotReadThem() {
        let c = Customer(id: CustomerID("c1"), ref: "C-001", name: "Ann Lee", phone: "+447700900123", email: "ann@example.com", notes: "likes tea")
        for access in [Access(user: "v", role: .viewer), Access(user: "n", role: nil, contactDetails: true)] {
            let shown = access.visible(c)
            #expect(shown.phone == nil && shown.email == nil, "\(access)")
            #expect(shown.name == "Ann Lee" && shown.notes == "likes tea" && shown.ref == "C-001")
        }
        #expect(Access(user: "d", role: .desk).visible(c) == c)
        #expect(Access(user: "v", role: .viewer, contactDetails: true).visible(c) == c)
    }

    static func grant(_ s: StaffSubject, _ r: Role?, contact: Bool = false) -> (StaffSubject, StaffGrant) {
        (s, StaffGrant(subject: s, role: r, contactDetails: contact, at: Instant(seconds: 0), by: alice))
    }

    @Test func theHighestOfOwnAndGroupGrants() {
        let staff = Dictionary(uniqueKeysWithValues: [
            Self.grant(.user("carol"), .admin), Self.grant(.user("bob"), .viewer, contact: true),
            Self.grant(.group("reception"), .desk), Self.grant(.group("managers"), .manager), Self.grant(.user("gone"), nil),
        ])
        let bob = Access.resolve(user: "bob", groups: ["reception"], isRoot: false, isOwner: false, staff: staff)
        #expect(bob.role == .desk && bob.contactDetails)
        #expect(bob.sources == ["bob: viewer with contact details", "group reception: desk"])
        #expect(bob.admins == ["carol"])
        let dan = Access.resolve(user: "dan", groups: ["reception", "managers"], isRoot: false, isOwner: false, staff: staff)
        #expect(dan.role == .manager)
        let gone = Access.resolve(user: "gone", groups: [], isRoot: false, isOwner: true, staff: staff)
        #expect(gone.role == nil, "a removed grant gives nothing, and an owner is admin only of a store without grants")
        let root = Access.resolve(user: "root", groups: [], isRoot: true, isOwner: false, staff: staff)
        #expect(root.role == .admin)
    }

    @Test func aStoreWithoutGrantsHasItsOwnerAsAdmin() {
        let owner = Access.resolve(user: "olga", groups: [], isRoot: false, isOwner: true, staff: [:])
        #expect(owner.role == .admin)
        let other = Access.resolve(user: "pat", groups: ["staff"], isRoot: false, isOwner: false, staff: [:])
        #expect(other.role == nil)
        #expect(other.admins == ["the owner of the store directory"])
    }

    // MARK: Planned transactions

    @Test func aTransactionIsJudgedByWhatItDoes() throws {
        var w = World()
        let schedule = try w.schedule()
        let room = try w.resource("Room", schedule: schedule)
        let ann = try w.customer("Ann Lee")
        func actions<T>(_ p: Planned<T>) -> Set<AccessAction> { Access.actions(of: p.transaction, before: w.state) }

        let book = try w.engine.book(BookingRequest(resource: room, customer: .existing(ann), range: World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")),
                                     in: w.state, by: w.desk)
        #expect(actions(book) == [.book])
        let overridden = try w.engine.book(BookingRequest(resource: room, range: World.r("2027-03-06T10:00:00Z", "2027-03-06T11:00:00Z"),
                                                          overrideReason: "Saturday opening"), in: w.state, by: w.desk)
        #expect(actions(overridden) == [.book, .overridePolicy])
        let withCustomer = try w.engine.book(BookingRequest(resource: room, customer: .new(name: "Bo Li"),
                                                            range: World.r("2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z")), in: w.state, by: w.desk)
        #expect(actions(withCustomer) == [.book, .manageCustomers])
        let b = w.commit(book).bookings[0]
        let moved = try w.engine.reschedule(b.id, to: World.r("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z"), in: w.state, by: w.desk)
        #expect(actions(moved) == [.move])
        let cancelled = try w.engine.cancel(b.id, reason: "ill", in: w.state, by: w.desk)
        #expect(actions(cancelled) == [.cancel])
        #expect(actions(try w.engine.addResource(ResourceDraft(name: "Chair", zone: .utc), in: w.state, by: w.desk)) == [.manageResources])
        #expect(actions(try w.engine.addCustomer(name: "Cy", in: w.state, by: w.desk)) == [.manageCustomers])
        #expect(actions(try w.engine.setStaff(.user("bob"), role: .desk, in: w.state, by: w.desk)) == [.manageStaff])

        let desk = Access(user: "alice", role: .desk, admins: ["root"])
        try Access.authorize(w.desk, desk, transaction: book.transaction, before: w.state)
        let e = #expect(throws: CoreError.self) { try Access.authorize(w.desk, desk, transaction: overridden.transaction, before: w.state) }
        #expect(e == .notPermitted(user: "alice", role: .desk, action: .overridePolicy, needed: .manager, admins: ["root"]))
    }

    @Test func aStatusCorrectionNeedsAManager() throws {
        var w = World(now: "2027-03-02T12:00:00Z")
        let room = try w.resource("Room")
        let b = try w.book(room, "2027-03-02T12:30:00Z", "2027-03-02T13:30:00Z")
        var done = b
        done.status = .completed
        var back = done
        back.status = .confirmed
        #expect(Access.actions(changing: b, to: done) == [.changeStatus])
        #expect(Access.actions(changing: done, to: back) == [.correctStatus])
        var noShow = b
        noShow.status = .noShow
        #expect(Access.actions(changing: noShow, to: back) == [.correctStatus])
    }

    // MARK: Staff changes

    @Test func staffGrantsAreVersionedAndTheLastAdminStays() throws {
        var w = World()
        let first = w.commit(try w.engine.setStaff(.user("carol"), role: .admin, in: w.state, by: w.desk))
        #expect(first.version == 1 && first.by == w.desk && first.at == w.clock.now())
        #expect(throws: CoreError.lastAdmin(subject: "carol")) { try w.engine.setStaff(.user("carol"), role: nil, in: w.state, by: w.desk) }
        #expect(throws: CoreError.lastAdmin(subject: "carol")) { try w.engine.setStaff(.user("carol"), role: .manager, in: w.state, by: w.desk) }
        w.commit(try w.engine.setStaff(.group("owners"), role: .admin, in: w.state, by: w.desk))
        let removed = w.commit(try w.engine.setStaff(.user("carol"), role: nil, in: w.state, by: w.desk))
        #expect(removed.version == 2 && removed.role == nil && !removed.isActive)
        let again = w.commit(try w.engine.setStaff(.user("carol"), role: .viewer, contactDetails: true, in: w.state, by: w.desk))
        #expect(again.version == 3 && again.contactDetails)
        #expect(throws: CoreError.notFound(kind: "staff grant for", id: "dan")) { try w.engine.setStaff(.user("dan"), role: nil, in: w.state, by: w.desk) }
        for bad in ["", "-x", "a b", "ünï", String(repeating: "a", count: 33), "x/y"] {
            #expect(throws: CoreError.self, "\(bad)") { try w.engine.setStaff(.user(bad), role: .desk, in: w.state, by: w.desk) }
        }
    }

    @Test func roleNames() {
        for r in Role.allCases { #expect(Role(name: r.name) == r) }
        #expect(Role(name: "Manager") == .manager)
        #expect(Role(name: "owner") == nil)
        #expect(Role.viewer < .desk && .desk < .manager && .manager < .admin)
    }
}
