import FrontdeskCore

/// The booking form's service part: search-as-you-type over the services not archived, the
/// one accepted, and the resources its booking will hold.
///
/// The resources are the core's choice (``BookingState/chooseResources(for:at:fixed:preferred:now:policies:)``,
/// what `book --service` books) until the user changes a pick; each pick then offers only the
/// free resources that fill its requirement, and the picks are booked as shown.
struct ServicePick {
    /// Most services listed under the field.
    static let maxMatches = 5

    /// What was typed to find a service (the accepted service's name once one is).
    var text = TextField(maxLength: 120)
    /// The accepted service; nil while none is (the form is then the one-resource form).
    var service: Service?
    /// The highlighted match under the field.
    var choice = 0
    /// The resources the booking will hold, requirement by requirement.
    var picks: [ResourceID] = []
    /// The index of the requirement each pick fills.
    var requirementOf: [Int] = []
    /// True once a pick was changed by hand: the picks are then kept, not chosen again.
    var byHand = false
    /// The pick ←→ changes.
    var pickIndex = 0
    /// Why the picks cannot be booked (no combination free, a picked resource taken); nil
    /// when they can.
    var problem: String?

    /// The services the typed text finds, while none is accepted.
    func matches(in state: BookingState) -> [Service] {
        guard service == nil else { return [] }
        let t = text.text.trimming(.whitespaces)
        guard !t.isEmpty else { return [] }
        return state.services(matching: t, limit: Self.maxMatches)
    }

    /// The highlighted match, if any.
    func highlighted(in state: BookingState) -> Service? {
        let m = matches(in: state)
        return m.isEmpty ? nil : m[min(choice, m.count - 1)]
    }

    /// Accepts `s`: the field shows its name and its resources are chosen afresh.
    mutating func accept(_ s: Service) {
        service = s
        text = TextField(s.name, maxLength: 120)
        reset()
    }

    /// Applies an editing key to the search text; changing the text drops the accepted
    /// service. False when the key is not an editing key.
    mutating func edit(_ key: KeyEvent) -> Bool {
        let before = text.text
        guard text.handle(key) else { return false }
        if text.text != before {
            service = nil
            choice = 0
            reset()
        }
        return true
    }

    private mutating func reset() {
        picks = []; requirementOf = []; byHand = false; pickIndex = 0; problem = nil
    }

    /// Moves the highlight among the matches.
    mutating func moveChoice(_ delta: Int, in state: BookingState) {
        let n = matches(in: state).count
        choice = n == 0 ? 0 : min(max(0, choice + delta), n - 1)
    }

    /// Chooses the resources for a start at `start` (`preferred` tried first), or, once picked
    /// by hand, checks that the picks still fit together; `problem` says why not.
    mutating func choose(state: BookingState, start: Instant, preferred: [ResourceID], now: Instant, policies: Bool) {
        guard let s = service else { return }
        switch state.chooseResources(for: s, at: start, fixed: byHand ? picks : [], preferred: preferred, now: now, policies: policies) {
        case .success(let chosen):
            picks = chosen.flatMap { $0 }
            requirementOf = chosen.enumerated().flatMap { i, list in list.map { _ in i } }
            problem = nil
        case .failure(let failure):
            // Only a resource's rules in the way: say which rule, as saving would.
            let error = state.refusal(failure, service: s, start: start, fixed: byHand ? picks : [], preferred: preferred,
                                      now: now, policies: policies)
            let text = error.description(in: state)
            problem = (error.isOverridablePolicy ? "Not bookable: " : "") + text.prefix(1).uppercased() + text.dropFirst()
                + (error.isOverridablePolicy ? " (a manager override can book it)" : "")
            if !byHand { picks = []; requirementOf = [] }
        }
        pickIndex = min(pickIndex, max(0, picks.count - 1))
    }

    /// The resources pick `index` may become: those that fill its requirement, free for the
    /// service's time, not held by another pick, in reference order (the current one
    /// included, free or not).
    func options(for index: Int, state: BookingState, start: Instant, now: Instant, policies: Bool) -> [ResourceID] {
        guard let s = service, picks.indices.contains(index), requirementOf.indices.contains(index) else { return [] }
        let others = Set(picks.enumerated().filter { $0.offset != index }.map(\.element))
        let free = Set(state.freeResources(for: s, requirement: requirementOf[index], at: start, now: now, policies: policies).map(\.id))
        let current = picks[index]
        return state.candidates(for: s).map(\.id).filter { $0 == current || (free.contains($0) && !others.contains($0)) }
    }

    /// Changes the pick under the cursor to the next (`delta` 1) or previous of its options;
    /// false when it has no other.
    mutating func cycle(_ delta: Int, state: BookingState, start: Instant, now: Instant, policies: Bool) -> Bool {
        let list = options(for: pickIndex, state: state, start: start, now: now, policies: policies)
        guard list.count > 1, let i = list.firstIndex(of: picks[pickIndex]) else { return false }
        picks[pickIndex] = list[(i + delta + list.count) % list.count]
        byHand = true
        return true
    }

    /// The line under an accepted service: its length, price and deposit, what it needs.
    func summary(currency: Currency?) -> String? {
        guard let s = service else { return nil }
        var parts = [s.duration.text]
        if let c = currency, let p = s.price {
            parts.append(Format.money(p, c) + ((s.deposit ?? 0) > 0 ? ", deposit " + Format.money(s.deposit ?? 0, c) : ""))
        }
        parts.append("needs " + s.requirements.map(\.description).joined(separator: ", "))
        return parts.joined(separator: " · ")
    }

    /// One line of the list under the field for `s`.
    static func matchLine(_ s: Service, currency: Currency?) -> String {
        var t = "\(s.name)  \(s.duration.text)"
        if let c = currency, let p = s.price { t += "  " + Format.money(p, c) }
        return t
    }
}
