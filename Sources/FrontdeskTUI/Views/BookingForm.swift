import FrontdeskCore

/// The form for a new booking: customer search-as-you-type (with "create new" and its phone
/// and e-mail), duration (checked for conflicts as it is typed), status, notes and an optional
/// repeat rule (RRULE). Enter saves, Esc cancels;
/// after a refused save the form keeps everything typed. When a policy (hours, blackout,
/// notice, booking window) refuses the save, the form says so and, for a role that may override
/// (a manager's), shows an Override field: Enter with a reason there books anyway and records
/// the reason. Other roles see the refusal with the role an override needs, and no field.
///
/// On a store with services the form starts with a Service field (``ServicePick``): accepting
/// one sets the length, shows the price and deposit, and the resources chosen for the slot
/// (the cursor's column first where it fills a requirement), each changeable from the free
/// ones; a manager may set the price by hand, with a reason. With no service the form books
/// the cursor's resource as it always has.
struct BookingForm {
    enum Field: CaseIterable { case service, resources, customer, phone, email, blockReason, price, priceReason, duration, status, notes, repeatRule, override }
    enum Outcome: Equatable { case none, save, cancel, showCancelled(BookingID) }
    /// One line of the customer list.
    enum Option: Equatable {
        case none
        case existing(Customer)
        case new(String)
    }

    let resource: Resource
    /// Where the booking starts (the slot Enter was pressed on).
    let start: Instant
    /// How long it lasts, as typed (`45m`, `1h30m`, or minutes); `+`/`-` add or take a slot.
    var duration: TextField
    /// The booking's range: the start plus the typed duration (the slot length while it cannot be read).
    var range: TimeRange {
        if let s = pick.service { return s.range(startingAt: start) }
        return TimeRange(start: start, end: start + (parsedDuration ?? resource.slotLength))
    }
    /// The service part: search, the accepted service, its resources.
    var pick = ServicePick()
    /// Whether the store has services to offer (the Service field shows only then).
    var offersServices = false
    /// The store's currency, for the service's price (nil: prices are not shown).
    var currency: Currency?
    /// Whether the account may set a price by hand (a manager's): the Price field shows then.
    var mayPrice = false
    /// The price, prefilled with the service's; a different amount needs `priceReason`.
    var price = TextField(maxLength: 20)
    var priceReason = TextField(maxLength: 500)
    /// Resources tried first for the service: the cursor's column, then the customer's
    /// recent ones (``BookingStorage/recentResources(of:before:)``).
    var recent: (customer: CustomerID?, resources: [ResourceID]) = (nil, [])
    /// The time of the last live check, for the resource picker.
    var checkedAt: Instant?
    /// A cancelled booking that held this slot: Ctrl-O shows it (a new booking is offered first).
    var cancelledHere: Booking?
    /// What the live check found for the range: nil when it is free.
    var durationProblem: String?
    /// The duration the form opened with (a changed one counts as input).
    let initialDuration: String
    var customer = TextField(maxLength: 120)
    /// Phone and e-mail of a customer created with the booking (shown only for "create new").
    var phone = TextField(maxLength: 40)
    var email = TextField(maxLength: 254)
    /// An RFC 5545 RRULE (the subset `RecurrenceRule` reads); empty for a single booking.
    var repeatRule = TextField(maxLength: 200)
    var notes = TextField(maxLength: 500)
    /// The manager's reason for booking past a policy refusal.
    var override = TextField(maxLength: 200)
    /// Why the time is blocked (required when "no customer (blocked time)" is chosen); kept in
    /// the notes as the CLI's `--block REASON` does.
    var blockReason = TextField(maxLength: 200)
    /// Index into `options(in:)`; -1 while nothing is chosen (the form opens so: Enter, Enter
    /// must not book blocked time nobody asked for).
    var choice = -1
    var status: BookingStatus = .confirmed
    var focus: Field = .customer {
        // Select-on-focus: arriving at the pre-filled duration selects it, so typing replaces it.
        didSet { if focus != oldValue { durationSelected = focus == .duration } }
    }
    /// True while the duration's pre-filled value is selected: the first printable key
    /// replaces it; arrows, Home/End and Backspace edit it instead.
    var durationSelected = false
    /// The last refusal, shown in the form.
    var error: String?
    /// The policy that refuses this booking, once known: the Override field shows while set,
    /// if the account may override.
    var policyRefusal: String?
    /// Whether the account's role may override a policy (a manager's): without it a policy
    /// refusal shows with the role it needs, and the Override field stays hidden.
    var mayOverride = true

