import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Backups taken while real writer processes (`frontdesk-storetool book-until`) keep booking.
@Suite(.serialized) struct BackupProcessTests {
    /// Four writers book continuously (compacting every 40 records, so generations come and
    /// go during the backups); a full and then an incremental backup are taken meanwhile. Each
    /// restored store passes `check` and holds exactly the bookings acknowledged in records up
    /// to its backup's last sequence.
    @Test func backupsWhileFourWritersBookHoldExactlyWhatWasAcknowledgedUpToTheirSequence() throws {
        let dir = Support.tempDir("backup-writers")
        defer { Support.remove(dir) }
        let (_, r) = try Support.newStore(dir)
        let dest = dir + "-dest", stop = dir + "-stop"
        defer { Support.remove(dest); Support.remove(stop) }
        var procs: [(Process, String)] = []
        for w in 0..<4 {
            let out = dir + "-w\(w).out"
            procs.append((try Support.spawn(["book-until", dir, r.rawValue, String(w), stop], output: out, compactAfter: 40), out))
        }
        defer { for (_, out) in procs { Support.remove(out) } }
        func acknowledged() -> [(id: String, seq: UInt64)] {
            procs.flatMap { Support.lines($0.1) }.compactMap { line in
                let p = line.split(separator: " ")
                guard p.count == 3, p[0] == "ACK", let seq = UInt64(p[2]) else { return nil }
                return (String(p[1]), seq)
            }
        }
        #expect(Support.eventually { acknowledged().count >= 60 })
        let backupStore = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let full = try backupStore.backup(to: dest, incremental: true)
        #expect(Support.eventually { acknowledged().count >= 200 })
        let incremental = try backupStore.backup(to: dest, incremental: true)
        #expect(incremental.previous == full.name)
        #expect(Support.eventually { acknowledged().contains { $0.seq > incremental.lastSequence + 20 } }, "writers went on")
        FileManager.default.createFile(atPath: stop, contents: nil)
        for (p, _) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let acks = acknowledged()

        for (report, into) in [(full, dir + "-r-full"), (incremental, dir + "-r-incr")] {
            defer { Support.remove(into) }
            let restored = try StoreRestore.restore(from: report.path, into: into, target: .latest, clock: FixedClock(Support.now),
                                                    options: Support.options())
            #expect(restored.lastSequence == report.lastSequence)
            let store = try Support.reopen(into)
            #expect(store.check().ok)
            let held = Set(store.state.bookings.keys.map(\.rawValue))
            let expected = Set(acks.filter { $0.seq <= report.lastSequence }.map(\.id))
            #expect(held == expected, "backup \(report.name): \(held.subtracting(expected).count) extra, \(expected.subtracting(held).count) missing")
            #expect(restored.bookings == expected.count)
        }
    }
}
