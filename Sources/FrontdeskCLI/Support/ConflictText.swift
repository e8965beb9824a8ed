import FrontdeskCore

/// Conflict messages as the command line words them: each booking's time as `book` and `list`
/// print it (`Format.spanLine`: the end's date on another day, offsets across a clock change),
/// and for a series the flag that books the rest, which the core leaves to each front end.
enum ConflictText {
    /// The message for a conflict, or nil for any other error (the core's wording stands).
    static func message(_ error: CoreError, state: BookingState?) -> String? {
        func one(_ c: ConflictingBooking) -> String {
            guard let state, let z = state.resources[c.resource]?.zone else { return c.summary }
            let what = "\(c.ref) (\(c.customerName ?? "blocked time"), \(c.resourceName), \(Format.spanLine(c.range, z)), \(c.status), by \(c.heldBy))"
            return c.buffer.map { $0.phrase(what, time: { Format.clock($0, z) }) } ?? what
        }
        switch error {
        case .conflict(let list) where !list.isEmpty:
            return "conflicts with " + list.map(one).joined(separator: "; ")
        case .seriesConflicts(let map):
            let parts = map.keys.sorted().map { d in "\(d): " + (map[d] ?? []).map(one).joined(separator: ", ") }
            let head = map.count == 1 ? "1 occurrence of the series conflicts" : "\(map.count) occurrences of the series conflict"
            return head + " (nothing was booked; add --skip-conflicts to book the rest): " + parts.joined(separator: "; ")
        default:
            return nil
        }
    }
}
