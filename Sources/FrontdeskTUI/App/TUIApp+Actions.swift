import FrontdeskCore

/// Every change goes through `connection.write`, which plans it with the core against the
/// latest data under the store's lock.
extension TUIApp {
    /// The result of a write: the value, or the core refusal (if any) and a message.
    enum WriteResult<T> {
        case done(T)
        case refused(CoreError?, String)
    }

    func write<T: Sendable>(_ operation: String, _ change: ChangeRequest,
                            _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) -> WriteResult<T> {
        if case .readOnly(let why) = connection.mode { return .refused(nil, "Read-only: \(why). Nothing was changed.") }
        do {
            let value = try connection.write(operation, change, plan)
            dataChanged()
            return .done(value)
        } catch {
            let (core, text) = connection.describe(error)
            return .refused(core, phrase(core) ?? text)
        }
    }

    /// Messages that name what a receptionist needs (who holds the slot, in local time).
    func phrase(_ error: CoreError?) -> String? {
        error.flatMap { RefusalText.message($0, state: state, zone: zone) }
    }

    // MARK: Enter

    func open() {
        switch view {
        case .agenda:
            guard let b = targetBooking() else { show("No booking selected."); return }
            overlay = .detail(DetailView.State(booking: b.id))
        case .waitlist: bookFromWaitlist()
        case .reports: break
        case .day, .week:
            guard let (layout, col) = cursorLayout() else { show("No resources to book.", error: true); return }
            let rows = selectedRows(in: layout)
            // A slot whose only booking is cancelled (or a no-show) is offered for a new booking;
            // its detail stays one key away (Ctrl-O in the form).
            var cancelledHere: Booking?
            if anchorSecond == nil, let b = layout.booking(resource: col, row: rows.lowerBound) {
                if b.status.occupiesSlot { overlay = .detail(DetailView.State(booking: b.id)); return }
                cancelledHere = b
            }
            guard permitted(.book) else { return }
            let resource = layout.resources[col]
            var policy: String?
            for r in rows {
                let at = Format.clock(layout.second(ofRow: r))
                switch layout.cells[col][r] {
                case .closed: policy = policy ?? "\(resource.name) is closed at \(at) on \(Format.day(date))."
                case .blackout: policy = policy ?? "\(resource.name) is blacked out at \(at) on \(Format.day(date))\(blackoutReason(resource, layout.range(row: r)))."
                case .occupiedByRelated(let i, _):
                    let b = layout.bookings[i]
                    show("\(resource.name) is taken by \(b.ref) on \(state.resources[b.resource]?.name ?? "a related resource").", error: true); return
                case .booking(let i, _) where layout.bookings[i].status.occupiesSlot:
                    show("The selection overlaps \(layout.bookings[i].ref); pick free slots.", error: true); return
                default: break
                }
            }
            // One slot without a selection lasts the resource's slot length (the grid's rows may be shorter).
            let start = layout.rowStarts[rows.lowerBound]
            let range = anchorSecond == nil ? TimeRange(start: start, end: start + resource.slotLength)
                                            : TimeRange(start: start, end: layout.rowStarts[rows.upperBound + 1])
            guard !isReadOnly else { show("Read-only: bookings cannot be made now.", error: true); return }
            // Closed or blacked-out time can still be booked, but only with a manager's override.
            var form = BookingForm(resource: resource, range: range, policyRefusal: policy.map(overrideOffer), cancelledHere: cancelledHere)
            form.mayOverride = connection.allows(.overridePolicy)
            if state.services.values.contains(where: { !$0.archived }) {
                form.offerServices(currency: state.currency, mayPrice: connection.allows(.setPrice))
            }
            form.check(state: state, now: now)
            overlay = .form(form)
        }
    }

    var isReadOnly: Bool { if case .readOnly = connection.mode { return true }; return false }

    /// A policy refusal as the booking form shows it: the override a manager can give, or,
    /// when the account's role cannot give one, the role it needs (the one authorization's
    /// message), since the form then has no Override field.
    func overrideOffer(_ refusal: String) -> String {
        do { try connection.authorize(.overridePolicy) } catch { return refusal + " An override is needed: " + error.description + "." }
        return refusal + " Only a manager override with a reason can book it."
    }

