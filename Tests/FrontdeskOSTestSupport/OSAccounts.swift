import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Real OS accounts made for one test (the multi-user tests run as root) and removed by
/// ``remove()``: a group, members whose primary group it is, and users with a group of their
/// own who are in this group as well, or not at all.
package final class OSAccounts {
    /// The group's name: `fdt` and eight random hex digits; users are named after it.
    package let group: String
    /// The group's id.
    package let gid: UInt32
    /// Every user made so far.
    package private(set) var users: [String] = []

    /// A new group.
    package init() throws {
        group = "fdt" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try OSAccounts.run(["/usr/sbin/groupadd", group])
        guard let g = getgrnam(group) else { throw Failure(command: "getgrnam " + group) }
        gid = UInt32(g.pointee.gr_gid)
    }

    /// A user (`group` + `suffix`) whose primary group is the group.
    package func addMember(_ suffix: String) throws -> String {
        try add(group + suffix, ["-N", "-g", group])
    }

    /// A user with a primary group of its own (same name), in the group too when `inGroup` is set.
    package func addWithOwnGroup(_ suffix: String, inGroup: Bool) throws -> String {
        try add(group + suffix, ["-U"] + (inGroup ? ["-G", group] : []))
    }

    /// Removes every user (and a user's own group) and the group.
    package func remove() {
        for u in users {
            _ = try? OSAccounts.run(["/usr/sbin/userdel", u])
            if getgrnam(u) != nil { _ = try? OSAccounts.run(["/usr/sbin/groupdel", u]) }
        }
        _ = try? OSAccounts.run(["/usr/sbin/groupdel", group])
    }

    /// Starts `args` as `user` (its uid, the group as gid, its groups), standard output to the
    /// file `output`, standard error the test's own.
    package func spawn(as user: String, _ args: [String], output: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        p.arguments = ["--reuid", user, "--regid", group, "--init-groups", "--"] + args
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        p.standardError = FileHandle.standardError
        try p.run()
        return p
    }

    private func add(_ name: String, _ options: [String]) throws -> String {
        try OSAccounts.run(["/usr/sbin/useradd", "-M", "-s", "/bin/sh"] + options + [name])
        users.append(name)
        return name
    }

    /// Runs an administration command (`groupadd`, `useradd`, …), its output discarded.
    package static func run(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw Failure(command: args.joined(separator: " ")) }
    }

    /// A command that failed.
    package struct Failure: Error, CustomStringConvertible {
        package var command: String
        package var description: String { "failed: \(command)" }
    }
}
