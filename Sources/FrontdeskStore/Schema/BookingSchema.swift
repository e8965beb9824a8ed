import FrontdeskCore
import FrontdeskJSON

/// The booking schema: bookings written and read straight between JSON bytes and ``Booking``,
/// field by field (see docs/STORAGE.md, "Schema").
///
/// Bookings are nearly all the store's bytes: a month partition holds hundreds, a journal
/// record one or more, and a compaction rewrites whole partitions. So the writer appends each
/// field's bytes to one buffer, and the reader builds a booking from the document's tokens,
/// with no container or coding path per field.
///
/// Fields are written in declaration order, absent optionals left out (the bytes stores
/// written before this schema hold). ``read(_:at:)`` takes exactly that shape, in any member
/// order, unknown keys ignored; anything else (a missing or mistyped field, an unknown status,
/// a time in another form, a duplicate or escaped key) makes it return nil, and the file's
/// reader then uses the general reader ``read(_:)-(SchemaValue)`` (``SchemaFile``), which
/// accepts another spelling of the same value or names the member at fault.
///
/// A record's booking and counter mutations and its booking events are written and read here
/// too (``RecordSchema`` frames them).
package enum BookingSchema {
    // MARK: Writing

    /// Appends `b` as JSON.
    ///
    /// - Complexity: O(bytes written).
    static func write(_ b: Booking, to out: inout JSONWriter) throws {
        out.raw(#"{"id":"#); out.string(b.id.rawValue)
        out.raw(#","ref":"#); out.string(b.ref)
        out.raw(#","resource":"#); out.string(b.resource.rawValue)
        if let c = b.customer { out.raw(#","customer":"#); out.string(c.rawValue) }
        out.raw(#","range":{"start":"#); try instant(b.range.start, to: &out)
        out.raw(#","end":"#); try instant(b.range.end, to: &out)
        out.raw(#"},"status":"#); out.string(b.status.rawValue)
        out.raw(#","createdBy":"#); actor(b.createdBy, to: &out)
        out.raw(#","updatedBy":"#); actor(b.updatedBy, to: &out)
        out.raw(#","version":"#); out.signed(Int64(b.version))
        out.raw(#","createdAt":"#); try instant(b.createdAt, to: &out)
        out.raw(#","updatedAt":"#); try instant(b.updatedAt, to: &out)
        out.raw(#","notes":"#); out.string(b.notes)
        if let s = b.series { out.raw(#","series":"#); out.string(s.rawValue) }
        if let d = b.occurrenceDate { out.raw(#","occurrenceDate":"#); out.string(d.description) }
        if let h = b.holdExpiresAt { out.raw(#","holdExpiresAt":"#); try instant(h, to: &out) }
        if let c = b.cancellation {
            out.raw(#","cancellation":{"at":"#); try instant(c.at, to: &out)
            out.raw(#","by":"#); out.string(c.by)
            out.raw(#","reason":"#); out.string(c.reason)
            out.raw(#","late":"#); out.bool(c.late)
            out.byte(0x7D)
        }
        if let k = b.idempotencyKey { out.raw(#","idempotencyKey":"#); out.string(k) }
        if let r = b.overrideReason { out.raw(#","overrideReason":"#); out.string(r) }
        out.raw(#","history":["#)
        for (i, h) in b.history.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.raw(#"{"at":"#); try instant(h.at, to: &out)
            out.raw(#","actor":"#); actor(h.actor, to: &out)
            out.raw(#","action":"#); out.string(h.action)
            out.raw(#","changes":["#)
            for (j, c) in h.changes.enumerated() {
                if j > 0 { out.byte(0x2C) }
                out.string(c)
            }
            out.raw(#"],"version":"#); out.signed(Int64(h.version))
            out.byte(0x7D)
        }
        out.byte(0x5D)
        if let r = b.reminderSentAt { out.raw(#","reminderSentAt":"#); try instant(r, to: &out) }
        if let c = b.charges { out.raw(#","charges":"#); try ChargesSchema.write(c, to: &out) }
        if !b.otherResources.isEmpty {
            out.raw(#","otherResources":["#)
            for (i, r) in b.otherResources.enumerated() {
                if i > 0 { out.byte(0x2C) }
                out.string(r.rawValue)
            }
            out.byte(0x5D)
        }
        if let s = b.service { out.raw(#","service":"#); out.string(s.rawValue) }
        if b.bufferBefore.seconds != 0 { out.raw(#","bufferBefore":"#); out.signed(b.bufferBefore.seconds) }
        if b.bufferAfter.seconds != 0 { out.raw(#","bufferAfter":"#); out.signed(b.bufferAfter.seconds) }
        out.byte(0x7D)
    }

    /// A month partition file: its bookings as one array.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    /// - Complexity: O(bytes written).
    package static func partitionBytes(_ bookings: [Booking]) throws -> [UInt8] {
        var out = JSONWriter()
        out.bytes.reserveCapacity(bookings.count * 640)
        out.byte(0x5B)
        for (i, b) in bookings.enumerated() {
            if i > 0 { out.byte(0x2C) }
            try write(b, to: &out)
        }
        out.byte(0x5D)
        return out.bytes
    }

    /// Appends a journal mutation if it is a booking or the counters (nearly every record
    /// holds only those); false for the other kinds (nothing written: ``RecordSchema`` writes them).
    static func writeMutation(_ m: Mutation, to out: inout JSONWriter) throws -> Bool {
        switch m {
        case .booking(let b):
            out.raw(#"{"booking":"#)
            try write(b, to: &out)
            out.byte(0x7D)
            return true
        case .counters(let c):
            out.raw(#"{"counters":{"bookings":"#); out.signed(Int64(c.bookings))
            out.raw(#","resources":"#); out.signed(Int64(c.resources))
            out.raw(#","customers":"#); out.signed(Int64(c.customers))
            out.raw(#","schedules":"#); out.signed(Int64(c.schedules))
            out.raw(#","waitlist":"#); out.signed(Int64(c.waitlist))
            out.raw("}}")
            return true
        default:
            return false
        }
    }

    /// Appends a booking event (no waitlist entry, no slot) as ``EventSchema`` writes it; false
    /// for waitlist events (nothing written).
    static func writeEvent(_ e: DomainEvent, to out: inout JSONWriter) throws -> Bool {
        guard e.waitlistEntry == nil, e.slot == nil, e.change == nil, e.ledgerEntry == nil else { return false }
        out.raw(#"{"id":"#); out.string(e.id)
        out.raw(#","type":"#); out.string(e.type.rawValue)
        out.raw(#","at":"#); try instant(e.at, to: &out)
        out.raw(#","actor":"#); actor(e.actor, to: &out)
        if let b = e.booking { out.raw(#","booking":"#); try write(b, to: &out) }
        out.byte(0x7D)
        return true
    }

    /// `{"start":T,"end":T}`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func range(_ r: TimeRange, to out: inout JSONWriter) throws {
        out.raw(#"{"start":"#); try instant(r.start, to: &out)
        out.raw(#","end":"#); try instant(r.end, to: &out)
        out.byte(0x7D)
    }

    static func actor(_ a: Author, to out: inout JSONWriter) {
        out.raw(#"{"user":"#); out.string(a.user)
        out.raw(#","origin":"#); out.string(a.origin)
        out.raw(#","source":"#); out.string(a.source.rawValue)
        out.byte(0x7D)
    }

    /// `"YYYY-MM-DDTHH:MM:SSZ"`, the text of ``Instant/iso8601``, written without building it.
    ///
    /// - Throws: `EncodingError.invalidValue` for an instant outside ``SupportedRange`` (nothing
    ///   written): the reader could not take it back, so it must never reach a file.
    static func instant(_ t: Instant, to out: inout JSONWriter) throws {
        guard SupportedRange.contains(t) else {
            throw EncodingError.invalidValue(t, EncodingError.Context(
                codingPath: [], debugDescription: "\(t.iso8601) is outside the supported range (\(SupportedRange.text))"))
        }
        // Byte by byte rather than through `Instant.iso8601`: every booking holds several
        // instants, and building a `String` for each is a heap allocation apiece.
        let days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400
        let secs = Int(t.seconds - days * 86400)
        let date = LocalDate(daysSinceEpoch: days)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 22) { b in
            func two(_ v: Int, at i: Int) { b[i] = UInt8(0x30 + v / 10); b[i + 1] = UInt8(0x30 + v % 10) }
            b[0] = 0x22
            two(date.year / 100, at: 1); two(date.year % 100, at: 3); b[5] = 0x2D               // -
            two(date.month, at: 6); b[8] = 0x2D; two(date.day, at: 9); b[11] = 0x54             // - T
            two(secs / 3600, at: 12); b[14] = 0x3A; two(secs / 60 % 60, at: 15); b[17] = 0x3A   // : :
            two(secs % 60, at: 18); b[20] = 0x5A; b[21] = 0x22                                   // Z "
            out.bytes.append(contentsOf: UnsafeBufferPointer(b))
        }
    }

    // MARK: Reading

    /// The booking whose object is token `index` of `doc`, or nil if the value is not in the
    /// shape ``write(_:to:)`` gives (the caller then reads it with the general reader).
    ///
    /// - Complexity: O(tokens of the booking).
    static func read(_ doc: JSONDocument, at index: Int) -> Booking? {
        Reader(doc: doc).booking(at: index)
    }

    /// The bookings of the array at token `index` (a month partition), or nil if it is not an
    /// array or one of them is not in the usual shape.
    ///
    /// - Complexity: O(tokens of the array).
    static func readArray(_ doc: JSONDocument, at index: Int) -> [Booking]? {
        let r = Reader(doc: doc)
        return r.elements(of: index, r.booking(at:))
    }

    /// The bookings of a month partition file.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    package static func readPartition(_ bytes: [UInt8]) throws -> [Booking] {
        try SchemaFile.read(from: bytes, fast: { readArray($0, at: 0) }, general: { v throws(SchemaError) in try v.array(read) })
    }

    /// The booking at `v`, in any spelling: the general reader, for text ``read(_:at:)`` does
    /// not take.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> Booking {
        let o = try v.object()
        let statusValue = try o.value("status")
        let statusText = try statusValue.string()
        guard let status = BookingStatus(rawValue: statusText) else { throw statusValue.error("unknown status \"\(statusText)\"") }
        var cancellation: Cancellation?
        if let c = o.optional("cancellation") {
            let co = try c.object()
            cancellation = Cancellation(at: try co.value("at").instant(), by: try co.value("by").string(),
                                        reason: try co.value("reason").string(), late: try co.value("late").bool())
        }
        let history = try o.value("history").array { e throws(SchemaError) -> HistoryEntry in
            let h = try e.object()
            return HistoryEntry(at: try h.value("at").instant(), actor: try h.value("actor").actor(), action: try h.value("action").string(),
                                changes: try h.value("changes").array { c throws(SchemaError) in try c.string() },
                                version: try h.value("version").integer(Int.self))
        }
        let resource = ResourceID(try o.value("resource").string())
        var others: [ResourceID] = []
        if let v = o.optional("otherResources") {
            others = try v.array { r throws(SchemaError) in ResourceID(try r.string()) }
            if let problem = otherResourcesProblem(others, home: resource) { throw v.error(problem) }
        }
        return Booking(id: BookingID(try o.value("id").string()), ref: try o.value("ref").string(),
                       resource: resource,
                       customer: (try o.optional("customer")?.string()).map(CustomerID.init),
                       range: try o.value("range").range(), status: status,
                       createdBy: try o.value("createdBy").actor(), updatedBy: try o.value("updatedBy").actor(),
                       version: try o.value("version").integer(Int.self),
                       createdAt: try o.value("createdAt").instant(), updatedAt: try o.value("updatedAt").instant(),
                       notes: try o.value("notes").string(), series: (try o.optional("series")?.string()).map(SeriesID.init),
                       occurrenceDate: try o.optional("occurrenceDate")?.date(), holdExpiresAt: try o.optional("holdExpiresAt")?.instant(),
                       cancellation: cancellation, idempotencyKey: try o.optional("idempotencyKey")?.string(),
                       overrideReason: try o.optional("overrideReason")?.string(), history: history,
                       reminderSentAt: try o.optional("reminderSentAt")?.instant(),
                       charges: try o.optional("charges").map { c throws(SchemaError) in try ChargesSchema.read(c) },
                       otherResources: others,
                       service: (try o.optional("service")?.string()).map(ServiceID.init),
                       bufferBefore: try bookingBuffer(o.optional("bufferBefore")), bufferAfter: try bookingBuffer(o.optional("bufferAfter")))
    }

    /// Longest buffer a booking keeps (a service's buffers are at most a day).
    static let maximumBookingBuffer: Int64 = 86_400

    /// A booking's own buffer member: whole seconds, 0 to ``maximumBookingBuffer``; zero when absent.
    ///
    /// - Throws: ``SchemaError`` naming the member for anything else.
    static func bookingBuffer(_ v: SchemaValue?) throws(SchemaError) -> TimeSpan {
        guard let v else { return .zero }
        let d = try v.duration()
        guard (0...maximumBookingBuffer).contains(d.seconds) else {
            throw v.error("a booking's buffer must be 0 to \(maximumBookingBuffer) seconds, not \(d.seconds)")
        }
        return d
    }

    /// Why a booking's `otherResources` cannot be right (its home resource among them, one named
    /// twice, an empty list, more than a booking may hold), or nil: a file is never trusted to
    /// keep the engine's rules.
    static func otherResourcesProblem(_ others: [ResourceID], home: ResourceID) -> String? {
        if others.isEmpty { return "otherResources is empty (a booking of one resource has none)" }
        if others.count >= BookingEngine.maximumResourcesPerBooking {
            return "\(others.count + 1) resources; a booking holds at most \(BookingEngine.maximumResourcesPerBooking)"
        }
        if others.contains(home) { return "otherResources names the booking's own resource \(home.rawValue)" }
        if Set(others).count != others.count { return "otherResources names a resource twice" }
        return nil
    }

    /// The counters at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func counters(_ v: SchemaValue) throws(SchemaError) -> Counters {
        let o = try v.object()
        var c = Counters()
        c.bookings = try o.value("bookings").integer(Int.self)
        c.resources = try o.value("resources").integer(Int.self)
        c.customers = try o.value("customers").integer(Int.self)
        c.schedules = try o.value("schedules").integer(Int.self)
        c.waitlist = try o.value("waitlist").integer(Int.self)
        return c
    }

    /// A journal mutation that is a booking, the counters or an audit entry (nearly every
    /// record holds one of each), or nil for the other kinds and anything unusual.
    static func readMutation(_ doc: JSONDocument, at index: Int) -> Mutation? {
        let t = doc.tokens[index]
        guard t.kind == .object, t.a == 1, t.flags & JSONToken.Flag.slowKeys == 0 else { return nil }
        let r = Reader(doc: doc)
        let key = doc.tokens[index + 1]
        if r.matches(key, Self.mutationBooking) { return r.booking(at: index + 2).map(Mutation.booking) }
        if r.matches(key, Self.mutationCounters) { return r.counters(index + 2).map(Mutation.counters) }
        if r.matches(key, AuditSchema.mutationKey) { return AuditSchema.entry(r, at: index + 2).map(Mutation.audit) }
        return nil
    }

    /// The mutations of the array at token `index`, or nil if one is not a booking or the counters.
    static func readMutations(_ doc: JSONDocument, at index: Int) -> [Mutation]? {
        Reader(doc: doc).elements(of: index) { readMutation(doc, at: $0) }
    }

    /// The fields of a booking, in declaration order (the order the writer uses).
    enum Field: Int {
        case id, ref, resource, customer, range, status, createdBy, updatedBy, version, createdAt, updatedAt,
             notes, series, occurrenceDate, holdExpiresAt, cancellation, idempotencyKey, overrideReason,
             history, reminderSentAt, charges, otherResources, service, bufferBefore, bufferAfter
    }

    /// Key names as bytes, indexed like the enums that use them. (Spelled out: interpolating the
    /// enum's cases would reflect on them at every process's start-up.)
    static let bookingKeys = [
        "id", "ref", "resource", "customer", "range", "status", "createdBy", "updatedBy", "version", "createdAt", "updatedAt",
        "notes", "series", "occurrenceDate", "holdExpiresAt", "cancellation", "idempotencyKey", "overrideReason",
        "history", "reminderSentAt", "charges", "otherResources", "service", "bufferBefore", "bufferAfter",
    ].map { Array($0.utf8) }
    private static let rangeKeys = ["start", "end"].map { Array($0.utf8) }
    private static let actorKeys = ["user", "origin", "source"].map { Array($0.utf8) }
    private static let cancellationKeys = ["at", "by", "reason", "late"].map { Array($0.utf8) }
    private static let historyKeys = ["at", "actor", "action", "changes", "version"].map { Array($0.utf8) }
    private static let counterKeys = ["bookings", "resources", "customers", "schedules", "waitlist"].map { Array($0.utf8) }
    private static let mutationBooking = Array("booking".utf8)
    private static let mutationCounters = Array("counters".utf8)

    /// A cursor over one document's tokens (also used by ``DirectoryShardSchema``).
    struct Reader {
        let doc: JSONDocument

        /// The members of the object at `index` as (key number, value token) pairs, keys
        /// matched against `keys`; unknown keys are skipped. Nil if it is not an object or its
        /// keys need the slow path (duplicates, escapes, non-ASCII).
        @inline(__always)
        func members(of index: Int, _ keys: [[UInt8]], _ body: (Int, Int) -> Bool) -> Bool {
            let header = doc.tokens[index]
            guard header.kind == .object, header.flags & JSONToken.Flag.slowKeys == 0 else { return false }
            var pos = index + 1
            let end = Int(header.b)
            var expected = 0
            while pos < end {
                let key = doc.tokens[pos]
                // Keys usually come in declaration order: try the expected one first.
                var found = -1
                if expected < keys.count, matches(key, keys[expected]) {
                    found = expected
                } else {
                    for k in keys.indices where matches(key, keys[k]) { found = k; break }
                }
                if found >= 0 {
                    guard body(found, pos + 1) else { return false }
                    expected = found + 1
                }
                pos = doc.next(at: pos + 1)
            }
            return true
        }

        @inline(__always)
        func matches(_ key: JSONToken, _ name: [UInt8]) -> Bool {
            let n = Int(key.b - key.a)
            guard n == name.count else { return false }
            var i = Int(key.a)
            for c in name {
                if doc.bytes[i] != c { return false }
                i += 1
            }
            return true
        }

        func string(_ index: Int) -> String? {
            let t = doc.tokens[index]
            return t.kind == .string ? doc.string(t) : nil
        }

        /// An optional field's value: `.some(nil)` for null (as `decodeIfPresent` reads it).
        func optional<T>(_ index: Int, _ read: (Int) -> T?) -> T?? {
            doc.tokens[index].kind == .null ? .some(nil) : read(index).map { .some($0) }
        }

        func int(_ index: Int) -> Int? {
            let t = doc.tokens[index]
            guard t.kind == .number else { return nil }
            return JSONNumber.int64(doc.raw(t), plain: t.flags == 0).flatMap { Int(exactly: $0) }
        }

        func bool(_ index: Int) -> Bool? {
            switch doc.tokens[index].kind {
            case .true: true
            case .false: false
            default: nil
            }
        }

        /// A time, parsed from the token's bytes by the core's own parser (a `String` only for
        /// an escaped one); nil outside ``SupportedRange``, which the general reader then
        /// reports as damage naming the text.
        func instant(_ index: Int) -> Instant? {
            let t = doc.tokens[index]
            guard t.kind == .string else { return nil }
            let parsed = t.flags & JSONToken.Flag.escaped != 0 ? Instant(iso8601: doc.string(t)) : Instant(iso8601UTF8: doc.raw(t))
            guard let parsed, SupportedRange.contains(parsed) else { return nil }
            return parsed
        }

        func actor(_ index: Int) -> Author? {
            var user: String?, origin: String?, source: BookingSource?
            let ok = members(of: index, BookingSchema.actorKeys) { k, v in
                switch k {
                case 0: user = string(v); return user != nil
                case 1: origin = string(v); return origin != nil
                default: source = string(v).flatMap(BookingSource.init(rawValue:)); return source != nil
                }
            }
            guard ok, let user, let origin, let source else { return nil }
            return Author(user: user, origin: origin, source: source)
        }

        func range(_ index: Int) -> TimeRange? {
            var start: Instant?, end: Instant?
            let ok = members(of: index, BookingSchema.rangeKeys) { k, v in
                if k == 0 { start = instant(v); return start != nil }
                end = instant(v); return end != nil
            }
            guard ok, let start, let end else { return nil }
            return TimeRange(start: start, end: end)
        }

        func cancellation(_ index: Int) -> Cancellation? {
            var at: Instant?, by: String?, reason: String?, late: Bool?
            let ok = members(of: index, BookingSchema.cancellationKeys) { k, v in
                switch k {
                case 0: at = instant(v); return at != nil
                case 1: by = string(v); return by != nil
                case 2: reason = string(v); return reason != nil
                default: late = bool(v); return late != nil
                }
            }
            guard ok, let at, let by, let reason, let late else { return nil }
            return Cancellation(at: at, by: by, reason: reason, late: late)
        }

        func counters(_ index: Int) -> Counters? {
            var v: [Int?] = [nil, nil, nil, nil, nil]
            guard members(of: index, BookingSchema.counterKeys, { k, value in v[k] = int(value); return v[k] != nil }),
                  let bookings = v[0], let resources = v[1], let customers = v[2], let schedules = v[3], let waitlist = v[4] else { return nil }
            var c = Counters()
            c.bookings = bookings; c.resources = resources; c.customers = customers; c.schedules = schedules; c.waitlist = waitlist
            return c
        }

        /// The elements of the array at `index`, each read by `read`, or nil if it is not an
        /// array or an element does not read.
        @inline(__always)
        func elements<T>(of index: Int, _ read: (Int) -> T?) -> [T]? {
            let t = doc.tokens[index]
            guard t.kind == .array else { return nil }
            var out: [T] = []
            out.reserveCapacity(Int(t.a))
            var pos = index + 1
            while pos < Int(t.b) {
                guard let element = read(pos) else { return nil }
                out.append(element)
                pos = doc.next(at: pos)
            }
            return out
        }

        func historyEntry(_ index: Int) -> HistoryEntry? {
            var at: Instant?, actor: Author?, action: String?, changes: [String]?, version: Int?
            let ok = members(of: index, BookingSchema.historyKeys) { k, v in
                switch k {
                case 0: at = instant(v); return at != nil
                case 1: actor = self.actor(v); return actor != nil
                case 2: action = string(v); return action != nil
                case 3: changes = elements(of: v, string); return changes != nil
                default: version = int(v); return version != nil
                }
            }
            guard ok, let at, let actor, let action, let changes, let version else { return nil }
            return HistoryEntry(at: at, actor: actor, action: action, changes: changes, version: version)
        }

        func booking(at index: Int) -> Booking? {
            var id: String?, ref: String?, resource: String?, customer: String??, range: TimeRange?
            var status: BookingStatus?, createdBy: Author?, updatedBy: Author?, version: Int?
            var createdAt: Instant?, updatedAt: Instant?, notes: String?, series: String??
            var occurrenceDate: LocalDate??, holdExpiresAt: Instant??, cancellation: Cancellation??
            var idempotencyKey: String??, overrideReason: String??, history: [HistoryEntry]?, reminderSentAt: Instant??
            var charges: Charges?
            var others: [String]?
            var service: String??
            var bufferBefore: Int64 = 0, bufferAfter: Int64 = 0
            let ok = members(of: index, BookingSchema.bookingKeys) { k, v in
                switch Field(rawValue: k)! {
                case .id: id = string(v); return id != nil
                case .ref: ref = string(v); return ref != nil
                case .resource: resource = string(v); return resource != nil
                case .customer: customer = optional(v, string); return customer != nil
                case .range: range = self.range(v); return range != nil
                case .status: status = string(v).flatMap(BookingStatus.init(rawValue:)); return status != nil
                case .createdBy: createdBy = actor(v); return createdBy != nil
                case .updatedBy: updatedBy = actor(v); return updatedBy != nil
                case .version: version = int(v); return version != nil
                case .createdAt: createdAt = instant(v); return createdAt != nil
                case .updatedAt: updatedAt = instant(v); return updatedAt != nil
                case .notes: notes = string(v); return notes != nil
                case .series: series = optional(v, string); return series != nil
                case .occurrenceDate: occurrenceDate = optional(v) { string($0).flatMap(LocalDate.init) }; return occurrenceDate != nil
                case .holdExpiresAt: holdExpiresAt = optional(v, instant); return holdExpiresAt != nil
                case .cancellation: cancellation = optional(v, self.cancellation); return cancellation != nil
                case .idempotencyKey: idempotencyKey = optional(v, string); return idempotencyKey != nil
                case .overrideReason: overrideReason = optional(v, string); return overrideReason != nil
                case .history: history = elements(of: v, historyEntry); return history != nil
                case .reminderSentAt: reminderSentAt = optional(v, instant); return reminderSentAt != nil
                case .charges: charges = self.charges(v); return charges != nil
                case .otherResources: others = elements(of: v, string); return others != nil
                case .service: service = optional(v, string); return service != nil
                case .bufferBefore: bufferBefore = int(v).map(Int64.init) ?? -1; return (0...BookingSchema.maximumBookingBuffer).contains(bufferBefore)
                case .bufferAfter: bufferAfter = int(v).map(Int64.init) ?? -1; return (0...BookingSchema.maximumBookingBuffer).contains(bufferAfter)
                }
            }
            guard ok, let id, let ref, let resource, let range, let status, let createdBy, let updatedBy,
                  let version, let createdAt, let updatedAt, let notes, let history else { return nil }
            let otherResources = (others ?? []).map(ResourceID.init)
            // A list the engine would not make goes to the general reader, which names the problem.
            if others != nil, BookingSchema.otherResourcesProblem(otherResources, home: ResourceID(resource)) != nil { return nil }
            return Booking(id: BookingID(id), ref: ref, resource: ResourceID(resource), customer: (customer ?? nil).map(CustomerID.init),
                           range: range, status: status, createdBy: createdBy, updatedBy: updatedBy, version: version,
                           createdAt: createdAt, updatedAt: updatedAt, notes: notes, series: (series ?? nil).map(SeriesID.init),
                           occurrenceDate: occurrenceDate ?? nil, holdExpiresAt: holdExpiresAt ?? nil,
                           cancellation: cancellation ?? nil, idempotencyKey: idempotencyKey ?? nil,
                           overrideReason: overrideReason ?? nil, history: history, reminderSentAt: reminderSentAt ?? nil,
                           charges: charges, otherResources: otherResources, service: (service ?? nil).map(ServiceID.init),
                           bufferBefore: TimeSpan(seconds: bufferBefore), bufferAfter: TimeSpan(seconds: bufferAfter))
        }
    }
}
