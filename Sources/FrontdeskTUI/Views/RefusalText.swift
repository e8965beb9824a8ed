import FrontdeskCore

/// The screen's refusal messages: sentences in the core's words (``CoreError/description(in:times:seriesAdvice:)``)
/// with the desk's times, and a shorter form for a taken slot, which names who holds it in the
/// little room a status line or form has.
enum RefusalText {
    /// The message for `error`, or nil where the front end's generic text stands. Times read in
    /// `zone`, the desk's.
    static func message(_ error: CoreError, state: BookingState, zone: Zone) -> String? {
        switch error {
        case .conflict(let list) where !list.isEmpty:
            return "Slot taken: " + list.map { taken($0, state: state, zone: zone, withResource: true) }.joined(separator: "; ")
        case .seriesConflicts(let map):
            let parts = map.keys.sorted().prefix(3).map { d in
                "\(Format.day(d)) (" + (map[d] ?? []).map { c in
                    let z = state.resources[c.resource]?.zone ?? zone
                    let what = "\(c.ref) \(c.customerName ?? "blocked time")"
                    return c.buffer.map { $0.phrase(what) { Format.clock($0, z) } } ?? what
                }.joined(separator: ", ") + ")"
            }
            return (map.count == 1 ? "1 occurrence of the series conflicts" : "\(map.count) occurrences of the series conflict") + ", so nothing was booked: "
                + parts.joined(separator: "; ") + (map.count > 3 ? "; …" : "") + "."
        case .insideCancellationNotice:
            let text = error.description(in: state, times: times(zone))
            return sentence(text.prefix(1).uppercased() + text.dropFirst())
        case .outsideOpeningHours, .blackout, .insideMinimumNotice, .beyondMaximumAdvance:
            return sentence(error.description(in: state, times: times(zone)))
        case .invalidInput(let field, let message):
            let names = ["email": "E-mail", "phone": "Phone", "customer": "Customer name", "notes": "Notes", "override": "Override reason"]
            return sentence(CoreError.invalidInput(field: names[field] ?? field, message: message).description)
        default: return nil
        }
    }

    /// A booking in the way, short: `B-006 Ann Lee on Chair 1 09:30–10:00, confirmed, held by
    /// alice` (without resource, status and holder in the form's live check), or the buffer
    /// that is in the way of it.
    static func taken(_ c: ConflictingBooking, state: BookingState, zone: Zone, withResource: Bool) -> String {
        let z = state.resources[c.resource]?.zone ?? zone
        let when = "\(Format.clock(c.range.start, z))–\(Format.clock(c.range.end, z))"
        let what = withResource
            ? "\(c.ref) \(c.customerName ?? "blocked time") on \(c.resourceName) \(when), \(Format.status(c.status)), held by \(c.heldBy)"
            : "\(c.ref) \(c.customerName ?? "blocked time") \(when)"
        // Only the buffer is in the way: name it, since the booking's own time looks free.
        return c.buffer.map { $0.phrase(what) { Format.clock($0, z) } } ?? what
    }

    /// The desk's times: ranges and moments in the desk's zone without its name, buffer edges
    /// in the resource's.
    static func times(_ zone: Zone) -> TimeWording {
        TimeWording(span: { r, _ in Format.range(r, zone) }, moment: { i, _ in Format.stamp(i, zone) },
                    clock: { i, z in Format.clock(i, z ?? zone) })
    }

    /// `text` as a sentence on the status line: with a full stop.
    static func sentence(_ text: String) -> String { text + "." }
}
