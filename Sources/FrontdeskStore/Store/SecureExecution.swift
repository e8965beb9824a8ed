import CSystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// Whether this process runs with privileges its user lacks: `frontdesk` installed setgid to
/// the store's group and started by a member of staff.
///
/// The kernel sets `AT_SECURE` in the auxiliary vector for a set-id start; the dynamic loader
/// then ignores `LD_*` and glibc's `secure_getenv` answers nothing. The effective and real ids
/// are compared as well, so a process that gained a group some other way counts too. Under a
/// secure execution the command line reads only terminal settings from the environment, opens
/// only the stores the installation lists, and runs no hook.
package enum SecureExecution {
    /// True when the process started set-id or its effective ids differ from its real ones.
    package static let isActive: Bool = getauxval(UInt(AT_SECURE)) != 0 || getegid() != getgid() || geteuid() != getuid()
}
