/// How a front end writes the times inside a refusal (``CoreError/description(in:times:seriesAdvice:)``):
/// the core owns the words, the front end says how a range, a moment and a clock time read.
/// Each closure gets the zone of the resource concerned, nil where none is known.
public struct TimeWording: Sendable {
    /// A booking's or a policy's range: `Mon 2027-03-01 09:00–10:00 Europe/London`.
    public var span: @Sendable (TimeRange, Zone?) -> String
    /// A start: `2027-03-01 09:00 Europe/London`.
    public var moment: @Sendable (Instant, Zone?) -> String
    /// The edge of a buffer: `10:10`.
    public var clock: @Sendable (Instant, Zone?) -> String

    public init(span: @escaping @Sendable (TimeRange, Zone?) -> String, moment: @escaping @Sendable (Instant, Zone?) -> String,
                clock: @escaping @Sendable (Instant, Zone?) -> String) {
        self.span = span
        self.moment = moment
        self.clock = clock
    }

    /// The core's own: local times with the zone's name, UTC (ISO 8601) where no zone is known.
    public static let local = TimeWording(
        span: { r, z in
            guard let z else { return "\(r.start) – \(r.end)" }
            let a = z.local(r.start), b = z.local(r.end)
            let end = a.date == b.date ? "\(pad2(b.hour)):\(pad2(b.minute))" : b.text
            return "\(a.date.weekday.displayName) \(a.text)–\(end) \(z)"
        },
        moment: { i, z in z.map { "\($0.local(i).text) \($0)" } ?? i.iso8601 },
        clock: { i, z in z.map { l -> String in let t = l.local(i); return "\(pad2(t.hour)):\(pad2(t.minute))" } ?? i.iso8601 })
}
