import Foundation
import Testing
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Roles end to end, with real OS users created by the test (the tests run as root) and
/// removed afterwards: a viewer lists and shows but cannot book; desk books and cancels within
/// policy but `--override` is refused; a manager overrides; an admin grants; an account with no
/// role is refused, naming who can grant one; group grants count; a viewer sees contact
/// details only when granted.
@Suite(.serialized) struct RolesCLITests {
    /// `frontdesk ARGS` as `user` (its own group, and the store's group as a supplementary one),
    /// with its exit code and output.
    static func run(as user: String, data: String, _ args: [String]) throws -> ChildProcess.Result {
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = data
        env["FRONTDESK_NOW"] = "2027-03-01T08:00:00Z"
        env["TZ"] = "Europe/London"
        env["HOME"] = "/tmp"
        return try ChildProcess.run("/usr/bin/setpriv", [
            "--reuid", user, "--regid", user == "root" ? "root" : String(getpwnam(user)!.pointee.pw_gid), "--init-groups", "--",
            CLIHarness.binary,
        ] + args, environment: env)
    }

    @Test func everyRoleDoesWhatItMayAndNoMore() throws {
        let os = try OSAccounts()
        defer { os.remove() }
        let viewer = try os.addWithOwnGroup("v", inGroup: true), desk = try os.addWithOwnGroup("d", inGroup: true)
        let manager = try os.addWithOwnGroup("m", inGroup: true), admin = try os.addWithOwnGroup("a", inGroup: true)
        let nobody = try os.addWithOwnGroup("n", inGroup: true)
        let base = NSTemporaryDirectory() + "frontdesk-roles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let data = base + "/data"
        func root(_ args: [String]) throws -> ChildProcess.Result { try Self.run(as: "root", data: data, args) }

        let made = try root(["init", "--group", os.group])
        #expect(made.code == 0 && made.out.contains("root") && made.out.contains("members of group \(os.group) are desk"), "\(made.out) \(made.err)")
        #expect(try root(["resource", "add", "--name", "Chair 1", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"]).code == 0)
        #expect(try root(["staff", "remove", "--group", os.group]).code == 0)
        for (u, r) in [(viewer, "viewer"), (desk, "desk"), (manager, "manager"), (admin, "admin")] {
            let g = try root(["staff", "add", u, "--role", r])
            #expect(g.code == 0, "\(g.err)")
        }

        // No role: refused with 77, naming the admins and the command that grants one.
        let none = try Self.run(as: nobody, data: data, ["list"])
        #expect(none.code == 77, "\(none.err)")
        #expect(none.err.contains("\(nobody) has no role") && none.err.contains(admin) && none.err.contains("staff add \(nobody) --role viewer"), "\(none.err)")
        let noneJSON = try Self.run(as: nobody, data: data, ["list", "--json"])
        #expect(noneJSON.out.contains(#""code":"not_permitted""#), "\(noneJSON.out)")

        // Desk books and cancels within policy; an override is refused before anything is stored.
        let booked = try Self.run(as: desk, data: data, ["book", "--resource", "Chair 1", "--start", "2027-03-02 10:00", "--duration", "30m",
                                                         "--new-customer", "Ann Lee", "--phone", "+44 7700 900123", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        let ref = try #require(booked.out.firstMatch(of: /"ref" *: *"(B-[0-9A-Z]+)"/)?.1).description
        let saturday = ["book", "--resource", "Chair 1", "--start", "2027-03-06 10:00", "--duration", "30m", "--block", "stock take"]
        let deskOverride = try Self.run(as: desk, data: data, saturday + ["--override", "owner asked"])
        #expect(deskOverride.code == 77 && deskOverride.err.contains("\(desk) is desk and may not override a policy: that needs manager"), "\(deskOverride.err)")
        #expect(try Self.run(as: desk, data: data, saturday).code == 5, "without the override, the policy refuses")
        let second = try Self.run(as: desk, data: data, ["book", "--resource", "Chair 1", "--start", "2027-03-03 10:00", "--duration", "30m", "--block", "x", "--json"])
        let ref2 = try #require(second.out.firstMatch(of: /"ref" *: *"(B-[0-9A-Z]+)"/)?.1).description
        #expect(try Self.run(as: desk, data: data, ["cancel", ref2, "--reason", "not needed"]).code == 0)
        let deskResource = try Self.run(as: desk, data: data, ["resource", "add", "--name", "Chair 2", "--tz", "UTC"])
        #expect(deskResource.code == 77 && deskResource.err.contains("manager"), "\(deskResource.err)")

        // A manager overrides.
        let managed = try Self.run(as: manager, data: data, saturday + ["--override", "owner asked"])
        #expect(managed.code == 0, "\(managed.err)")
        let staffByManager = try Self.run(as: manager, data: data, ["staff", "add", nobody, "--role", "desk"])
        #expect(staffByManager.code == 77 && staffByManager.err.contains("needs admin"), "\(staffByManager.err)")

        // A viewer lists and shows, but cannot book; no phone number without the contact flag.
        let listed = try Self.run(as: viewer, data: data, ["list", "--from", "2027-03-01", "--to", "2027-03-08"])
        #expect(listed.code == 0 && listed.out.contains(ref), "\(listed.err)")
        let shown = try Self.run(as: viewer, data: data, ["show", ref])
        #expect(shown.code == 0 && shown.out.contains("Ann Lee") && !shown.out.contains("7700"), "\(shown.out) \(shown.err)")
        let customers = try Self.run(as: viewer, data: data, ["customer", "list"])
        #expect(customers.code == 0 && customers.out.contains("Ann Lee") && !customers.out.contains("7700"), "\(customers.out)")
        let byPhone = try Self.run(as: viewer, data: data, ["customer", "list", "--search", "+44 7700 900123"])
        #expect(!byPhone.out.contains("Ann Lee"), "a phone number finds no one for a viewer: \(byPhone.out)")
        let viewerBook = try Self.run(as: viewer, data: data, ["book", "--resource", "Chair 1", "--start", "2027-03-02 12:00", "--duration", "30m", "--block", "x"])
        #expect(viewerBook.code == 77 && viewerBook.err.contains("\(viewer) is viewer and may not book: that needs desk"), "\(viewerBook.err)")
        #expect(try Self.run(as: viewer, data: data, ["cancel", ref, "--reason", "x"]).code == 77)

        // An admin grants; contact details for a viewer; unknown accounts are named.
        #expect(try Self.run(as: admin, data: data, ["staff", "add", viewer, "--role", "viewer", "--contact"]).code == 0)
        let withContact = try Self.run(as: viewer, data: data, ["customer", "list"])
        #expect(withContact.out.contains("7700"), "\(withContact.out)")
        let unknown = try Self.run(as: admin, data: data, ["staff", "add", os.group + "zzz", "--role", "desk"])
        #expect(unknown.code == 65 && unknown.err.contains(os.group + "zzz"), "\(unknown.err)")
        let unknownGroup = try Self.run(as: admin, data: data, ["staff", "add", "--group", os.group + "zzz", "--role", "desk"])
        #expect(unknownGroup.code == 65 && unknownGroup.err.contains(os.group + "zzz"), "\(unknownGroup.err)")

        // Group grants: the highest of the account's own grant and its groups' counts.
        #expect(try Self.run(as: admin, data: data, ["staff", "add", nobody, "--role", "viewer"]).code == 0)
        #expect(try Self.run(as: nobody, data: data, ["book", "--resource", "Chair 1", "--start", "2027-03-04 10:00", "--duration", "30m", "--block", "x"]).code == 77)
        #expect(try Self.run(as: admin, data: data, ["staff", "add", "--group", os.group, "--role", "desk"]).code == 0)
        let viaGroup = try Self.run(as: nobody, data: data, ["book", "--resource", "Chair 1", "--start", "2027-03-04 10:00", "--duration", "30m", "--block", "x"])
        #expect(viaGroup.code == 0, "\(viaGroup.err)")
        let show = try Self.run(as: nobody, data: data, ["staff", "show", "--json"])
        #expect(show.out.contains(#""role":"desk""#) && show.out.contains("group \(os.group): desk") && show.out.contains("\(nobody): viewer"), "\(show.out)")

        // The last admin stays.
        #expect(try Self.run(as: admin, data: data, ["staff", "remove", "root"]).code == 0)
        let last = try Self.run(as: admin, data: data, ["staff", "remove", admin])
        #expect(last.code == 77 && last.err.contains("last admin"), "\(last.err)")
        let list = try Self.run(as: viewer, data: data, ["staff", "list", "--json"])
        #expect(list.code == 0 && list.out.contains(admin) && !list.out.contains(#""name":"root""#), "\(list.out)")
    }
}
