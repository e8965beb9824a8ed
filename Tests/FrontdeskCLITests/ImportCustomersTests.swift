import FrontdeskCore
import Testing
@testable import FrontdeskCLI

/// The import's map of customers answers as `Resolver.customer` would, and follows the
/// customers the import creates and those someone else adds.
@Suite struct ImportCustomersTests {
    let at = Instant(iso8601: "2027-03-01T09:00:00Z")!
    let desk = Author(user: "ana", origin: "desk", source: .cli)

    func adding(_ customers: [Customer], to state: inout BookingState) {
        var counters = state.counters
        counters.customers += customers.count
        state.apply(Transaction(at: at, actor: desk, mutations: customers.map(Mutation.customer) + [.counters(counters)]))
    }

    func customer(_ n: Int, _ name: String) -> Customer {
        Customer(id: CustomerID("cus_\(n)"), ref: "C-\(n)", name: name, phone: n == 2 ? "+44 1" : nil)
    }

    @Test func resolvesByIdReferenceAndNameOnceBuilt() throws {
        var state = BookingState()
        adding([customer(1, "Ann Lee"), customer(2, "Bob"), customer(3, "bob")], to: &state)
        var map = ImportCustomers()
        map.refresh(from: state)
        #expect(try map.resolve("cus_1", in: state) == CustomerID("cus_1"))
        #expect(try map.resolve(" c-1 ", in: state) == CustomerID("cus_1"))
        #expect(try map.resolve("ANN LEE", in: state) == CustomerID("cus_1"))
        #expect(try map.resolve("Nobody", in: state) == nil)
        #expect(throws: CoreError.ambiguous(kind: "customer", text: "BOB", candidates: ["C-2 Bob +44 1", "C-3 bob"])) {
            try map.resolve("BOB", in: state)
        }
    }

    @Test func learnsWhatTheImportCreatesAndRebuildsForOthers() throws {
        var state = BookingState()
        adding([customer(1, "Ann Lee")], to: &state)
        var map = ImportCustomers()
        map.refresh(from: state)
        // Created by the import's committed chunk: known without a rebuild.
        adding([customer(2, "Zed")], to: &state)
        map.add([customer(2, "Zed")], committedIn: state)
        #expect(try map.resolve("zed", in: state) == CustomerID("cus_2"))
        // Added by someone else between two chunks: found after the next refresh.
        adding([customer(3, "Yan")], to: &state)
        #expect(try map.resolve("yan", in: state) == nil)
        map.refresh(from: state)
        #expect(try map.resolve("yan", in: state) == CustomerID("cus_3"))
        // Renamed meanwhile: the old name no longer finds the customer.
        var renamed = customer(1, "Ann Park")
        renamed.version = 2
        state.apply(Transaction(at: at, actor: desk, mutations: [.customer(renamed)]))
        #expect(try map.resolve("ann lee", in: state) == nil)
        // What `add` cannot account for (a count that does not match) is rebuilt at the next refresh.
        adding([customer(4, "Xi"), customer(5, "Wu")], to: &state)
        map.add([customer(4, "Xi")], committedIn: state)
        map.refresh(from: state)
        #expect(try map.resolve("wu", in: state) == CustomerID("cus_5"))
        #expect(try map.resolve("ann park", in: state) == CustomerID("cus_1"))
    }
}
