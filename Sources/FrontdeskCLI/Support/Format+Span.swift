import FrontdeskCore

extension Format {
    /// `2027-03-01 10:00 – 11:00 Europe/London` for `show`: the end's date when it falls on
    /// another day (`2027-03-01 10:00 – 2028-04-04 11:00`), and both UTC offsets when a
    /// same-day range crosses a clock change (`2027-10-31 01:30 +01:00 – 01:00 +00:00`), so the end
    /// never reads as earlier than the start.
    static func span(_ range: TimeRange, _ zone: Zone) -> String {
        let (start, end) = spanEnds(range, zone, weekdays: false)
        return "\(start) – \(end) \(zone)"
    }

    /// `Tue 2027-03-02 10:00–11:00 Europe/London` for one-line summaries (`book`, `cancel`,
    /// `list`, conflict messages): the same rules as `span`, so a 400-day booking reads
    /// `Tue 2026-12-08 10:00–Thu 2028-01-12 10:00` and a clock change shows both offsets.
    static func spanLine(_ range: TimeRange, _ zone: Zone) -> String {
        let (start, end) = spanEnds(range, zone, weekdays: true)
        return "\(start)–\(end) \(zone)"
    }

    /// The start and end as written in a span: the end's date only when it is another day, both
    /// offsets only when they differ on the same day (also `list`'s START and END columns).
    static func spanEnds(_ range: TimeRange, _ zone: Zone, weekdays: Bool) -> (String, String) {
        let a = zone.local(range.start), b = zone.local(range.end)
        let oa = zone.offset(at: range.start), ob = zone.offset(at: range.end)
        func offset(_ s: Int) -> String { (s < 0 ? "-" : "+") + "\(two(abs(s) / 3600)):\(two(abs(s) / 60 % 60))" }
        func day(_ d: LocalDate) -> String { weekdays ? "\(d.weekday.displayName) \(d)" : "\(d)" }
        let marks = oa == ob || a.date != b.date ? ("", "") : (" " + offset(oa), " " + offset(ob))
        let end = b.date == a.date ? clock(range.end, zone) : "\(day(b.date)) \(clock(range.end, zone))"
        let start = weekdays ? "\(day(a.date)) \(clock(range.start, zone))" : a.text
        return ("\(start)\(marks.0)", "\(end)\(marks.1)")
    }
}
