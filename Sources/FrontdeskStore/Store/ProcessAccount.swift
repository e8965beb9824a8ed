#if canImport(Glibc)
import Glibc
#endif

/// Who this process acts for: the account of the real user id.
///
/// `getpwuid(getuid())`, never `$USER` or `$LOGNAME` (the user's to set); "uid<N>" for an
/// account without a password-database entry. Looked up once, on first use, so a process that
/// only reads never opens the password database.
package enum ProcessAccount {
    package static let name: String = {
        let uid = getuid()
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name {
            let s = String(cString: name)
            if !s.isEmpty { return s }
        }
        return "uid\(uid)"
    }()
}
