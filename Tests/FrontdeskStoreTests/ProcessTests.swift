import Foundation
import Synchronization
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Real processes (`frontdesk-storetool`) sharing one store directory.
@Suite(.serialized) struct ProcessTests {
    /// (d) 16 processes race for the same free slot, round after round: exactly one wins each.
    @Test func sixteenProcessesRaceForOneSlot() throws {
        let dir = Support.tempDir("race")
        defer { Support.remove(dir) }
        let (_, r) = try Support.newStore(dir)
        let rounds = Support.stress ? 500 : 100
        let barrier = dir + "-go"
        defer { Support.remove(barrier) }
        var procs: [(Process, String)] = []
        for i in 0..<16 {
            let out = dir + "-race-\(i).out"
            procs.append((try Support.spawn(["race", dir, r.rawValue, String(rounds), barrier], output: out), out))
        }
        usleep(200_000)
        _ = FileManager.default.createFile(atPath: barrier, contents: nil)
        var wins: [Int: [String]] = [:]
        var refusals = 0
        for (p, out) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for line in Support.lines(out) {
                let parts = line.split(separator: " ")
                if parts[0] == "OK" { wins[Int(parts[1])!, default: []].append(String(parts[2])) }
                else if parts[0] == "NO" { refusals += 1 }
            }
            Support.remove(out)
        }
        for round in 0..<rounds { #expect(wins[round]?.count == 1, "round \(round): \(wins[round] ?? [])") }
        #expect(refusals == rounds * 15)
        let store = try Support.reopen(dir)
        let occupying = store.state.bookings.values.filter { $0.status.occupiesSlot }.sorted { $0.start < $1.start }
        #expect(occupying.count == rounds)
        for (a, b) in zip(occupying, occupying.dropFirst()) { #expect(!a.range.overlaps(b.range)) }
        #expect(Set(occupying.map(\.id.rawValue)) == Set(wins.values.flatMap { $0 }))
        #expect(store.check().ok)
    }

    /// (e) Four writers, one SIGKILLed at a random moment, many times: every acknowledged
    /// booking survives and the store opens clean.
    @Test func sigkillLoopLosesNothingAcknowledged() throws {
        let dir = Support.tempDir("kill")
        defer { Support.remove(dir) }
        let (_, r) = try Support.newStore(dir, options: Support.options(compactAfter: 400))
        let iterations = Support.stress ? 300 : 50
        var acknowledged: Set<String> = []
        var killedMidway = 0
        var writer = 0
        for it in 0..<iterations {
            var procs: [(Process, String)] = []
            for _ in 0..<4 {
                writer += 1
                let out = dir + "-w\(writer).out"
                // Compacting every 20 records: a kill often lands in a compaction (either phase).
                procs.append((try Support.spawn(["book-loop", dir, r.rawValue, String(writer), "15"], output: out, compactAfter: 20), out))
            }
            usleep(UInt32.random(in: 5_000...120_000))
            let victim = procs[Int.random(in: 0..<4)].0
            if victim.isRunning { kill(victim.processIdentifier, SIGKILL); killedMidway += 1 }
            for (p, out) in procs {
                p.waitUntilExit()
                if p !== victim { #expect(p.terminationStatus == 0, "iteration \(it): a writer failed") }
                for line in Support.lines(out) where line.hasPrefix("ACK ") { acknowledged.insert(String(line.dropFirst(4))) }
                Support.remove(out)
            }
            if it % 10 == 9 || it == iterations - 1 {
                let store = try Support.reopen(dir)
                #expect(!store.isReadOnly, "\(store.readOnlyReason ?? "")")
                let missing = acknowledged.filter { store.state.bookings[BookingID($0)] == nil }
                #expect(missing.isEmpty, "iteration \(it): lost \(missing.count) acknowledged bookings")
                let report = store.check()
                #expect(report.ok, "\(report.lines.filter { !$0.hasPrefix("ok") })")
            }
        }
        #expect(killedMidway > iterations / 2, "the victim had usually finished before the kill")
        #expect(acknowledged.count > iterations * 30)
    }

    /// (f) 8 processes × 100 version-checked changes to one booking: no lost update.
    @Test func noLostUpdates() throws {
        let dir = Support.tempDir("versions")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let b = try Support.book(store, r, Support.slot(0))
        let perProcess = Support.stress ? 300 : 100
        var procs: [(Process, String)] = []
        for i in 0..<8 {
            let out = dir + "-v\(i).out"
            procs.append((try Support.spawn(["version-loop", dir, b.id.rawValue, String(perProcess)], output: out), out))
        }
        var versions: [Int] = []
        var stale = 0
        for (p, out) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for line in Support.lines(out) {
                if line.hasPrefix("ACK ") { versions.append(Int(line.dropFirst(4))!) } else if line == "STALE" { stale += 1 }
            }
            Support.remove(out)
        }
        #expect(versions.count == 8 * perProcess)
        #expect(versions.sorted() == Array(2...(1 + 8 * perProcess)), "two writers produced the same version")
        #expect(stale > 0, "no writer ever saw a stale version: the race was not exercised")
        let after = try Support.reopen(dir)
        #expect(after.state.bookings[b.id]?.version == 1 + versions.count)
        #expect(after.state.bookings[b.id]?.history.count == 1 + versions.count)
    }

    /// (g) A write in another process reaches this one's subscription, and refresh applies it.
    @Test func crossProcessVisibility() throws {
        let dir = Support.tempDir("watch")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let signals = Counter()
        let sub = store.subscribe { signals.bump() }
        defer { sub.cancel() }
        #expect(!sub.isPolling)
        for round in 1...3 {
            let before = signals.value
            let out = dir + "-g.out"
            let p = try Support.spawn(["book-loop", dir, r.rawValue, String(round), "1"], output: out)
            p.waitUntilExit()
            let ack = Support.lines(out).first { $0.hasPrefix("ACK ") }.map { String($0.dropFirst(4)) }
            Support.remove(out)
            #expect(ack != nil)
            // Notified of the other process's acknowledged write.
            #expect(Support.eventually { signals.value > before }, "round \(round): no notification")
            #expect(try store.refresh())
            #expect(store.state.bookings[BookingID(ack ?? "")] != nil)
            #expect(try !store.refresh())
        }
    }

    final class Counter: Sendable {
        private let n = Mutex(0)
        func bump() { n.withLock { $0 += 1 } }
        var value: Int { n.withLock { $0 } }
    }
}
