import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskCore

/// `resource --tag`, `service add|edit|list|show|archive`, `free --service` and
/// `book --service` through the test host, with their exit codes; amounts parsed without
/// floating point.
@Suite struct ServiceCLITests {
    /// A salon: two stylists (Mon-Fri 09:00-17:00), a chair, a customer.
    static func salon(_ cli: CLIHarness) throws {
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        for (name, tags) in [("Ana", ["stylist", "Colour"]), ("Ben", ["stylist"]), ("Chair 1", ["chair"])] {
            let r = try cli.run(["resource", "add", "--name", name, "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"]
                                + tags.flatMap { ["--tag", $0] })
            #expect(r.code == 0, "\(r.err)")
        }
        #expect(try cli.run(["customer", "add", "--name", "Zoë Müller"]).code == 0)
    }

    @Test func tagsShowInListShowAndJSON() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let show = try cli.run(["resource", "show", "Ana", "--json"])
        #expect(show.object["tags"] as? [String] == ["colour", "stylist"], "\(show.out)")
        #expect(try cli.run(["resource", "show", "Ana"]).out.contains("Tags          colour, stylist"))
        let list = try cli.run(["resource", "list"]).out
        #expect(list.contains("TAGS") && list.contains("colour,stylist"), "\(list)")
        let edit = try cli.run(["resource", "edit", "Ben", "--tag", "stylist", "--tag", "senior", "--json"])
        #expect(edit.object["tags"] as? [String] == ["senior", "stylist"])
        #expect(try cli.run(["resource", "edit", "Ben", "--no-tags", "--json"]).object["tags"] == nil)
        let bad = try cli.run(["resource", "edit", "Ben", "--tag", "two words"])
        #expect(bad.code == 65 && bad.err.contains("tag"), "\(bad.err)")
        let history = try cli.run(["history", "--entity", "resource"]).out
        #expect(history.contains("tags"), "\(history)")
    }

    @Test func theCatalogIsManaged() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let add = try cli.run(["service", "add", "Cut & blow-dry", "--duration", "45m", "--needs", "stylist", "--needs", "2xchair",
                               "--price", "38.00", "--deposit", "10", "--late-cancel-fee", "0.50", "--no-show-fee", "19.5", "--buffer-after", "10m", "--json"])
        #expect(add.code == 0, "\(add.err)")
        #expect(add.object["price"] as? Int == 3800 && add.object["deposit"] as? Int == 1000 && add.object["late_cancel_fee"] as? Int == 50)
        #expect(add.object["no_show_fee"] as? Int == 1950 && add.object["price_text"] as? String == "38.00" && add.object["version"] as? Int == 1)
        #expect((add.object["needs"] as? [[String: Any]])?.last?["count"] as? Int == 2)
        let dup = try cli.run(["service", "add", "CUT & BLOW-DRY", "--duration", "30m", "--needs", "stylist"])
        #expect(dup.code == 65 && dup.err.contains("already exists"), "\(dup.err)")
        for (args, code) in [(["--duration", "45m", "--needs", "stylist", "--price", "38.001"], 65), (["--duration", "45m", "--needs", "stylist", "--price=-1"], 65),
                             (["--duration", "45m", "--needs", "stylist", "--price", "1e3"], 65), (["--duration", "45m"], 64), (["--needs", "stylist"], 64),
                             (["--duration", "45m", "--needs", "0xchair"], 65), (["--duration", "45m", "--needs", "stylist", "--price", "1", "--deposit", "2"], 65)] {
            let r = try cli.run(["service", "add", "Other"] + args)
            #expect(r.code == Int32(code), "\(args): \(r.code) \(r.err)")
        }
        let show = try cli.run(["service", "show", "cut & blow-dry"]).out
        #expect(show.contains("Needs stylist") && show.contains("Ana, Ben") && show.contains("Needs 2 × chair") && show.contains("Chair 1"), "\(show)")
        let stale = try cli.run(["service", "edit", "Cut & blow-dry", "--duration", "1h", "--expect-version", "7"])
        #expect(stale.code == 4, "\(stale.err)")
        let edited = try cli.run(["service", "edit", "Cut & blow-dry", "--duration", "1h", "--price", "none", "--expect-version", "1", "--json"])
        #expect(edited.object["duration"] as? String == "1h" && edited.object["price"] is NSNull && edited.object["version"] as? Int == 2, "\(edited.out)")
        #expect(try cli.run(["service", "archive", "Cut & blow-dry"]).code == 0)
        #expect(try cli.run(["service", "list", "--json"]).array.isEmpty)
        let all = try cli.run(["service", "list", "--all"]).out
        #expect(all.contains("Cut & blow-dry (archived)"), "\(all)")
        #expect(try cli.run(["service", "archive", "Cut & blow-dry"]).code == 65)
        #expect(try cli.run(["service", "show", "Nothing"]).code == 6)
        let history = try cli.run(["history", "--entity", "service"]).out
        #expect(history.contains("created") && history.contains("archived") && history.contains("duration 45m → 1h"), "\(history)")
        let byName = try cli.run(["history", "--entity", "service", "--id", "cut & blow-dry", "--json"]).array
        #expect(byName.map { $0["action"] as? String ?? "" } == ["created", "updated", "archived"], "\(byName)")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func freeAndBookByService() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        #expect(try cli.run(["service", "add", "Cut", "--duration", "45m", "--needs", "stylist", "--buffer-after", "15m"]).code == 0)
        #expect(try cli.run(["service", "add", "Cut in a chair", "--duration", "30m", "--needs", "stylist", "--needs", "chair"]).code == 0)
        // Ana busy 09:00-10:00 on Tuesday.
        #expect(try cli.run(["book", "--resource", "Ana", "--start", "2027-03-02 09:00", "--duration", "1h", "--block", "training"]).code == 0)
        let free = try cli.run(["free", "--service", "Cut", "--from", "2027-03-02 09:00", "--to", "2027-03-02 11:00", "--json"]).array
        #expect(free.map { $0["start_local"] as? String ?? "" }.first?.hasPrefix("2027-03-02T09:00") == true, "\(free)")
        #expect(free.first?["resource_names"] as? [String] == ["Ben"])
        // Before 10:00 the only stylist free is Ben; from 10:00 Ana, first by reference.
        #expect(free.first { ($0["start_local"] as? String)?.hasPrefix("2027-03-02T09:45") == true }?["resource_names"] as? [String] == ["Ben"], "\(free)")
        #expect(free.first { ($0["start_local"] as? String)?.hasPrefix("2027-03-02T10:00") == true }?["resource_names"] as? [String] == ["Ana"], "\(free)")
        #expect(free.count == 6, "09:00 … 10:15 by 15 minutes, each 45m inside the window: \(free.count)")
        let both = try cli.run(["free", "--service", "Cut in a chair", "--from", "2027-03-02 09:00", "--to", "2027-03-02 10:00", "--json"]).array
        #expect(both.first?["resource_names"] as? [String] == ["Ben", "Chair 1"], "\(both)")

        let booked = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 09:00", "--customer", "Zoë Müller", "--idempotency-key", "k1", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        #expect(booked.object["resource_name"] as? String == "Ben" && (booked.object["end"] as? String)?.hasSuffix("09:45:00Z") == true, "\(booked.out)")
        let again = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 09:00", "--customer", "Zoë Müller", "--idempotency-key", "k1", "--json"])
        #expect(again.code == 0 && again.object["replayed"] as? Bool == true && again.object["id"] as? String == booked.object["id"] as? String, "\(again.out) \(again.err)")
        // The customer saw Ben last: at 11:00, with both free, Ben is chosen.
        let next = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 11:00", "--customer", "Zoë Müller", "--json"])
        #expect(next.object["resource_name"] as? String == "Ben", "\(next.out) \(next.err)")
        // A fixed resource.
        let fixed = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 13:00", "--customer", "Zoë Müller", "--resource", "Ana", "--json"])
        #expect(fixed.object["resource_name"] as? String == "Ana", "\(fixed.err)")
        let wrong = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 14:00", "--customer", "Zoë Müller", "--resource", "Chair 1"])
        #expect(wrong.code == 65 && wrong.err.contains("fills none"), "\(wrong.err)")
        let closed = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 16:30", "--customer", "Zoë Müller"])
        // Both stylists are free but for the hours: the refusal is the hours rule (a policy, 5),
        // naming the stylist tried first and the buffered time, not "no free combination".
        #expect(closed.code == 5 && closed.err.contains(" is closed for part of") && closed.err.contains("16:30")
                && !closed.err.contains("no free combination"), "\(closed.err)")
        // With a stylist busy at a time the hours allow, the requirement is what cannot be met.
        #expect(try cli.run(["book", "--resource", "Ben", "--start", "2027-03-03 09:00", "--duration", "1h", "--block", "training"]).code == 0)
        #expect(try cli.run(["book", "--resource", "Ana", "--start", "2027-03-03 09:00", "--duration", "1h", "--block", "training"]).code == 0)
        let busy = try cli.run(["book", "--service", "Cut", "--start", "2027-03-03 09:00", "--customer", "Zoë Müller"])
        #expect(busy.code == 3 && busy.err.contains("no free combination") && busy.err.contains("stylist"), "\(busy.err)")
        // A service of two requirements books one booking holding a stylist and the chair.
        let several = try cli.run(["book", "--service", "Cut in a chair", "--start", "2027-03-02 15:00", "--customer", "Zoë Müller", "--json"])
        #expect(several.code == 0, "\(several.err)")
        let names = several.object["resource_names"] as? [String] ?? []
        #expect(names.count == 2 && names.contains("Chair 1"), "\(several.out)")
        #expect(try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 15:00", "--duration", "1h", "--customer", "Zoë Müller"]).code == 64)
        #expect(try cli.run(["book", "--start", "2027-03-02 15:00", "--duration", "1h", "--customer", "Zoë Müller"]).code == 64)
        #expect(try cli.run(["free", "--service", "Cut", "--resource", "Ana", "--from", "2027-03-02 09:00", "--to", "2027-03-02 10:00"]).code == 64)
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func aBookingRecordsItsService() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let add = try cli.run(["service", "add", "Cut", "--duration", "45m", "--needs", "stylist", "--json"])
        let serviceID = add.object["id"] as? String ?? ""
        #expect(serviceID.hasPrefix("svc_"), "\(add.out)")
        let booked = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 09:00", "--customer", "Zoë Müller", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        #expect(booked.object["service"] as? String == serviceID && booked.object["service_name"] as? String == "Cut", "\(booked.out)")
        let ref = booked.object["ref"] as? String ?? "?"
        let show = try cli.run(["show", ref]).out
        #expect(show.contains("Service         Cut (\(serviceID))"), "\(show)")
        #expect(show.contains("service Cut"), "the creation is recorded with its service: \(show)")
        let listed = try cli.run(["list", "--from", "2027-03-02", "--to", "2027-03-03", "--json"]).array
        #expect(listed.first { $0["ref"] as? String == ref }?["service"] as? String == serviceID, "\(listed)")
        // A booking of plain resources names no service, in JSON or text.
        let plain = try cli.run(["book", "--resource", "Ben", "--start", "2027-03-02 13:00", "--duration", "30m", "--customer", "Zoë Müller", "--json"])
        #expect(plain.code == 0 && plain.object["service"] == nil && plain.object["service_name"] == nil, "\(plain.out)")
        #expect(try !cli.run(["show", plain.object["ref"] as? String ?? "?"]).out.contains("Service"))
        // Renaming the service shows the new name; the booking keeps the id.
        #expect(try cli.run(["service", "edit", "Cut", "--name", "Cut & finish"]).code == 0)
        #expect(try cli.run(["show", ref, "--json"]).object["service_name"] as? String == "Cut & finish")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func aServiceWaitsForAWholeCombination() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        #expect(try cli.run(["service", "add", "Cut in a chair", "--duration", "30m", "--needs", "stylist", "--needs", "chair"]).code == 0)
        let chairBusy = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-02 09:00", "--duration", "1h", "--block", "repair", "--json"])
        #expect(chairBusy.code == 0, "\(chairBusy.err)")
        let add = try cli.run(["waitlist", "add", "--customer", "Zoë Müller", "--service", "Cut in a chair", "--from", "2027-03-02 09:00",
                               "--to", "2027-03-02 10:00", "--json"])
        #expect(add.code == 0 && add.object["service_name"] as? String == "Cut in a chair", "\(add.out)\(add.err)")
        #expect(try cli.run(["waitlist", "list"]).out.contains("service Cut in a chair"))
        #expect(try cli.run(["waitlist", "add", "--customer", "Zoë Müller", "--service", "Cut in a chair", "--resource", "Ana",
                             "--from", "2027-03-02 09:00", "--to", "2027-03-02 10:00"]).code == 64)
        let ref = add.object["ref"] as? String ?? "?"
        #expect(try cli.run(["waitlist", "book", ref]).code != 0, "the chair is still taken")
        #expect(try cli.run(["cancel", chairBusy.object["ref"] as? String ?? "?", "--reason", "fixed"]).code == 0)
        let events = try cli.run(["events", "--json"]).out
        #expect(events.contains("waitlist.slot_opened"), "\(events)")
        let booked = try cli.run(["waitlist", "book", ref, "--json"])
        #expect(booked.code == 0 && booked.out.contains(#""service_name":"Cut in a chair""#) && booked.out.contains("Chair 1"), "\(booked.out)\(booked.err)")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func amountsAreInTheStoresCurrency() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "JPY"]).code == 0)
        #expect(try cli.run(["resource", "add", "--name", "Ana", "--tz", "UTC", "--tag", "stylist"]).code == 0)
        let yen = try cli.run(["service", "add", "Cut", "--duration", "45m", "--needs", "stylist", "--price", "4800", "--json"])
        #expect(yen.object["price"] as? Int == 4800 && yen.object["price_text"] as? String == "4800", "\(yen.out) \(yen.err)")
        let decimals = try cli.run(["service", "add", "Trim", "--duration", "15m", "--needs", "stylist", "--price", "12.50"])
        #expect(decimals.code == 65 && decimals.err.contains("price"), "\(decimals.err)")
        let none = CLIHarness()
        defer { none.cleanup() }
        #expect(try none.run(["init"]).code == 0)
        #expect(try none.run(["resource", "add", "--name", "Ana", "--tz", "UTC", "--tag", "stylist"]).code == 0)
        let unpriced = try none.run(["service", "add", "Cut", "--duration", "45m", "--needs", "stylist", "--json"])
        #expect(unpriced.code == 0 && unpriced.object["price"] is NSNull, "\(unpriced.err)")
        let priced = try none.run(["service", "add", "Trim", "--duration", "15m", "--needs", "stylist", "--price", "10"])
        #expect(priced.code == 65 && priced.err.contains("no currency"), "\(priced.err)")
    }
}
