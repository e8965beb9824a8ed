import Testing
@testable import FrontdeskCore

/// A customer created inside a booking passes the same checks as `addCustomer`.
@Suite struct NewCustomerTests {
    @Test func bookingWithANewCustomerRefusesABadEmailAndPlansNothing() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, customer: .new(name: "Carla Diaz", phone: "555-0199", email: "carla.example.com"),
                                 range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"))
        #expect(throws: CoreError.invalidInput(field: "email", message: "\"carla.example.com\" is not an e-mail address (expected name@example.com)")) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
        #expect(w.state.customers.isEmpty && w.state.bookings.isEmpty)
    }

    @Test func bookingWithANewCustomerKeepsPhoneAndEmail() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, customer: .new(name: "Carla Diaz", phone: " 555-0199 ", email: "carla@example.com"),
                                 range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"))
        let out = w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        let c = try #require(out.createdCustomer)
        #expect(c.phone == "555-0199" && c.email == "carla@example.com")
    }

    @Test func bookingWithANewCustomerRefusesAnOverlongPhone() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, customer: .new(name: "Carla Diaz", phone: String(repeating: "5", count: 41)),
                                 range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"))
        #expect(throws: CoreError.invalidInput(field: "phone", message: "is 41 characters long; at most 40 are allowed")) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
    }
}
