import FrontdeskCore

/// The four main views, in Tab order.
enum ViewKind: String, CaseIterable, Sendable {
    case day, week, agenda, waitlist
    case reports

    var title: String {
        switch self {
        case .day: "Day"
        case .week: "Week"
        case .agenda: "Agenda"
        case .waitlist: "Waitlist"
        case .reports: "Reports"
        }
    }
}

/// What sits on top of the main view and takes the keys first.
indirect enum Overlay {
    case form(BookingForm)
    case detail(DetailView.State)
    case history(HistoryView.State)
    case customer(CustomerView.State)
    case cancel(CancelDialog)
    case status(StatusDialog)
    case confirm(ConfirmDialog)
    case prompt(InputPrompt)
    case scope(ScopeChoice)
    case waitlistConfirm(WaitlistConfirm)
    case payment(PaymentDialog)
    case help(scroll: Int)
}

/// A booking being moved: the cursor picks the new slot, Enter moves it there.
struct MoveState {
    var booking: Booking
    /// Where it was to go when the move was refused as late: the override prompt's target.
    var lateTarget: (range: TimeRange, resource: ResourceID, scope: SeriesScope)? = nil
}

/// Which resources the day grid shows.
enum ResourceFilter: Hashable, Sendable {
    case all
    case kind(ResourceKind)
    case parent(ResourceID)
}