    static let statuses: [BookingStatus] = [.confirmed, .tentative, .pendingPayment]
    static let maxMatches = 5
    /// What `refreshMatches(in:)` found, and for which text.
    var found: (text: String, customers: [Customer]) = ("", [])
    static let labelWidth = 10

    /// A form for `range` (one slot, or the selected slots); without a selection the duration
    /// is the resource's slot length.
    init(resource: Resource, range: TimeRange, policyRefusal: String? = nil, cancelledHere: Booking? = nil) {
        self.resource = resource; self.start = range.start; self.policyRefusal = policyRefusal
        self.cancelledHere = cancelledHere
        initialDuration = range.duration.text
        duration = TextField(initialDuration, maxLength: 12)
    }

    /// Offers the store's services first: the Service field shows and takes the cursor.
    mutating func offerServices(currency: Currency?, mayPrice: Bool) {
        offersServices = true; self.currency = currency; self.mayPrice = mayPrice
        focus = .service
    }

    /// The typed duration: `45m`, `1h30m`, `1h 15m`, or a bare number of minutes; nil when unreadable or not positive.
    var parsedDuration: TimeSpan? {
        let t = duration.text.trimming(.whitespaces)
        if let n = Int(t), n > 0, n <= 366 * 24 * 60 { return .minutes(Int64(n)) }
        guard let d = TimeSpan(text: t), d.seconds > 0 else { return nil }
        return d
    }

    /// Checks the range as saving would, so a clash or a policy refusal shows while typing
    /// rather than on save: a dry run of the engine's own booking (opening hours, blackouts,
    /// notice, buffers, related resources), whose plan is thrown away.
    mutating func check(state: BookingState, now: Instant) {
        checkedAt = now
        if pick.service != nil {
            pick.choose(state: state, start: start, preferred: preferred, now: now, policies: overrideReason == nil)
            durationProblem = pick.problem
            return
        }
        guard parsedDuration != nil else {
            durationProblem = "Duration: type minutes or e.g. 45m, 1h30m"; return
        }
        let request = BookingRequest(resource: resource.id, range: range, status: .confirmed)
        let engine = BookingEngine(clock: FixedClock(now), ids: SequentialIdentifierSource())
        do {
            _ = try engine.book(request, in: state, by: Author(user: "dry-run", source: .tui))
            durationProblem = nil
        } catch .conflict(let found) where !found.isEmpty {
            durationProblem = "Taken: " + RefusalText.taken(found[0], state: state, zone: resource.zone, withResource: false)
                + (found.count > 1 ? " (+\(found.count - 1) more)" : "")
        } catch {
            let text = error.description(in: state)
            durationProblem = (error.isOverridablePolicy ? "Not bookable: " : "") + text.prefix(1).uppercased() + text.dropFirst()
                + (error.isOverridablePolicy ? " (a manager override can book it)" : "")
        }
    }

    /// True once something was typed (quitting then asks first).
    var hasInput: Bool {
        [customer, phone, email, blockReason, repeatRule, notes, override, priceReason].contains { !$0.text.isEmpty }
            || duration.text != initialDuration || !pick.text.text.isEmpty
    }

