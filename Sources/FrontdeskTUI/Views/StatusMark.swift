import FrontdeskCore

/// The glyph that marks every row of a booking block, so a status reads without colour
/// (mono, `NO_COLOR`, 8-colour terminals where several statuses share a colour).
enum StatusMark {
    /// The mark of a status; each status has its own.
    static func of(_ status: BookingStatus) -> Character {
        switch status {
        case .confirmed: "┃"
        case .tentative: "┆"
        case .pendingPayment: "$"
        case .completed: "✓"
        case .cancelled: "✗"
        case .noShow: "!"
        }
    }

    /// The mark of a block's style role, or nil for roles that are not a status (time taken
    /// through a related resource).
    static func of(role: StyleRole) -> Character? {
        BookingStatus.allCases.first { StyleRole.status($0) == role }.map(of)
    }
}
