import FrontdeskCore
import FrontdeskStore
import FrontdeskStoreTesting

extension StoreBench {
    /// `bench generate-scale DIR BOOKINGS CUSTOMERS KEYS RESOURCES`: a store for
    /// `Benchmarks/scale_vs_sqlite.py` holding BOOKINGS bookings, CUSTOMERS customers and KEYS
    /// live idempotency keys, on RESOURCES resources named `Room 0`, `Room 1`, ….
    ///
    /// The layout is fixed so the harness can compute free slots and names without reading
    /// the store: booking k sits on resource k / perResource (perResource = BOOKINGS /
    /// RESOURCES rounded up) in slot k % perResource, 30 minutes every `every` seconds
    /// (2 years / perResource, in whole minutes) from 2027-01-02T00:00Z; its customer is
    /// `Customer <k % CUSTOMERS, 7 digits>`, phone `+1555<7 digits>`, e-mail
    /// `customer<7 digits>@example.com`; key j (`seed-<7 digits>`) is bound to booking
    /// j % BOOKINGS. Keys are created now by the system clock, so they stay live for the
    /// retention period, as commands run with the real clock see them.
    ///
    /// Bookings, customers and keys go into one snapshot generation written in one pass
    /// (`Store.seedForBenchmark`), which lays them out as any compaction does; nothing is
    /// journaled. Prints one `key=value` line.
    ///
    /// - Complexity: O(BOOKINGS + CUSTOMERS + KEYS).
    static func generateScale(_ a: [String]) {
        guard a.count == 5, let nb = Int(a[1]), let nc = Int(a[2]), let nk = Int(a[3]), let nr = Int(a[4]),
              nb >= 0, nc >= 1, nk >= 0, nr >= 1, nk == 0 || nb > 0 else {
            fail("usage: bench generate-scale DIR BOOKINGS CUSTOMERS KEYS RESOURCES (CUSTOMERS and RESOURCES at least 1, BOOKINGS at least 1 when KEYS > 0)")
        }
        let t0 = seconds()
        let clock = SystemClock()
        let store: Store
        var rs: [ResourceID] = []
        do {
            store = try Store.create(at: a[0], clock: clock, options: storeOptions())
            for i in 0..<nr {
                rs.append(try store.write("add resource", .directory) { s, e throws(CoreError) in
                    try e.addResource(ResourceDraft(name: "Room \(i)", zone: .utc), in: s, by: actor)
                }.id)
            }
        } catch { fail("create: \(error)") }

        let ids = RandomIdentifierSource()
        let customers = (0..<nc).map { i in
            let digits = sevenDigits(i)
            return Customer(id: CustomerID("cus_" + ids.next()), ref: ShortReference.make(prefix: "C", number: i + 1),
                            name: "Customer \(digits)", phone: "+1555\(digits)", email: "customer\(digits)@example.com")
        }

        let perResource = max(1, (nb + nr - 1) / nr)
        let every = twoYears / Int64(perResource) / 60 * 60   // whole minutes, as a person books
        // Booking has no public memberwise initializer: plan one (not written) and copy it.
        let template: Booking
        do {
            template = try store.engine.book(BookingRequest(resource: rs[0], range: slot(0)), in: store.state, by: actor).value.bookings[0]
        } catch { fail("template: \(error)") }
        var bookings: [Booking] = []
        bookings.reserveCapacity(nb)
        for k in 0..<nb {
            var b = template
            b.id = BookingID("bk_" + ids.next())
            b.ref = ShortReference.make(prefix: "B", number: k + 1)
            b.resource = rs[k / perResource]
            b.range = slot(k % perResource, every: every)
            b.customer = customers[k % nc].id
            bookings.append(b)
        }
        let now = clock.now()
        let keys = (0..<nk).map { j in
            IdempotencyRecord(key: "seed-\(sevenDigits(j))", fingerprint: "seed \(j)", bookings: [bookings[j % nb].id], createdAt: now)
        }
        let made = seconds()
        do {
            try store.seedForBenchmark(bookings: bookings, bookingReferencesUpTo: nb, customers: customers, customerReferencesUpTo: nc,
                                       idempotencyKeys: keys)
        } catch { fail("seed: \(error)") }
        store.waitForBackgroundWork()
        print("generated_bookings=\(nb) customers=\(nc) keys=\(nk) resources=\(nr) every=\(every) "
              + "made_seconds=\(fmt(made - t0)) seconds=\(fmt(seconds() - t0)) peak_mb=\(fmt(peakMB()))")
    }

    /// `i` as at least seven decimal digits, zero-padded.
    static func sevenDigits(_ i: Int) -> String {
        let s = String(i)
        return s.count >= 7 ? s : String(repeating: "0", count: 7 - s.count) + s
    }
}