    /// Customers the typed text finds: those whose name (or a later word of it) starts with it,
    /// ignoring case and accents, then those whose reference, phone or e-mail it is; at most
    /// `maxMatches`. What `refreshMatches(in:)` last found through the storage's customer index
    /// for this text; before any lookup, what the state holds (the same rules, over the customers
    /// in memory).
    func matches(in state: BookingState) -> [Customer] {
        let t = customer.text.trimming(.whitespaces)
        guard !t.isEmpty else { return [] }
        if found.text == t { return found.customers }
        let p = CustomerKey.foldedName(t)
        let keys = Set(CustomerKey.candidates(t))
        let named = CustomerKey.nameSearch(state.customers.values, prefix: p, limit: Self.maxMatches)
        let keyed = state.customers.values.filter { c in !CustomerKey.nameMatches(c.name, prefix: p) && CustomerKey.keys(of: c).contains(where: keys.contains) }
            .sorted(by: CustomerKey.nameOrder)
        return Array((named + keyed).prefix(Self.maxMatches))
    }

    /// Looks the typed text up through `storage`'s customer index (a name prefix, then the
    /// reference, phone and e-mail keys), once per change of the text: search-as-you-type reads
    /// a few index files instead of scanning every customer. A lookup that fails is shown in
    /// the form's error line, never taken for "no customer".
    mutating func refreshMatches(in storage: any BookingStorage) {
        let t = customer.text.trimming(.whitespaces)
        guard found.text != t else { return }
        guard !t.isEmpty else { found = ("", []); return }
        do {
            var list = try storage.customers(namePrefix: t, limit: Self.maxMatches)
            var seen = Set(list.map(\.id))
            for key in CustomerKey.candidates(t) where !key.hasPrefix("n:") {
                for c in try storage.customers(key: key) where seen.insert(c.id).inserted { list.append(c) }
            }
            found = (t, Array(list.prefix(Self.maxMatches)))
        } catch {
            found = ("", [])
            self.error = "Customer search failed: \(storage.describe(error).message)"
        }
    }

    /// The choices under the customer field.
    func options(in state: BookingState) -> [Option] {
        let t = customer.text.trimming(.whitespaces)
        guard !t.isEmpty else { return [.none] }
        return matches(in: state).map(Option.existing) + [.new(t)]
    }

    /// The chosen customer option; nil while none is chosen.
    func selectedOption(in state: BookingState) -> Option? {
        let opts = options(in: state)
        guard choice >= 0 else { return nil }
        return opts[min(choice, opts.count - 1)]
    }

    /// True when "no customer (blocked time)" is chosen (its Reason field then shows).
    func blocksTime(in state: BookingState) -> Bool { selectedOption(in: state) == Option.none }

    /// Why the form cannot be saved as it stands (no customer chosen, blocked time with no
    /// reason), with the field to go to; nil when it can.
    func missingChoice(in state: BookingState) -> (text: String, field: Field)? {
        guard let o = selectedOption(in: state) else {
            return ("Customer: type a name to find or create one, or ↓ to choose blocked time (no customer).", .customer)
        }
        if o == .none, blockReason.text.trimming(.whitespaces).isEmpty {
            return ("Blocked time needs a reason: type it in Reason.", .blockReason)
        }
        return nil
    }

    /// The notes to store: for blocked time, `Blocked: <reason>` first (as `book --block` keeps it).
    var notesToSave: String {
        let reason = blockReason.text.trimming(.whitespaces)
        guard choice >= 0, customer.text.trimming(.whitespaces).isEmpty, !reason.isEmpty else { return notes.text }
        return notes.text.isEmpty ? "Blocked: \(reason)" : "Blocked: \(reason)\n\(notes.text)"
    }

    /// True when the booking will create a new customer (phone and e-mail then show).
    func createsCustomer(in state: BookingState) -> Bool {
        if case .new = selectedOption(in: state) { return true }
        return false
    }

    /// The customer the booking will be for.
    func customerChoice(in state: BookingState) -> CustomerChoice? {
        switch selectedOption(in: state) {
        case nil, .none?: return nil
        case .existing(let c): return .existing(c.id)
        case .new(let name): return .new(name: name, phone: phone.text, email: email.text)
        }
    }

    /// The repeat rule as the core reads it: nil when empty; a `CoreError` when unreadable.
    func recurrence() throws -> RecurrenceRule? {
        let t = repeatRule.text.trimming(.whitespaces)
        return t.isEmpty ? nil : try RecurrenceRule(parsing: t)
    }

