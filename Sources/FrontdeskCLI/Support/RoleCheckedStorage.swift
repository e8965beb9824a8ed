import FrontdeskCore

/// A storage whose every planned change is checked against the account's role before it is
/// stored, as the file store checks its own (``Access/authorize(_:_:transaction:before:)``):
/// the action a command opened the store for is not all a change may do (a desk's booking
/// that sets a price needs a manager). ``StorageSession`` wraps a PostgreSQL store in it.
///
/// Every other member is the wrapped storage's own (``RoleCheckedStorage+BookingStorage``).
final class RoleCheckedStorage<Base: BookingStorage> {
    let base: Base
    /// Who makes the changes.
    let actor: Author
    /// What their role allows.
    let access: Access

    init(_ base: Base, actor: Author, access: Access) {
        self.base = base
        self.actor = actor
        self.access = access
    }
}
