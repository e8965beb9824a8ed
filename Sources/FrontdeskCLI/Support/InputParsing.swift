import FrontdeskCore
import FrontdeskTUI

/// Reading what people type: times, durations, opening hours, statuses.
enum InputParsing {
    /// A time as ISO-8601 with an offset or `Z`, or a wall-clock time (`2027-03-01 09:00`,
    /// `2027-03-01T09:00`) read in `zone`; a bare date means its midnight. A time outside
    /// ``SupportedRange`` is refused here, naming the flag, before anything is opened for writing.
    static func instant(_ text: String, field: String, zone: Zone) throws -> Instant {
        let i = try parsedInstant(text, field: field, zone: zone)
        try supported(i, field: field, text: text)
        return i
    }

    private static func parsedInstant(_ text: String, field: String, zone: Zone) throws -> Instant {
        let t = text.trimming(.whitespaces)
        if let date = LocalDate(t) { return zone.startOfDay(date) }
        if let i = Instant(iso8601: t) { return i }
        guard let local = LocalDateTime(wallClock: t) else {
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not a time; use 2027-03-01 09:00 (local to \(zone)), 2027-03-01T09:00:00Z or 2027-03-01T09:00+01:00")
        }
        switch zone.resolve(local) {
        case .unique(let i): return i
        case .ambiguous(let first, _): return first
        case .nonexistent: throw CoreError.nonexistentLocalTime(local, zone: zone)
        }
    }

    /// Refuses an instant outside ``SupportedRange``, naming `--field` and, if given, the text typed.
    static func supported(_ i: Instant, field: String, text: String? = nil) throws {
        guard SupportedRange.contains(i) else {
            let typed = text.map { "\"\(Format.safe($0))\" (\(i))" } ?? "\(i)"
            throw CLIError.invalidInput(field: field, message: "\(typed) is outside the supported range \(SupportedRange.text) (--\(field))")
        }
    }

    /// `--kind`: one of the well-known kinds; the message lists them.
    static func kind(_ text: String, field: String = "kind") throws -> ResourceKind {
        guard let k = ResourceKind(known: text) else {
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(text))\" is not a kind; use one of \(ResourceKind.knownNames.joined(separator: ", "))")
        }
        return k
    }

    /// An idempotency key under the core's rule (printable, not blank, at most 200 bytes).
    static func idempotencyKey(_ text: String?, field: String = "idempotency-key") throws -> String? {
        guard let text else { return nil }
        try TextRules.idempotencyKey(text, field: field)
        return text
    }

    static func duration(_ text: String, field: String) throws -> TimeSpan {
        guard let d = TimeSpan(text: text), d.seconds > 0 else {
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not a duration; use forms like 45m, 1h30m, 2d")
        }
        return d
    }

    static func optionalDuration(_ text: String?, field: String, allowZero: Bool = true) throws -> TimeSpan? {
        guard let text else { return nil }
        guard let d = TimeSpan(text: text), d.seconds > 0 || (allowZero && d.seconds == 0) else {
            if text == "0" && allowZero { return .zero }
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not a duration; use forms like 10m, 1h, 2d (or 0m)")
        }
        return d
    }

    static func status(_ text: String, field: String = "status") throws -> BookingStatus {
        guard let s = BookingStatus(text: text) else {
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not a status; use one of \(BookingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }

    static func zone(_ text: String, field: String = "tz") throws -> Zone {
        switch ZoneDatabase.shared.zone(text) {
        case .success(let z):
            return z
        case .failure(.invalidIdentifier), .failure(.unknown):
            throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not an IANA time zone; use a name such as Europe/London or America/New_York")
        case .failure(let error):
            // No tz database, or a damaged file: the name may be fine, the machine is not.
            throw CLIError.invalidInput(field: field, message: error.description)
        }
    }

    static func date(_ text: String, field: String) throws -> LocalDate {
        guard let d = LocalDate(text) else { throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(text)))\" is not a date; use YYYY-MM-DD") }
        guard SupportedRange.contains(d) else {
            throw CLIError.invalidInput(field: field, message: "\(d) is outside the supported range \(SupportedRange.firstDate) to \(SupportedRange.lastDate) (--\(field))")
        }
        return d
    }

    /// Weekly hours: `mon-fri 09:00-17:00`, `sat 10:00-14:00`, `mon,wed 09:00-12:00,13:00-17:00`,
    /// `sun closed`. Several specs add up; a later spec for the same day replaces the earlier one.
    static func weeklyHours(_ specs: [String], field: String = "hours") throws -> [Weekday: [DailyHours]] {
        var out: [Weekday: [DailyHours]] = [:]
        for spec in specs {
            let parts = spec.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 2 else {
                throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(spec)))\" should look like \"mon-fri 09:00-17:00\" or \"sun closed\"")
            }
            let days = try weekdays(parts[0], field: field)
            let hours = try dailyHours(parts[1], field: field)
            for d in days { out[d] = hours }
        }
        return out.filter { !$0.value.isEmpty }
    }

    /// `09:00-12:00,13:00-17:00`, or `closed` for none.
    static func dailyHours(_ text: String, field: String) throws -> [DailyHours] {
        if text.lowercased() == "closed" { return [] }
        return try text.split(separator: ",").map { part in
            guard let h = DailyHours(String(part)) else {
                throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(part)))\" is not an interval; use HH:MM-HH:MM with start before end (24:00 allowed)")
            }
            return h
        }
    }

    /// `mon-fri`, `sat`, `mon,wed,fri`, `daily`.
    static func weekdays(_ text: String, field: String) throws -> [Weekday] {
        if ["daily", "all", "every"].contains(text.lowercased()) { return Weekday.allCases }
        var out: [Weekday] = []
        for piece in text.split(separator: ",") {
            let ends = piece.split(separator: "-").map(String.init)
            guard let a = ends.first.flatMap(Weekday.init(name:)), ends.count <= 2 else {
                throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(piece)))\" is not a weekday or range; use mon, tue, … or mon-fri")
            }
            guard ends.count == 2 else { out.append(a); continue }
            guard let b = Weekday(name: ends[1]), b.index >= a.index else {
                throw CLIError.invalidInput(field: field, message: "\"\(Format.safe(String(piece)))\" is not a weekday range; use mon-fri (Monday first)")
            }
            out += Weekday.allCases[a.index...b.index]
        }
        return out
    }
}