    /// The override reason to send: nil unless the Override field shows and holds text.
    var overrideReason: String? {
        guard policyRefusal != nil, mayOverride else { return nil }
        let t = override.text.trimming(.whitespaces)
        return t.isEmpty ? nil : t
    }

    /// The fields Tab visits, in screen order.
    func visibleFields(in state: BookingState) -> [Field] {
        let isNew = createsCustomer(in: state)
        return Field.allCases.filter { f in
            switch f {
            case .phone, .email: isNew
            case .blockReason: blocksTime(in: state)
            case .override: policyRefusal != nil && mayOverride
            case .service: offersServices
            case .resources: pick.service != nil
            case .duration, .repeatRule: pick.service == nil
            case .price: showsPrice
            case .priceReason: showsPrice && priceChanged
            default: true
            }
        }
    }

    /// Puts the cursor in the field a refusal is about (by the core's field name).
    mutating func focus(onField name: String, in state: BookingState) {
        let map: [String: Field] = ["customer": .customer, "name": .customer, "block": .blockReason, "phone": .phone, "email": .email, "end": .duration,
                                    "repeat": .repeatRule, "notes": .notes, "override": .override, "service": .service, "resource": .resources,
                                    "price": .price, "deposit": .price, "reason": .priceReason]
        if let f = map[name], visibleFields(in: state).contains(f) { focus = f }
    }

    mutating func handle(_ key: KeyEvent, state: BookingState) -> Outcome {
        let fields = visibleFields(in: state)
        if !fields.contains(focus) { focus = .customer }
        let here = fields.firstIndex(of: focus) ?? 0
        // Enter or Tab on a highlighted service accepts it (Enter saves only once one is chosen
        // or the field is left empty).
        if focus == .service, key == .enter || key == .tab, let s = pick.highlighted(in: state) {
            accept(s)
            let now = visibleFields(in: state)
            focus = now[min((now.firstIndex(of: .service) ?? 0) + 1, now.count - 1)]
            return .none
        }
        switch key {
        case .enter: return .save
        case .escape: return .cancel
        case .ctrl("o"): if let b = cancelledHere { return .showCancelled(b.id) }; return .none
        case .tab: focus = fields[(here + 1) % fields.count]; return .none
        case .backTab: focus = fields[(here + fields.count - 1) % fields.count]; return .none
        default: break
        }
        switch focus {
        case .service:
            if key == .down, !pick.matches(in: state).isEmpty { pick.moveChoice(1, in: state); return .none }
            if key == .up, !pick.matches(in: state).isEmpty { pick.moveChoice(-1, in: state); return .none }
            if key == .down { focus = fields[min(here + 1, fields.count - 1)]; return .none }
            if pick.edit(key) { error = nil; price = TextField(maxLength: 20); priceReason = TextField(maxLength: 500) }
        case .resources:
            let policies = overrideReason == nil
            switch key {
            case .right, .char(" "), .char("l"), .left, .char("h"):
                let delta = (key == .left || key == .char("h")) ? -1 : 1
                if let at = checkedAt, !pick.cycle(delta, state: state, start: start, now: at, policies: policies) {
                    error = "No other free resource fills this one's need at this time."
                } else { error = nil }
            case .down:
                if pick.pickIndex + 1 < pick.picks.count { pick.pickIndex += 1 } else { focus = fields[min(here + 1, fields.count - 1)] }
            case .up:
                if pick.pickIndex > 0 { pick.pickIndex -= 1 } else { focus = fields[max(here - 1, 0)] }
            default: break
            }
        case .customer:
            let count = options(in: state).count
            if key == .down { choice = min(choice + 1, count - 1); return .none }
            // With nothing typed, Up goes back to no choice at all.
            if key == .up { choice = max(customer.text.isEmpty ? -1 : 0, choice - 1); return .none }
            if customer.handle(key) { choice = customer.text.isEmpty ? -1 : 0; error = nil }
        case .status:
            let i = Self.statuses.firstIndex(of: status) ?? 0
            switch key {
            case .right, .char(" "), .char("l"): status = Self.statuses[(i + 1) % Self.statuses.count]
            case .left, .char("h"): status = Self.statuses[(i + Self.statuses.count - 1) % Self.statuses.count]
            case .down: focus = fields[min(here + 1, fields.count - 1)]
            case .up: focus = fields[max(here - 1, 0)]
            default: break
            }
        case .duration:
            let step = resource.slotLength
            if key == .char("+") || key == .char("-") {
                let now = parsedDuration ?? step
                let next = key == .char("+") ? now + step : TimeSpan(seconds: max(step.seconds, now.seconds - step.seconds))
                duration = TextField(next.text, maxLength: 12)
                return .none
            }
            if key == .up { focus = fields[max(here - 1, 0)]; return .none }
            if key == .down { focus = fields[min(here + 1, fields.count - 1)]; return .none }
            // Select-on-focus: the first printable key replaces the pre-filled value; any
            // other editing key (arrows, Backspace, Home/End) starts editing it in place.
            if durationSelected, case .char = key { duration = TextField(maxLength: 12) }
            if duration.handle(key) { error = nil; durationSelected = false }
        case .phone, .email, .blockReason, .repeatRule, .notes, .override, .price, .priceReason:
            if key == .up { focus = fields[max(here - 1, 0)]; return .none }
            if key == .down { focus = fields[min(here + 1, fields.count - 1)]; return .none }
            if edit(focus, key) { error = nil }
        }
        return .none
    }

