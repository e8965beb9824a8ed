import FrontdeskCore
import FrontdeskStore
import PostgresNIO

extension PostgresBookingStorage {
    /// Writes `tx`, planned against `planned`, as rows: reference data first, then bookings,
    /// then what refers to them, so every foreign key finds its row.
    ///
    /// - Throws: ``CoreError/staleVersion(id:expected:current:)`` when a booking changed since
    ///   it was read (`UPDATE … WHERE version = $n` touched no row), or a server error.
    func store(_ tx: Transaction, planned: BookingState) throws {
        func rank(_ m: Mutation) -> Int {
            switch m {
            case .setting: 0
            case .schedule: 1
            case .resource: 2
            case .service: 3
            case .customer: 4
            case .staff: 5
            case .counters: 6
            case .booking: 7
            case .waitlist: 8
            case .idempotencyKey, .forgetIdempotencyKey: 9
            case .audit: 10
            }
        }
        let ordered = tx.mutations.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        // The version each booking has in the database now: as planned, then as written here.
        var versions: [BookingID: Int] = [:]
        for m in ordered {
            let doc = try MutationDocument.text(m)
            switch m {
            case .setting(let v):
                try session.query("INSERT INTO settings (key, value) VALUES (\(v.name), \(doc)::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
            case .schedule(let v):
                try session.query("""
                    INSERT INTO schedules (id, name, body, version) VALUES (\(v.id.rawValue), \(v.name), \(doc)::jsonb, \(v.version))
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, body = EXCLUDED.body, version = EXCLUDED.version
                    """)
            case .resource(let r):
                try session.query("""
                    INSERT INTO resources (id, ref, name, kind, parent, zone, slot_length, schedule, buffer_before, buffer_after, tags, archived, version, doc)
                    VALUES (\(r.id.rawValue), \(r.ref), \(r.name), \(r.kind.description), \(r.parent?.rawValue), \(r.zone.identifier),
                            make_interval(secs => \(Double(r.slotLength.seconds))), \(r.schedule?.rawValue),
                            make_interval(secs => \(Double(r.policy.bufferBefore?.seconds ?? 0))), make_interval(secs => \(Double(r.policy.bufferAfter?.seconds ?? 0))),
                            \(r.tags), \(r.archived), \(r.version), \(doc)::jsonb)
                    ON CONFLICT (id) DO UPDATE SET ref = EXCLUDED.ref, name = EXCLUDED.name, kind = EXCLUDED.kind, parent = EXCLUDED.parent,
                        zone = EXCLUDED.zone, slot_length = EXCLUDED.slot_length, schedule = EXCLUDED.schedule, buffer_before = EXCLUDED.buffer_before,
                        buffer_after = EXCLUDED.buffer_after, tags = EXCLUDED.tags, archived = EXCLUDED.archived, version = EXCLUDED.version, doc = EXCLUDED.doc
                    """)
            case .service(let v):
                try session.query("""
                    INSERT INTO services (id, ref, name, duration, price_minor, body, archived, version)
                    VALUES (\(v.id.rawValue), \(v.id.rawValue), \(v.name), make_interval(secs => \(Double(v.duration.seconds))), \(v.price), \(doc)::jsonb, \(v.archived), \(v.version))
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, duration = EXCLUDED.duration, price_minor = EXCLUDED.price_minor,
                        body = EXCLUDED.body, archived = EXCLUDED.archived, version = EXCLUDED.version
                    """)
            case .customer(let c):
                try session.query("""
                    INSERT INTO customers (id, ref, name, phone, email, notes, tags, merged_into, erased, version, doc, keys)
                    VALUES (\(c.id.rawValue), \(c.ref), \(c.name), \(c.phone), \(c.email), \(c.notes), \(c.tags), \(c.mergedInto?.rawValue), \(c.erased),
                            \(c.version), \(doc)::jsonb, \(CustomerKey.keys(of: c)))
                    ON CONFLICT (id) DO UPDATE SET ref = EXCLUDED.ref, name = EXCLUDED.name, phone = EXCLUDED.phone, email = EXCLUDED.email,
                        notes = EXCLUDED.notes, tags = EXCLUDED.tags, merged_into = EXCLUDED.merged_into, erased = EXCLUDED.erased,
                        version = EXCLUDED.version, doc = EXCLUDED.doc, keys = EXCLUDED.keys
                    """)
                try session.query("DELETE FROM customer_name_keys WHERE customer = \(c.id.rawValue)")
                let names = Array(Set(CustomerKey.nameSearchKeys(folded: CustomerKey.foldedName(c.name))))
                if !names.isEmpty {
                    try session.query("INSERT INTO customer_name_keys (customer, key) SELECT \(c.id.rawValue), unnest(\(names))")
                }
            case .staff(let g):
                let subject: String
                switch g.subject {
                case .user(let n): subject = "user:" + n
                case .group(let n): subject = "group:" + n
                }
                try session.query("""
                    INSERT INTO staff (subject, role, version, doc) VALUES (\(subject), \(g.role?.name), \(g.version), \(doc)::jsonb)
                    ON CONFLICT (subject) DO UPDATE SET role = EXCLUDED.role, version = EXCLUDED.version, doc = EXCLUDED.doc
                    """)
            case .counters:
                try session.query("INSERT INTO counters (singleton, doc) VALUES (true, \(doc)::jsonb) ON CONFLICT (singleton) DO UPDATE SET doc = EXCLUDED.doc")
            case .booking(let b):
                try store(b, doc: doc, expected: versions[b.id] ?? planned.bookings[b.id]?.version, policy: planned.policy(for: b.resource))
                versions[b.id] = b.version
            case .waitlist(let w):
                try session.query("""
                    INSERT INTO waitlist (id, customer, body, version) VALUES (\(w.id.rawValue), \(w.customer.rawValue), \(doc)::jsonb, 1)
                    ON CONFLICT (id) DO UPDATE SET customer = EXCLUDED.customer, body = EXCLUDED.body, version = waitlist.version + 1
                    """)
            case .idempotencyKey(let r):
                // `response` is the stored first answer (JSON null when the caller keeps none).
                try session.query("""
                    INSERT INTO idempotency_keys (key, fingerprint, booking, response, created_at, doc)
                    VALUES (\(r.key), \(r.fingerprint), \(r.bookings.first?.rawValue), COALESCE(to_jsonb(\(r.response)::text), 'null'::jsonb),
                            to_timestamp(\(Double(r.createdAt.seconds))), \(doc)::jsonb)
                    ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, booking = EXCLUDED.booking,
                        response = EXCLUDED.response, created_at = EXCLUDED.created_at, doc = EXCLUDED.doc
                    """)
            case .forgetIdempotencyKey(let k):
                try session.query("DELETE FROM idempotency_keys WHERE key = \(k)")
            case .audit(let e):
                try session.query("""
                    INSERT INTO audit (at, actor, action, entry) VALUES (to_timestamp(\(Double(e.at.seconds))), \(MutationDocument.actor(e.actor))::jsonb,
                        \(e.action), \(doc)::jsonb)
                    """)
            }
        }
    }

    /// One booking's rows: its key, its month's partition, its row (inserted, or updated only
    /// from the version it was planned against) and the other resources it holds. The
    /// occupancy rows follow by trigger, with the buffers its home resource keeps.
    func store(_ b: Booking, doc: String, expected: Int?, policy: EffectivePolicy) throws {
        let before = Double(max(policy.bufferBefore.seconds, b.bufferBefore.seconds))
        let after = Double(max(policy.bufferAfter.seconds, b.bufferAfter.seconds))
        try session.query("SELECT frontdesk_ensure_month(to_timestamp(\(Double(b.start.seconds))))")
        let id = b.id.rawValue, start = Double(b.start.seconds), end = Double(b.end.seconds)
        let hold = b.holdExpiresAt.map { Double($0.seconds) }, cancelledAt = b.cancellation.map { Double($0.at.seconds) }
        let occurrence = b.occurrenceDate?.description
        let reminder = b.reminderSentAt.map { Double($0.seconds) }
        let createdBy = MutationDocument.actor(b.createdBy), updatedBy = MutationDocument.actor(b.updatedBy)
        let tokens = Self.searchTokens(of: b)
        if let expected {
            try session.query("UPDATE booking_keys SET ref = \(b.ref) WHERE id = \(id) AND ref <> \(b.ref)")
            let rows = try session.query("""
                UPDATE bookings SET ref = \(b.ref), resource = \(b.resource.rawValue), service = \(b.service?.rawValue), customer = \(b.customer?.rawValue),
                    start_at = to_timestamp(\(start)), end_at = to_timestamp(\(end)),
                    buffer_before = make_interval(secs => \(before)), buffer_after = make_interval(secs => \(after)),
                    status = \(b.status.rawValue), hold_expires_at = to_timestamp(\(hold)), cancelled_at = to_timestamp(\(cancelledAt)),
                    cancellation = (\(doc)::jsonb)->'booking'->'cancellation', series = \(b.series?.rawValue), occurrence_date = \(occurrence)::date,
                    notes = \(b.notes), idempotency_key = \(b.idempotencyKey), override_reason = \(b.overrideReason),
                    reminder_sent_at = to_timestamp(\(reminder)), updated_by = \(updatedBy)::jsonb, updated_at = to_timestamp(\(Double(b.updatedAt.seconds))),
                    version = \(b.version), doc = \(doc)::jsonb, search_tokens = \(tokens)
                WHERE id = \(id) AND version = \(expected) RETURNING id
                """)
            if rows.isEmpty {
                let current = try session.query("SELECT version FROM bookings WHERE id = \(id)").first.map { try $0.decode(Int.self) } ?? 0
                throw CoreError.staleVersion(id: b.ref, expected: expected, current: current)
            }
            try session.query("DELETE FROM booking_resources WHERE booking = \(id)")
        } else {
            try session.query("INSERT INTO booking_keys (id, ref) VALUES (\(id), \(b.ref))")
            try session.query("""
                INSERT INTO bookings (id, ref, resource, service, customer, start_at, end_at, buffer_before, buffer_after, status,
                    hold_expires_at, cancelled_at, cancellation, series, occurrence_date, notes, idempotency_key, override_reason,
                    reminder_sent_at, created_by, updated_by, created_at, updated_at, version, doc, search_tokens)
                VALUES (\(id), \(b.ref), \(b.resource.rawValue), \(b.service?.rawValue), \(b.customer?.rawValue), to_timestamp(\(start)), to_timestamp(\(end)),
                    make_interval(secs => \(before)), make_interval(secs => \(after)), \(b.status.rawValue),
                    to_timestamp(\(hold)), to_timestamp(\(cancelledAt)), (\(doc)::jsonb)->'booking'->'cancellation', \(b.series?.rawValue), \(occurrence)::date,
                    \(b.notes), \(b.idempotencyKey), \(b.overrideReason), to_timestamp(\(reminder)), \(createdBy)::jsonb, \(updatedBy)::jsonb,
                    to_timestamp(\(Double(b.createdAt.seconds))), to_timestamp(\(Double(b.updatedAt.seconds))), \(b.version), \(doc)::jsonb, \(tokens))
                """)
        }
        for (i, r) in b.otherResources.enumerated() {
            try session.query("INSERT INTO booking_resources (booking, resource, position) VALUES (\(id), \(r.rawValue), \(i + 1))")
        }
    }

    /// The bookings in the database whose occupancy overlaps what `b` would hold: the rows
    /// the exclusion constraint compared it with.
    func occupants(against b: Booking, policy: EffectivePolicy) throws -> [BookingID] {
        let before = Double(max(policy.bufferBefore.seconds, b.bufferBefore.seconds))
        let after = Double(max(policy.bufferAfter.seconds, b.bufferAfter.seconds))
        let rows = try session.query("""
            SELECT DISTINCT booking FROM occupancy WHERE resource = ANY(\(b.resources.map(\.rawValue))) AND booking <> \(b.id.rawValue)
            AND span && tstzrange(to_timestamp(\(Double(b.start.seconds))) - make_interval(secs => \(before)),
                                  to_timestamp(\(Double(b.end.seconds))) + make_interval(secs => \(after)), '[)')
            """)
        return try rows.map { BookingID(try $0.decode(String.self)) }
    }
}
