import FrontdeskCore

/// The one place the command line asks whether the acting user may take an action only some
/// roles may take (a status correction: a manager's).
///
/// A placeholder: it allows every action. The roles work (#23) brings the core's single
/// authorization function (actor, role, action); wiring it in replaces this body, and every
/// caller already goes through here.
enum PendingAuthorization {
    /// Actions this placeholder guards, named as the authorization function names them.
    enum Action: String {
        case correctStatus
    }

    /// Throws when `actor` may not take `action`; today never.
    static func authorize(_ action: Action, actor: Author) throws {}
}