    /// Applies an editing key to a text field; false when the key is not an editing key.
    private mutating func edit(_ f: Field, _ key: KeyEvent) -> Bool {
        let path: WritableKeyPath<BookingForm, TextField>
        switch f {
        case .phone: path = \.phone
        case .email: path = \.email
        case .blockReason: path = \.blockReason
        case .repeatRule: path = \.repeatRule
        case .notes: path = \.notes
        case .override: path = \.override
        case .customer: path = \.customer
        case .duration: path = \.duration
        case .price: path = \.price
        case .priceReason: path = \.priceReason
        case .status, .service, .resources: return false
        }
        return self[keyPath: path].handle(key)
    }

    /// What the repeat field will do, shown under it: a count and the last date, or why not.
    func repeatSummary() -> (text: String, isError: Bool) {
        let rule: RecurrenceRule?
        do { rule = try recurrence() } catch { return (Self.describe(error), true) }
        guard let rule else { return ("one booking · e.g. FREQ=WEEKLY;COUNT=4 or FREQ=DAILY;UNTIL=20270331", false) }
        do {
            let list = try rule.occurrences(startingAt: resource.zone.local(range.start), in: resource.zone)
            guard let last = list.last else { return ("no occurrences", true) }
            return ("\(list.count) booking\(list.count == 1 ? "" : "s"), the last on \(Format.day(last.date))", false)
        } catch {
            return (Self.describe(error), true)
        }
    }

    /// One sentence for a recurrence refusal.
    static func describe(_ error: Error) -> String {
        if let e = error as? CoreError { let t = String(describing: e); return t.prefix(1).uppercased() + t.dropFirst() }
        return "Repeat rule: \(error)"
    }

