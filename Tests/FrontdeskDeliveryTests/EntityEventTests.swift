import Foundation
import Testing
@testable import FrontdeskDelivery

/// Changes to resources, customers and webhooks reach webhooks as events like booking events,
/// their `data.change` as `history --json` prints the change.
@Suite struct EntityEventTests {
    @Test("resource.updated, customer.created and webhook.changed reach a webhook with the change in data")
    func entityEventsAreDelivered() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        try cli.seeded()
        let add = try cli.run(["webhook", "add", rx.url, "--events", "resource.updated,customer.created,webhook.changed", "--secret-stdin"], stdin: "k\n")
        #expect(add.code == 0, "\(add.err)")
        let edit = try cli.run(["resource", "edit", "Chair 1", "--name", "Chair One", "--buffer-after", "10m"])
        #expect(edit.code == 0, "\(edit.err)")
        #expect(try cli.run(["customer", "add", "--name", "Bo Chen", "--phone", "+44 7700 900999"]).code == 0)
        #expect(try cli.run(["deliver"]).code == 0)
        let types = rx.requests.map { $0.json["type"] as? String ?? "" }
        #expect(types == ["webhook.changed", "resource.updated", "customer.created"], "\(types)")
        let resource = try #require(rx.requests.first { $0.json["type"] as? String == "resource.updated" })
        let change = try #require((resource.json["data"] as? [String: Any])?["change"] as? [String: Any])
        #expect(change["entity"] as? String == "resource")
        #expect(change["action"] as? String == "updated")
        #expect(change["ref"] as? String == "R-001")
        #expect(change["changes"] as? [String] == ["name \"Chair 1\" → \"Chair One\"", "buffer after none → 10m"])
        #expect(change["version"] as? Int == 2)
        #expect((change["user"] as? String ?? "").isEmpty == false)
        let customer = try #require(rx.requests.first { $0.json["type"] as? String == "customer.created" })
        let created = try #require((customer.json["data"] as? [String: Any])?["change"] as? [String: Any])
        // Contact details are named as changed, never quoted into the log or the event.
        #expect(created["changes"] as? [String] == ["name \"Bo Chen\"", "phone added"])
    }
}
