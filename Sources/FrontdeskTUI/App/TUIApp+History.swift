import FrontdeskCore

extension TUIApp {
    /// `H`: the history of the booking the next c/m/s acts on (the open detail's, the agenda's
    /// selection, the one under the cursor), else of the resource of the cursor's column with
    /// its schedule and blackouts. Times are in the resource's zone.
    func openHistory() {
        if let b = targetBooking() {
            let zone = state.resources[b.resource]?.zone ?? .utc
            overlay = .history(HistoryView.State(title: "History of \(b.ref)", lines: HistoryView.lines(HistoryView.entries(of: b), zone: zone)))
            return
        }
        guard view == .day || view == .week, let r = cursorResource else { show("No booking or resource here.", error: true); return }
        do {
            let entries = try HistoryView.entries(of: r, in: connection.storage)
            overlay = .history(HistoryView.State(title: "History of \(r.name) (\(r.ref))", lines: HistoryView.lines(entries, zone: r.zone)))
        } catch {
            show("History could not be read: \(connection.storage.describe(error).message)", error: true)
        }
    }
}
