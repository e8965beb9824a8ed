/// The reports the Reports view switches between (left and right keys).
enum ReportKind: String, CaseIterable, Sendable {
    case utilisation, noShows = "no-shows", cancellations, takings, services

    var title: String {
        switch self {
        case .utilisation: "Utilisation"
        case .noShows: "No-shows"
        case .cancellations: "Cancellations"
        case .takings: "Takings"
        case .services: "Services"
        }
    }
}
