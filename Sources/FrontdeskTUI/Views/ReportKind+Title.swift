import FrontdeskCore

extension ReportKind {
    /// The name on the Reports view's tab line.
    var title: String {
        switch self {
        case .utilisation: "Utilisation"
        case .noShows: "No-shows"
        case .cancellations: "Cancellations"
        case .takings: "Takings"
        case .services: "Services"
        }
    }

    /// What the account's role must allow to see the report: money (takings, and the services
    /// report's takings) needs more than the diary's counts.
    var accessAction: AccessAction {
        switch self {
        case .utilisation, .noShows, .cancellations: .readReports
        case .takings, .services: .readTakings
        }
    }
}
