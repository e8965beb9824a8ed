/// Whether and how a TCP connection to the server is encrypted: libpq's `sslmode`, given as
/// `?sslmode=` in the URL, `sslmode=` in a service file, or `PGSSLMODE`.
///
/// A Unix socket connection never uses TLS, whatever the mode (as in libpq): the socket's
/// directory permissions are what protect it.
public enum PostgresTLSMode: String, Sendable, CaseIterable {
    /// Plain text.
    case disable
    /// TLS when the server offers it, plain text otherwise; the certificate is not checked.
    /// libpq's default, and ours.
    case prefer
    /// TLS or no connection; the certificate is checked only when a root certificate is named
    /// (`sslrootcert`), as in libpq.
    case require
    /// TLS, and the server's certificate must be signed by the root certificate.
    case verifyCA = "verify-ca"
    /// TLS, the certificate signed by the root certificate and issued for the host connected
    /// to: the only mode that stops a machine in the middle.
    case verifyFull = "verify-full"

    /// Parses a mode; libpq's `allow` (plain text first, TLS when refused) is not offered,
    /// since the connection library cannot fall back that way.
    ///
    /// - Returns: nil for an unknown word.
    init?(parameter text: String) {
        self.init(rawValue: text)
    }

    /// Every mode's spelling, for messages.
    static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether the server's certificate must chain to a trusted root.
    var verifiesCertificate: Bool { self == .verifyCA || self == .verifyFull }
}
