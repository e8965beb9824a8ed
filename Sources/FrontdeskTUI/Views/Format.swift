import FrontdeskCore

/// How times, dates and names read on screen.
enum Format {
    /// `09:05` in the zone.
    static func time(_ i: Instant, _ zone: Zone) -> String { clock(zone.local(i).secondOfDay) }

    /// `09:05` for seconds since midnight (`24:00` allowed).
    static func clock(_ secondOfDay: Int) -> String { "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60))" }

    /// `Mon 2027-03-01`.
    static func day(_ d: LocalDate) -> String { "\(weekday(d)) \(d)" }

    /// `Mon`.
    static func weekday(_ d: LocalDate) -> String {
        let n = d.weekday.shortName
        return n.prefix(1).uppercased() + n.dropFirst()
    }

    /// `Mon 2027-03-01 09:00–09:30` in the zone.
    static func range(_ r: TimeRange, _ zone: Zone) -> String {
        let a = zone.local(r.start), b = zone.local(r.end)
        let end = b.date == a.date ? clock(b.secondOfDay) : "\(b.date) \(clock(b.secondOfDay))"
        return "\(day(a.date)) \(clock(a.secondOfDay))–\(end)"
    }

    /// `2027-03-01 09:05` in the zone.
    static func stamp(_ i: Instant, _ zone: Zone) -> String {
        let l = zone.local(i)
        return "\(l.date) \(clock(l.secondOfDay))"
    }

    /// A customer's name, or what a booking without one is.
    static func customer(_ b: Booking, _ state: BookingState) -> String {
        b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)"
    }

    /// Human status words (`no-show`, `pending payment`).
    static func status(_ s: BookingStatus) -> String {
        switch s {
        case .pendingPayment: "pending payment"
        case .noShow: "no-show"
        default: s.rawValue
        }
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
