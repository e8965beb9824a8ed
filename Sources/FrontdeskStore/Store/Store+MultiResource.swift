import FrontdeskCore

extension Store {
    /// Refuses a planned transaction that stores a booking holding several resources in a
    /// store whose format predates them: a program of that format would read the booking as
    /// holding its home resource only and could book its other resources twice.
    func admitsBookings(of tx: Transaction) throws(CoreError) {
        guard format < StoreFormat.businessDay else { return }
        for case .booking(let b) in tx.mutations where !b.otherResources.isEmpty {
            throw .invalidInput(field: "resource", message: "this store has format \(format), which keeps one resource per booking; a booking holding several resources needs a store of format \(StoreFormat.businessDay) or later (a store made with `frontdesk init` by this version)")
        }
    }
}