    func draw(into grid: inout CellGrid, state: BookingState) {
        let opts = options(in: state)
        let isNew = createsCustomer(in: state)
        let refusalLines = policyRefusal.map { Self.wrap($0, width: 68) } ?? []
        let errorLines = error.map { Self.wrap($0, width: 68) } ?? []
        // Ten fixed lines (heading, customer, status, notes, repeat and its summary, hint, three
        // blank), the options, the contact fields, the override block, the error; two borders.
        let checkLines = durationProblem.map { Self.wrap($0, width: 68) } ?? []
        let blocks = blocksTime(in: state)
        // A service hides Repeat and its summary, and brings its own lines.
        let serviceLines = serviceLineCount(in: state) - (pick.service == nil ? 0 : 2)
        let height = 13 + serviceLines + max(1, checkLines.count) + opts.count + (isNew ? 2 : 0) + (blocks ? 1 : 0) + (cancelledHere == nil ? 0 : 1) + (policyRefusal == nil ? 0 : refusalLines.count + 2) + max(1, errorLines.count)
        let box = Box.centred(in: grid, height: height, width: 72)
        box.draw(into: &grid, title: "New booking")
        let fieldWidth = box.innerWidth - Self.labelWidth
        var line = 0
        func putLabel(_ text: String, _ field: Field) {
            guard line < box.capacity else { return }
            grid.putPadded(text, row: box.row + 1 + line, col: box.col + 2, width: Self.labelWidth,
                           role: focus == field ? .dialogTitle : .dialog)
        }
        func input(_ label: String, _ field: Field, _ value: TextField) {
            guard line < box.capacity else { line += 1; return }
            putLabel(label, field)
            value.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: fieldWidth, focused: focus == field)
            line += 1
        }
        func text(_ t: String, _ role: StyleRole = .dialog) { box.line(line, t, into: &grid, role: role); line += 1 }

