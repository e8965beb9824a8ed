import FrontdeskStore

/// Files the user names on the command line, which the setgid `frontdesk` does not open.
///
/// In a secure execution the process holds the store group's access, so opening a path the
/// user chose would let them read or write where only the group may (an export written into
/// the store, a store file read back as an import or a webhook secret). The shell opening the
/// file does so with the user's own access: standard input and output serve instead.
enum CallerFiles {
    /// Refuses (exit 77) in a secure execution; `what` names the option and `instead` says how
    /// to give the file through a standard stream.
    static func refuseInSecureExecution(_ what: String, instead: String) throws(CLIError) {
        guard SecureExecution.isActive else { return }
        throw .notPermitted("\(what): the setgid frontdesk opens no file you name, since it would open it with the store group's access; \(instead), so your shell opens it with your own")
    }
}
