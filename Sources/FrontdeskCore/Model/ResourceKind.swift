/// What sort of thing a resource is. The well-known kinds drive icons and filters; anything
/// else is kept as typed.
public enum ResourceKind: Hashable, Sendable, CustomStringConvertible {
    case room, staff, vehicle, equipment
    case other(String)

    public init(_ text: String) {
        switch text.lowercased() {
        case "room": self = .room
        case "staff", "person": self = .staff
        case "vehicle", "car": self = .vehicle
        case "equipment": self = .equipment
        default: self = .other(text)
        }
    }

    /// The well-known kinds' names, as `--kind` takes them.
    public static let knownNames = ["room", "staff", "vehicle", "equipment"]

    /// The well-known kind `text` names (`person` and `car` are aliases), or nil for anything else.
    public init?(known text: String) {
        let kind = ResourceKind(text.trimmingSpaces)
        if case .other = kind { return nil }
        self = kind
    }

    public var description: String {
        switch self {
        case .room: "room"
        case .staff: "staff"
        case .vehicle: "vehicle"
        case .equipment: "equipment"
        case .other(let s): s
        }
    }
}
