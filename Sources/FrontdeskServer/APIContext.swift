import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address, which history
/// records as the origin of the token's changes.
struct APIContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as history records it.
    var origin: String { remoteAddress?.ipAddress ?? "unknown" }
}