        if pick.service != nil {
            text("\(Format.range(range, resource.zone)) \(resource.zone)")
        } else {
            text("\(resource.name) · \(Format.range(range, resource.zone)) \(resource.zone)")
        }
        if let c = cancelledHere {
            text("A cancelled booking, \(c.ref), held this slot: Ctrl-O shows it.", .dim)
        }
        line += 1
        if offersServices { drawService(into: &grid, box: box, line: &line, state: state) }
        input("Customer", .customer, customer)
        for (i, o) in opts.enumerated() {
            let t: String
            switch o {
            case .none: t = choice < 0 ? "no customer (blocked time): ↓ to choose it" : "no customer (blocked time)"
            case .existing(let c): t = "\(c.name)  \(c.ref)" + (c.phone.map { "  \($0)" } ?? "")
            case .new(let name): t = "+ create new customer \"\(name)\""
            }
            let selected = choice >= 0 && i == min(choice, opts.count - 1)
            text((selected ? "  › " : "    ") + t, selected && focus == .customer ? .selection : .dialog)
        }
        if isNew {
            input("  Phone", .phone, phone)
            input("  E-mail", .email, email)
        }
        if blocks { input("  Reason", .blockReason, blockReason) }
        if showsPrice, let c = currency {
            if line < box.capacity {
                let deposit = pick.service?.deposit.map { " · deposit \(Format.money($0, c))" } ?? ""
                grid.putPadded(c.code + deposit + (priceChanged ? " · set by hand: give a reason" : ""), row: box.row + 1 + line,
                               col: box.col + 3 + Self.labelWidth + 12, width: max(0, box.innerWidth - Self.labelWidth - 13), role: .dim)
            }
            putLabel("Price", .price)
            if line < box.capacity {
                price.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: 12, focused: focus == .price)
            }
            line += 1
            if priceChanged { input("  Reason", .priceReason, priceReason) }
        }
        if let s = pick.service {
            // The service sets the length: shown, not a field (the line is counted below).
            box.line(line, Format.padded("Duration", toColumns: Self.labelWidth) + "\(s.duration.text) from the service · until \(Format.clock(range.end, resource.zone))",
                     into: &grid, role: .dim)
        } else if line < box.capacity {
            putLabel("Duration", .duration)
            let w = 12
            duration.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: w, focused: focus == .duration)
            if focus == .duration && durationSelected {
                grid.restyle(row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: DisplayWidth.of(duration.text), role: .selection)
            }
            grid.putPadded("until \(Format.clock(range.end, resource.zone)) · + - one slot", row: box.row + 1 + line,
                           col: box.col + 3 + Self.labelWidth + w, width: max(0, fieldWidth - w - 1), role: .dim)
        }
        line += 1
        // The live check, on a line of its own so a clash is read whole.
        if checkLines.isEmpty { text(String(repeating: " ", count: Self.labelWidth) + "free", .dim) }
        for l in checkLines { text(l, .error) }
        line += 1
        if line < box.capacity {
            putLabel("Status", .status)
            grid.putPadded("‹ \(Format.status(status)) ›", row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: fieldWidth,
                           role: focus == .status ? .fieldFocus : .field)
        }
        line += 1
        input("Notes", .notes, notes)
        if pick.service == nil {
            input("Repeat", .repeatRule, repeatRule)
            let summary = repeatSummary()
            text(String(repeating: " ", count: Self.labelWidth) + summary.text, summary.isError ? .error : .dim)
        }
        if policyRefusal != nil {
            line += 1
            for l in refusalLines { text(l, .error) }
            if mayOverride { input("Override", .override, override) }
        }
        line += 1
        if errorLines.isEmpty { line += 1 } else { for l in errorLines { text(l, .error) } }
        text(hint, .dim)
    }

    /// Draws the service part: the Service field, then the matches (or a hint), or for an
    /// accepted service its summary, the resources it will hold and, for a manager, its price.
    func drawService(into grid: inout CellGrid, box: Box, line: inout Int, state: BookingState) {
        let fieldCol = box.col + 2 + Self.labelWidth, fieldWidth = box.innerWidth - Self.labelWidth
        func label(_ t: String, _ field: Field) {
            guard line < box.capacity else { return }
            grid.putPadded(t, row: box.row + 1 + line, col: box.col + 2, width: Self.labelWidth, role: focus == field ? .dialogTitle : .dialog)
        }
        func text(_ t: String, _ role: StyleRole = .dialog) { box.line(line, t, into: &grid, role: role); line += 1 }
        label("Service", .service)
        if line < box.capacity {
            pick.text.draw(into: &grid, row: box.row + 1 + line, col: fieldCol, width: fieldWidth, focused: focus == .service)
        }
        line += 1
        let pad = String(repeating: " ", count: Self.labelWidth)
        guard let service = pick.service else {
            let found = pick.matches(in: state)
            if found.isEmpty { text(pad + serviceHint(in: state), .dim) }
            for (i, s) in found.enumerated() {
                let selected = i == min(pick.choice, found.count - 1)
                text((selected ? "  › " : "    ") + ServicePick.matchLine(s, currency: currency), selected && focus == .service ? .selection : .dialog)
            }
            line += 1
            return
        }
        text(pad + (pick.summary(currency: currency) ?? ""), .dim)
        label("Resources", .resources)
        if pick.picks.isEmpty { text(pad + "none free", .error) }
        for (i, id) in pick.picks.enumerated() {
            let name = state.resources[id]?.name ?? id.rawValue
            let need = pick.requirementOf.indices.contains(i) ? service.requirements[pick.requirementOf[i]].description : ""
            let selected = focus == .resources && i == pick.pickIndex
            if line < box.capacity {
                grid.putPadded("‹ \(name) ›  \(need)", row: box.row + 1 + line, col: fieldCol, width: fieldWidth, role: selected ? .fieldFocus : .field)
            }
            line += 1
        }
        line += 1
    }

    /// The keys the focused field takes, then the form's own.
    var hint: String {
        let form = "Enter save · Esc cancel · Tab next"
        switch focus {
        case .service: return "Type a service · ↑↓ pick · Tab/Enter accept · Esc cancel"
        case .resources: return "←→ swap for a free one · ↑↓ next · Enter save · Esc cancel"
        case .price: return "Another amount needs a reason · " + form
        case .priceReason: return "Type why the price is set by hand · " + form
        case .customer: return "Type a name · ↑↓ pick · " + form
        case .duration: return (durationSelected ? "Type to replace" : "←→ ⌫ edit") + " · + - one slot · " + form
        case .status: return "←→ change status · " + form
        case .blockReason: return "Type why the time is blocked · " + form
        case .override: return "Type the manager's reason · Enter save with it · Esc cancel"
        case .phone, .email, .notes, .repeatRule: return "Type · ↑↓ field · " + form
        }
    }

    /// Splits text into lines of at most `width` columns at spaces (at most three lines).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current); current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > 3 { lines = Array(lines.prefix(3)); lines[2] += " …" }
        return lines
    }
}

