/// Which front end made a change.
public enum BookingSource: String, Hashable, Sendable {
    case tui, cli, `import`, api, system
}