    /// Saves the form: one booking, a series, or a service with the resources it shows. A
    /// refusal keeps the form filled and puts the cursor in the field it is about; a policy
    /// refusal also opens the Override field.
    func save(_ form: BookingForm) {
        var form = form
        guard form.pick.service != nil || form.parsedDuration != nil else {
            refuse(&form, "Duration: type minutes or e.g. 45m, 1h30m (\"\(form.duration.text)\" cannot be read).", field: .duration)
            return
        }
        // Who it is for must be chosen: blocked time only when picked, and with a reason.
        if let missing = form.missingChoice(in: state) {
            refuse(&form, missing.text, field: missing.field)
            return
        }
        let overrideReason = form.overrideReason
        let actor = connection.actor
        let result: WriteResult<BookingOutcome>
        do throws(CoreError) {
            if let request = try form.serviceRequest(in: state, overrideReason: overrideReason) {
                result = write("book", BookingEngine.change(for: request, in: state)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
                    try e.bookService(request, in: s, by: actor)
                }
            } else {
                let recurrence: RecurrenceRule?
                do { recurrence = try form.recurrence() } catch {
                    refuse(&form, BookingForm.describe(error), field: .repeatRule)
                    return
                }
                let request = BookingRequest(resource: form.resource.id, customer: form.customerChoice(in: state), range: form.range,
                                             status: form.status, notes: form.notesToSave, recurrence: recurrence, overrideReason: overrideReason)
                result = write("book", .book(request)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
                    try e.book(request, in: s, by: actor)
                }
            }
        } catch {
            // The form's own fields (a price that cannot be read, a missing reason).
            if case .invalidInput(let field, _) = error { form.focus(onField: field, in: state) }
            refuse(&form, phrase(error) ?? error.description(in: state), field: nil)
            return
        }
        switch result {
        case .done(let outcome):
            overlay = nil; anchorSecond = nil; selecting = false
            undoStack.append(.booked(outcome.bookings.map(\.id)))
            let b = outcome.bookings[0]
            let z = form.resource.zone
            var text: String
            if let service = form.pick.service {
                text = "Booked \(b.ref) for \(Format.customer(b, state)): \(service.name), \(state.resourceNames(b.resources)) \(Format.range(b.range, z))"
                if let c = b.charges {
                    text += " (" + Format.money(c.price, c.currency) + (c.deposit > 0 ? ", deposit \(Format.money(c.deposit, c.currency)) due" : "") + ")"
                }
                text += "."
                // The next step at the desk, on the key that takes it.
                if let c = b.charges, c.deposit > 0, keys.hint(.pay) != "unbound" { text += " \(keys.hint(.pay)) takes the deposit." }
            } else if let last = outcome.bookings.last, outcome.bookings.count > 1 {
                text = "Booked \(outcome.bookings.count) bookings \(b.ref)–\(last.ref) for \(Format.customer(b, state)): \(form.resource.name) "
                    + "\(Format.range(b.range, z)) to \(Format.day(z.local(last.start).date))."
            } else {
                text = "Booked \(b.ref) for \(Format.customer(b, state)): \(form.resource.name) \(Format.range(b.range, z))."
            }
            if let c = outcome.createdCustomer { text += " New customer \(c.ref)." }
            if let o = overrideReason { text += " Policy override recorded (\(o))." }
            show(text)
        case .refused(let core, let text):
            switch core {
            case .conflict?, .seriesConflicts?, .noResourcesFit?: refresh(); dataChanged(); form.check(state: state, now: now)
            default: break
            }
            if let core, core.isOverridablePolicy, !form.mayOverride {
                form.policyRefusal = overrideOffer(text)
                refuse(&form, nil, field: nil, status: text)
                return
            }
            if let core, core.isOverridablePolicy {
                let alreadyOffered = form.policyRefusal != nil
                form.policyRefusal = overrideOffer(text)
                let message = alreadyOffered && overrideReason == nil
                    ? "An override needs a reason: type it in Override (or Esc to leave the slot unbooked)." : text
                refuse(&form, alreadyOffered ? message : nil, field: .override, status: message)
                return
            }
            switch core {
            case .invalidInput(let field, _)?, .outsideSupportedRange(let field, _)?:
                form.focus(onField: field, in: state)
            case .invalidRecurrence?, .seriesTooLong?:
                form.focus = .repeatRule
            default: break
            }
            refuse(&form, text, field: nil)
        }
    }

    /// Keeps the form open with everything typed, shows why, and moves to `field`.
    private func refuse(_ form: inout BookingForm, _ text: String?, field: BookingForm.Field?, status: String? = nil) {
        form.error = text
        if let field, form.visibleFields(in: state).contains(field) { form.focus = field }
        overlay = .form(form)
        show(status ?? text ?? "", error: true)
    }

    // MARK: Cancel

    func startCancel() {
        guard let b = targetBooking() else { show("No booking here to cancel.", error: true); return }
        guard b.status.canMove(to: .cancelled) else { show("\(b.ref) is \(Format.status(b.status)) and cannot be cancelled.", error: true); return }
        if b.series != nil {
            overlay = .scope(ScopeChoice(purpose: .cancel(b), title: "Cancel \(b.ref)"))
        } else {
            openCancelDialog(b, scope: .this)
        }
    }

