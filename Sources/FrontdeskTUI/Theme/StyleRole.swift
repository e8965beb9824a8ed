import FrontdeskCore

/// What a cell shows, which decides its colours: themes map each role to a style.
package enum StyleRole: String, CaseIterable, Hashable, Sendable {
    case grid, gridLine, header, timeLabel, columnHeader
    case free, closed, blackout, cursor, selection, nowLine, match
    case pendingPayment, tentative, confirmed, completed, cancelled, noShow
    case statusBar, message, error, dialog, dialogTitle, field, fieldFocus, help, dim

    /// The role a booking block uses for its status.
    static func status(_ s: BookingStatus) -> StyleRole {
        switch s {
        case .pendingPayment: .pendingPayment
        case .tentative: .tentative
        case .confirmed: .confirmed
        case .completed: .completed
        case .cancelled: .cancelled
        case .noShow: .noShow
        }
    }

    /// The name used in theme files (`"no-show"`, `"status-bar"`, `"closed"` …).
    var themeKey: String {
        var out = ""
        for ch in rawValue {
            if ch.isUppercase { out += "-" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
