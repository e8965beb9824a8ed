/// Where an event goes: a hook executable or a webhook endpoint.
public enum DeliveryTarget: Hashable, Sendable, CustomStringConvertible {
    /// A file name in `<data>/hooks/`.
    case hook(String)
    /// A webhook endpoint id.
    case webhook(String)

    /// `hook:booking.created` or `webhook:wh_…`, as the delivery log writes it.
    public var description: String {
        switch self {
        case .hook(let n): "hook:\(n)"
        case .webhook(let id): "webhook:\(id)"
        }
    }

    /// Parses `description` back.
    public init?(text: String) {
        if text.hasPrefix("hook:") { self = .hook(String(text.dropFirst(5))) }
        else if text.hasPrefix("webhook:") { self = .webhook(String(text.dropFirst(8))) }
        else { return nil }
    }
}