    func openCancelDialog(_ b: Booking, scope: SeriesScope) {
        let notice = state.policy(for: b.resource).cancellationNotice
        let late = notice.seconds > 0 && now > b.start - notice
        // What the engine will cancel: for a series scope, its members that can still change.
        var covered = [b]
        if scope != .this, let s = b.series {
            covered = state.series(s).filter { !$0.status.isFinal && (scope == .all || $0.start >= b.start) }.sorted(by: Booking.startOrder)
        }
        overlay = .cancel(CancelDialog(booking: b, customerName: Format.customer(b, state), zone: state.resources[b.resource]?.zone ?? zone,
                                       scope: scope, late: late, notice: notice, covered: covered))
    }

    func commitCancel(_ dialog: CancelDialog) {
        var dialog = dialog
        let b = dialog.booking
        let reason = dialog.reason.text
        let override = dialog.late ? dialog.override.text : nil
        let before = b.series.map { s in state.series(s) } ?? [b]
        let actor = connection.actor
        let result = write("cancel", .cancel(b.id, scope: dialog.scope)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
            try e.cancel(b.id, reason: reason, scope: dialog.scope, expectVersion: b.version, overrideReason: override, in: s, by: actor)
        }
        switch result {
        case .done(let cancelled):
            overlay = nil
            let ids = Set(cancelled.map(\.id))
            undoStack.append(.cancelled(before.filter { ids.contains($0.id) }))
            show("Cancelled \(cancelled.count == 1 ? b.ref : "\(cancelled.count) bookings")" + (dialog.late ? " (late, override recorded)." : "."))
        case .refused(let core, let text):
            if case .conflict = core { refresh() }
            if case .staleVersion = core { refresh() }
            dialog.confirming = false
            dialog.error = text
            overlay = .cancel(dialog)
            show(text, error: true)
        }
    }

    // MARK: Move

    func startMove() {
        guard let b = targetBooking() else { show("No booking here to move.", error: true); return }
        guard !b.status.isFinal else { show("\(b.ref) is \(Format.status(b.status)) and cannot move.", error: true); return }
        overlay = nil
        if view != .day && view != .week { goTo(b); view = .day }
        else { goTo(b) }
        moving = MoveState(booking: b)
        show("Moving \(b.ref): pick the new slot with the arrows (and [ ] for days), Enter to move, Esc to stop.")
    }

    /// Keys while moving: Enter moves, Esc stops; anything else navigates as usual.
    func handleMove(_ key: KeyEvent) -> Bool {
        guard let m = moving else { return false }
        switch key {
        case .escape:
            moving = nil; show("Move cancelled.")
            return true
        case .enter:
            guard let (layout, col) = cursorLayout() else { return true }
            let start = layout.rowStarts[layout.row(forSecond: cursorSecond)]
            let range = TimeRange(start: start, end: start + m.booking.range.duration)
            let resource = layout.resources[col].id
            if m.booking.series != nil {
                overlay = .scope(ScopeChoice(purpose: .move(m.booking, to: range, resource: resource), title: "Move \(m.booking.ref)"))
            } else {
                commitMove(m.booking, to: range, resource: resource, scope: .this)
            }
            return true
        default:
            return false
        }
    }

    func commitMove(_ b: Booking, to range: TimeRange, resource: ResourceID, scope: SeriesScope, overrideReason: String? = nil) {
        let actor = connection.actor
        let result = write("reschedule", .reschedule(b.id, to: range, resource: resource, scope: scope)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
            try e.reschedule(b.id, to: range, resource: resource, scope: scope, expectVersion: b.version, overrideReason: overrideReason, in: s, by: actor)
        }
        switch result {
        case .done:
            moving = nil
            undoStack.append(.moved(b.id, from: b.range, resource: b.resource, scope: scope))
            let r = state.resources[resource]
            show("Moved \(b.ref) to \(r?.name ?? "") \(Format.range(range, r?.zone ?? zone))" + (overrideReason == nil ? "." : " (late, override recorded)."))
        case .refused(let core, let text):
            if case .conflict = core { refresh() }
            // Moving out of the cancellation notice is a late change, as a late cancellation: ask for the override.
            if case .insideCancellationNotice? = core, overrideReason == nil {
                moving?.lateTarget = (range, resource, scope)
                overlay = .prompt(InputPrompt(.moveOverride, label: "Late move: manager override reason (Esc keeps it):"))
                show(text, error: true)
                return
            }
            show(text + " (still moving: pick another slot or Esc)", error: true)
        }
    }

    // MARK: Status

    func startStatus() {
        guard let b = targetBooking() else { show("No booking here.", error: true); return }
        guard !b.status.isFinal else { show("\(b.ref) is \(Format.status(b.status)) and can no longer change.", error: true); return }
        overlay = .status(StatusDialog(booking: b))
    }

