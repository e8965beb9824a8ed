/// Which report to make: the names `frontdesk report` takes.
public enum ReportKind: String, CaseIterable, Hashable, Sendable {
    /// Booked time over open time per resource (``UtilisationReport``).
    case utilisation
    /// No-shows among the bookings that stood (``NoShowReport``).
    case noShows = "no-shows"
    /// Cancellations and late cancellations (``CancellationReport``).
    case cancellations
    /// Money taken and refunded, by payment method and by service (``TakingsReport``).
    case takings
    /// Bookings, hours and takings per service (``ServicesReport``).
    case services
}
