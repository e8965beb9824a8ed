import FrontdeskCore
import FrontdeskJSON

/// The schedule schema: `schedules.json` and a record's `{"schedule":…}` mutation (see
/// docs/STORAGE.md, "Schema").
///
/// `{"id","name","weekly":{"<mon…sun>":["09:00-17:00"…]…},"overrides":{"<YYYY-MM-DD>":[…]…},"blackouts":[{"range":{"start":T,"end":T},"reason"}…],"bufferBefore","bufferAfter","minimumNotice","maximumAdvance"?,"cancellationNotice","version"}`
/// in that order; the two maps' members sorted by the bytes of their keys, so equal schedules
/// give identical bytes; durations whole seconds.
enum ScheduleSchema {
    /// Appends `s` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a blackout time outside ``SupportedRange``.
    static func write(_ s: Schedule, to out: inout JSONWriter) throws {
        out.raw(#"{"id":"#); out.string(s.id.rawValue)
        out.raw(#","name":"#); out.string(s.name)
        out.raw(#","weekly":"#)
        hours(s.weekly.map { ($0.key.shortName, $0.value) }, to: &out)
        out.raw(#","overrides":"#)
        hours(s.overrides.map { ($0.key.description, $0.value) }, to: &out)
        out.raw(#","blackouts":["#)
        for (i, b) in s.blackouts.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.raw(#"{"range":"#); try BookingSchema.range(b.range, to: &out)
            out.raw(#","reason":"#); out.string(b.reason)
            out.byte(0x7D)
        }
        out.raw(#"],"bufferBefore":"#); out.signed(s.bufferBefore.seconds)
        out.raw(#","bufferAfter":"#); out.signed(s.bufferAfter.seconds)
        out.raw(#","minimumNotice":"#); out.signed(s.minimumNotice.seconds)
        if let m = s.maximumAdvance { out.raw(#","maximumAdvance":"#); out.signed(m.seconds) }
        out.raw(#","cancellationNotice":"#); out.signed(s.cancellationNotice.seconds)
        out.raw(#","version":"#); out.signed(Int64(s.version))
        out.byte(0x7D)
    }

    /// A map of opening hours, members sorted by key (weekday names and dates need no escaping,
    /// so their text's bytes are their written bytes).
    private static func hours(_ members: [(String, [DailyHours])], to out: inout JSONWriter) {
        out.byte(0x7B)
        for (i, (key, list)) in members.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(key)
            out.pair(0x3A, 0x5B)
            for (j, h) in list.enumerated() {
                if j > 0 { out.byte(0x2C) }
                out.string(h.description)
            }
            out.byte(0x5D)
        }
        out.byte(0x7D)
    }

    /// The schedule at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit (an unknown weekday or
    ///   date key names the key).
    static func read(_ v: SchemaValue) throws(SchemaError) -> Schedule {
        let o = try v.object()
        let weeklyObject = try o.value("weekly").object()
        var weekly: [Weekday: [DailyHours]] = [:]
        for key in weeklyObject.keys {
            guard let day = Weekday(name: key) else { throw SchemaError(path: weeklyObject.path(of: key), message: "not a weekday") }
            weekly[day] = try hours(try weeklyObject.value(key))
        }
        let overridesObject = try o.value("overrides").object()
        var overrides: [LocalDate: [DailyHours]] = [:]
        for key in overridesObject.keys {
            guard let date = LocalDate(key) else { throw SchemaError(path: overridesObject.path(of: key), message: "not a date like 2027-03-01") }
            overrides[date] = try hours(try overridesObject.value(key))
        }
        let blackouts = try o.value("blackouts").array { e throws(SchemaError) -> Blackout in
            let b = try e.object()
            return Blackout(range: try b.value("range").range(), reason: try b.value("reason").string())
        }
        return Schedule(id: ScheduleID(try o.value("id").string()), name: try o.value("name").string(), weekly: weekly,
                        overrides: overrides, blackouts: blackouts, bufferBefore: try o.value("bufferBefore").duration(),
                        bufferAfter: try o.value("bufferAfter").duration(), minimumNotice: try o.value("minimumNotice").duration(),
                        maximumAdvance: try o.optional("maximumAdvance")?.duration(),
                        cancellationNotice: try o.value("cancellationNotice").duration(), version: try o.value("version").integer(Int.self))
    }

    private static func hours(_ v: SchemaValue) throws(SchemaError) -> [DailyHours] {
        try v.array { e throws(SchemaError) -> DailyHours in
            let text = try e.string()
            guard let h = DailyHours(text) else { throw e.error("expected opening hours like 09:00-17:00, got \"\(text)\"") }
            return h
        }
    }
}
