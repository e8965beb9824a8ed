import NIOSSL
import PostgresNIO

extension PostgresURL {
    /// The connection's TLS setting for ``tlsMode``: none on a Unix socket or with `disable`;
    /// otherwise a client context that checks the server's certificate as the mode asks.
    ///
    /// - Throws: ``PostgresStoreError/certificate(path:message:)`` when the root certificate
    ///   cannot be read, or a mode that checks the certificate has none.
    func connectionTLS() throws(PostgresStoreError) -> PostgresConnection.Configuration.TLS {
        if isUnixSocket || tlsMode == .disable { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch tlsMode {
        case .verifyFull: configuration.certificateVerification = .fullVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        // `require` checks the chain when a root is named, as libpq does; `prefer` never does.
        case .require: configuration.certificateVerification = rootCertificate == nil ? .none : .noHostnameVerification
        case .prefer, .disable: configuration.certificateVerification = .none
        }
        if let root = rootCertificate, configuration.certificateVerification != .none {
            configuration.trustRoots = try PostgresURL.trustRoots(root)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .certificate(path: rootCertificate ?? "(system roots)", message: "cannot set up TLS: \(error)")
        }
        return tlsMode == .prefer ? .prefer(context) : .require(context)
    }

    /// The roots named by `path`: the system's for `system`, else the PEM certificates in the file.
    private static func trustRoots(_ path: String) throws(PostgresStoreError) -> NIOSSLTrustRoots {
        if path == "system" { return .default }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .certificate(path: path, message: "cannot read a PEM root certificate from it (\(error)); name one with sslrootcert=FILE or PGSSLROOTCERT")
        }
        guard !certificates.isEmpty else { throw .certificate(path: path, message: "holds no PEM certificate") }
        return .certificates(certificates)
    }
}
