import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Who is at the keyboard and where from, taken from what the user cannot set.
///
/// The user name comes from the real uid (`getpwuid(getuid())`), never `$USER` or `$LOGNAME`.
/// The origin comes from the login record sshd (as root) wrote into utmp for the controlling
/// terminal (`ut_host` of the `getutxline` entry for `ttyname(0)`). Without a terminal or a
/// record, the origin is "local", or, when `SSH_CLIENT` names an address, that address marked
/// "(claimed)": the environment is the user's to set, so its word is recorded as a claim only.
/// Through the setgid `frontdesk` (a secure execution) `SSH_CLIENT` is not read at all.
enum LoginIdentity {
    /// The real uid's account name, or "uid<N>" when the account has no passwd entry.
    static func userName() -> String { ProcessAccount.name }

    /// The recorded origin: the utmp host of the controlling terminal's login, "local", or
    /// "<address> (claimed)" from `SSH_CLIENT`.
    static func origin() -> String {
        if let host = loginRecordHost() { return host.isEmpty ? "local" : host }
        return claimedOrigin(sshClient: Environment["SSH_CLIENT"])
    }

    /// "<address> (claimed)" when `sshClient` starts with something shaped like an IP address,
    /// else "local". The address is checked by characters so nothing else rides along.
    static func claimedOrigin(sshClient: String?) -> String {
        guard let first = sshClient?.split(separator: " ").first, !first.isEmpty, first.utf8.count <= 45,
              first.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
        else { return "local" }
        return "\(first) (claimed)"
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    /// The `ut_host` of the utmp login record of standard input's terminal; nil when standard
    /// input is not a terminal or the terminal has no login record.
    static func loginRecordHost() -> String? {
        guard let name = ttyname(0) else { return nil }
        var line = String(cString: name)
        if line.hasPrefix("/dev/") { line.removeFirst(5) }
        var key = utmpx()
        let fits = withUnsafeMutableBytes(of: &key.ut_line) { buf -> Bool in
            let bytes = Array(line.utf8)
            guard bytes.count < buf.count else { return false }
            for (i, b) in bytes.enumerated() { buf[i] = b }
            return true
        }
        guard fits else { return nil }
        setutxent()
        defer { endutxent() }
        guard let entry = getutxline(&key) else { return nil }
        let host = withUnsafeBytes(of: entry.pointee.ut_host) { buf -> String in
            let bytes = buf.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        // A stored value is still file content: keep printable ASCII only.
        let clean = host.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F }
        return String(String.UnicodeScalarView(clean))
    }
}