    func commitStatus(_ b: Booking, to status: BookingStatus) {
        let actor = connection.actor
        let result = write("status", .setStatus(b.id)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Booking> in
            try e.setStatus(b.id, to: status, expectVersion: b.version, in: s, by: actor)
        }
        switch result {
        case .done(let nb):
            undoStack.append(.status(b.id, from: b.status))
            show("\(nb.ref) is now \(Format.status(nb.status)).")
        case .refused(_, let text): show(text, error: true)
        }
    }

    // MARK: Undo

    /// Takes back the last change made here, as a new change.
    func undo() {
        guard let last = undoStack.last else { show("Nothing to undo."); return }
        let actor = connection.actor
        let ok: Bool
        var text = ""
        switch last {
        case .booked(let ids):
            var done = 0
            var failure: String?
            for id in ids {
                guard let b = state.bookings[id], b.status.canMove(to: .cancelled) else { continue }
                let r = write("undo-book", .cancel(id)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
                    try e.cancel(id, reason: "undo: booked by mistake", in: s, by: actor)
                }
                switch r {
                case .done: done += 1
                case .refused(_, let t): failure = t
                }
            }
            ok = failure == nil
            text = failure ?? "Undone: cancelled \(done) booking\(done == 1 ? "" : "s") you made."
        case .moved(let id, let from, let resource, let scope):
            let r = write("undo-move", .reschedule(id, to: from, resource: resource, scope: scope)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
                // Back to where it was: a late move is taken back without asking for a reason again.
                try e.reschedule(id, to: from, resource: resource, scope: scope, overrideReason: "undo of a move made at this desk", in: s, by: actor)
            }
            switch r {
            case .done(let list): ok = true; text = "Undone: moved \(list.first?.ref ?? "") back."
            case .refused(_, let t): ok = false; text = t
            }
        case .status(let id, let from):
            let r = write("undo-status", .setStatus(id)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Booking> in
                try e.setStatus(id, to: from, in: s, by: actor)
            }
            switch r {
            case .done(let b): ok = true; text = "Undone: \(b.ref) is \(Format.status(b.status)) again."
            case .refused(_, let t): ok = false; text = t
            }
        case .cancelled(let list):
            var refs: [String] = []
            var failure: String?
            // The same bookings come back (same reference, same series), as a new version each.
            for old in list {
                let r = write("undo-cancel", .restore(old.id)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Booking> in
                    try e.restoreCancelled(old.id, in: s, by: actor)
                }
                switch r {
                case .done(let b): refs.append(b.ref)
                case .refused(_, let t): failure = t
                }
            }
            ok = failure == nil
            text = failure ?? "Undone: \(refs.joined(separator: ", ")) \(refs.count == 1 ? "is" : "are") booked again."
        }
        if ok { undoStack.removeLast() }
        show(ok ? text : "Cannot undo (\(last.summary)): \(text)", error: !ok)
    }

    // MARK: Waitlist

    func bookFromWaitlist() {
        guard permitted(.manageWaitlist) else { return }
        let entries = WaitlistView.entries(in: state)
        guard entries.indices.contains(waitlistIndex) else { show("Nobody is waiting."); return }
        let e = entries[waitlistIndex]
        guard let slot = state.firstFreeSlot(FreeSlotQuery(resources: e.resources, window: e.window, duration: e.duration), now: now) else {
            show("No free slot fits \(e.ref) yet.", error: true); return
        }
        let r = state.resources[slot.resource]
        overlay = .waitlistConfirm(WaitlistConfirm(entry: e, slot: slot, customerName: state.customers[e.customer]?.name ?? e.customer.rawValue,
                                                   resourceName: r?.name ?? slot.resource.rawValue, zone: r?.zone ?? zone))
    }

    /// Books the confirmed slot for a waitlist entry (refused if it was taken meanwhile).
    func commitWaitlist(_ c: WaitlistConfirm) {
        let e = c.entry, slot = c.slot
        let actor = connection.actor
        let result = write("book-from-waitlist", .bookFromWaitlist(e.id)) { (s: BookingState, en: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            try en.bookFromWaitlist(e.id, slot: slot, in: s, by: actor)
        }
        switch result {
        case .done(let o):
            undoStack.append(.booked(o.bookings.map(\.id)))
            if let b = o.bookings.first {
                let r = state.resources[b.resource]
                show("Booked \(b.ref) from the waitlist: \(r?.name ?? "") \(Format.range(b.range, r?.zone ?? zone)).")
            }
        case .refused(let core, let text):
            if case .conflict(let l) = core, l.isEmpty { show("No free slot fits \(e.ref) yet.", error: true) } else { show(text, error: true) }
        }
    }
}
