import FrontdeskCore

extension Format {
    /// `2027-03-01 10:00 – 11:00 Europe/London` for `show`: the end's date when it falls on
    /// another day (`2027-03-01 10:00 – 2028-04-04 11:00`), and both UTC offsets when a
    /// same-day range crosses a clock change (`2027-10-31 01:30 +01:00 – 01:00 +00:00`), so the end
    /// never reads as earlier than the start.
    static func span(_ range: TimeRange, _ zone: Zone) -> String {
        let a = zone.local(range.start), b = zone.local(range.end)
        let oa = zone.offset(at: range.start), ob = zone.offset(at: range.end)
        func offset(_ s: Int) -> String { (s < 0 ? "-" : "+") + "\(two(abs(s) / 3600)):\(two(abs(s) / 60 % 60))" }
        let marks = oa == ob || a.date != b.date ? ("", "") : (" " + offset(oa), " " + offset(ob))
        let end = b.date == a.date ? clock(range.end, zone) : "\(b.date) \(clock(range.end, zone))"
        return "\(a.text)\(marks.0) – \(end)\(marks.1) \(zone)"
    }
}
