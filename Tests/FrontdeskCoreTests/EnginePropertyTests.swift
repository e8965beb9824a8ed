import Testing
@testable import FrontdeskCore

/// Random sequences of book / cancel / reschedule / status changes, checked after every step
/// against a brute-force model: the engine accepts a booking exactly when a linear scan finds no
/// overlapping blocking booking on a related resource, and the state never holds two blocking
/// bookings that overlap.
@Suite struct EnginePropertyTests {
    struct Model {
        var blocking: [BookingID: (ResourceID, TimeRange)] = [:]
        func clashes(_ r: ResourceID, _ range: TimeRange, related: Set<ResourceID>, except: BookingID? = nil) -> Bool {
            blocking.contains { $0.key != except && related.contains($0.value.0) && $0.value.1.overlaps(range) }
        }
    }

    func attempt<T>(_ body: () throws(CoreError) -> T) -> Result<T, CoreError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }
    func isConflict(_ e: CoreError) -> Bool { if case .conflict = e { true } else { false } }

    @Test(arguments: [UInt64(1), 7, 42, 2027, 90210])
    func engineAgreesWithBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var w = World(now: "2027-03-01T00:00:00Z")
        let parent = try w.resource("Suite")
        var rooms = [parent]
        rooms.append(try w.resource("Suite A", parent: parent))
        rooms.append(try w.resource("Suite B", parent: parent))
        rooms.append(try w.resource("Room 4"))
        var model = Model()
        var ids: [BookingID] = []
        let base = World.t("2027-03-02T00:00:00Z")
        func randomRange() -> TimeRange {
            let start = base + .minutes(Int64(rng.next() % 200) * 15)
            return TimeRange(start: start, end: start + .minutes(Int64(1 + rng.next() % 8) * 15))
        }
        var accepted = 0, refused = 0
        for step in 0..<1500 {
            let op = rng.next() % 10
            if op < 5 || ids.isEmpty {
                let r = rooms[Int(rng.next() % UInt64(rooms.count))]
                let range = randomRange()
                let expectClash = model.clashes(r, range, related: Set(w.state.related(to: r)))
                switch attempt({ () throws(CoreError) in try w.engine.book(BookingRequest(resource: r, range: range), in: w.state, by: w.desk) }) {
                case .success(let p):
                    let b = w.commit(p).bookings[0]
                    #expect(!expectClash, "seed \(seed) step \(step): engine accepted an overlap")
                    model.blocking[b.id] = (r, range)
                    ids.append(b.id)
                    accepted += 1
                case .failure(let e):
                    #expect(isConflict(e) && expectClash, "seed \(seed) step \(step): engine refused a free slot: \(e)")
                    refused += 1
                }
            } else {
                let id = ids[Int(rng.next() % UInt64(ids.count))]
                let b = w.state.bookings[id]!
                switch op {
                case 5, 6:
                    if b.status.canMove(to: .cancelled) {
                        _ = w.commit(try w.engine.cancel(id, reason: "random", in: w.state, by: w.desk))
                        model.blocking[id] = nil
                    }
                case 7, 8:
                    guard !b.status.isFinal else { continue }
                    let range = randomRange()
                    let expectClash = model.clashes(b.resource, range, related: Set(w.state.related(to: b.resource)), except: id)
                    switch attempt({ () throws(CoreError) in try w.engine.reschedule(id, to: range, in: w.state, by: w.desk) }) {
                    case .success(let p):
                        _ = w.commit(p)
                        #expect(!expectClash, "seed \(seed) step \(step): reschedule into an overlap")
                        model.blocking[id] = (b.resource, range)
                    case .failure(let e):
                        #expect(isConflict(e) && expectClash, "seed \(seed) step \(step): reschedule refused a free slot: \(e)")
                    }
                default:
                    if b.status == .confirmed {
                        _ = w.commit(try w.engine.setStatus(id, to: .tentative, in: w.state, by: w.desk))
                    } else if b.status == .tentative {
                        _ = w.commit(try w.engine.setStatus(id, to: .confirmed, in: w.state, by: w.desk))
                    }
                }
            }
            if step % 100 == 99 {
                // The index holds exactly the blocking bookings, and none overlap their relatives.
                let blocking = w.state.bookings.values.filter { $0.blocks(at: w.clock.now()) }
                #expect(Set(blocking.map(\.id)) == Set(model.blocking.keys))
                // The calendar index answers exactly what a scan of every booking would.
                for r in rooms {
                    let window = randomRange()
                    let scan = w.state.bookings.values.filter { $0.resource == r && $0.range.overlaps(window) }
                        .sorted { ($0.start, $0.id) < ($1.start, $1.id) }.map(\.id)
                    #expect(w.state.bookings(on: r, overlapping: window).map(\.id) == scan)
                }
                for b in blocking {
                    #expect(w.state.intervals.contains(b.id, in: .blocking))
                    let related = Set(w.state.related(to: b.resource))
                    #expect(!blocking.contains { $0.id != b.id && related.contains($0.resource) && $0.range.overlaps(b.range) })
                }
            }
        }
        #expect(accepted > 100 && refused > 100, "the sequence exercised both outcomes (\(accepted) / \(refused))")
    }
}
