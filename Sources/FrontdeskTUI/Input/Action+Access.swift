import FrontdeskCore

extension Action {
    /// What the key does to the store, checked against the account's role before it runs; nil
    /// for moving around and looking (any role may), and for `open`, which books or only
    /// shows depending on what is under the cursor and checks that itself.
    var accessAction: AccessAction? {
        switch self {
        case .cancelBooking: .cancel
        case .move: .move
        case .status, .undo: .changeStatus
        case .pay: .takePayment
        default: nil
        }
    }
}
