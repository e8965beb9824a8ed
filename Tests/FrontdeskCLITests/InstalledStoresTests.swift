@testable import FrontdeskCLI
import Testing

/// The setgid install's list of stores and the environment filter, as plain functions; the
/// installed binary itself is exercised by `SetgidInstallTests`.
struct InstalledStoresTests {
    static func refused(_ why: String) -> CLIError { .notPermitted(why) }

    static func parse(_ text: String) throws(CLIError) -> InstalledStores {
        try InstalledStores.parse(Array(text.utf8)[...], file: "/etc/frontdesk/stores.conf", refused: refused)
    }

    @Test func theListKeepsOrderSkipsCommentsAndNormalizesSlashes() throws {
        let list = try Self.parse("# salons\n\n  /srv/frontdesk/salon/  \r\n/srv//frontdesk/spa\n/srv/frontdesk/salon\n\t# end\n")
        #expect(list.stores == ["/srv/frontdesk/salon", "/srv/frontdesk/spa"])
        #expect(try list.resolve(nil) == "/srv/frontdesk/salon")
        #expect(try list.resolve("") == "/srv/frontdesk/salon")
        #expect(try list.resolve("/srv/frontdesk/spa/") == "/srv/frontdesk/spa")
    }

    @Test(arguments: ["salon\n", "/srv/./salon\n", "/srv/frontdesk/../etc\n", "/srv/sa\u{1B}lon\n", "# nothing\n", ""])
    func aBadListIsRefusedNamingTheLine(text: String) {
        #expect(throws: CLIError.self) { try Self.parse(text) }
    }

    @Test func aStoreNotListedIsRefusedWithTheList() throws {
        let list = try Self.parse("/srv/frontdesk/salon\n")
        for requested in ["/srv/frontdesk/other", "/srv/frontdesk/salon/../other", "srv/frontdesk/salon", "/srv/frontdesk"] {
            do {
                _ = try list.resolve(requested)
                Issue.record("\(requested) was accepted")
            } catch {
                #expect(error.description.contains("/etc/frontdesk/stores.conf: /srv/frontdesk/salon"), "\(error)")
            }
        }
    }

    @Test func theConfigurationSitsInTheInstallationsPrefix() {
        #expect(InstalledStores.configFile(executable: "/usr/local/bin/frontdesk") == "/usr/local/etc/frontdesk/stores.conf")
        #expect(InstalledStores.configFile(executable: "/usr/bin/frontdesk") == "/etc/frontdesk/stores.conf")
        #expect(InstalledStores.configFile(executable: "/bin/frontdesk") == "/etc/frontdesk/stores.conf")
        #expect(InstalledStores.configFile(executable: "/opt/fd/bin/frontdesk") == "/opt/fd/etc/frontdesk/stores.conf")
        #expect(InstalledStores.themesDirectory(executable: "/usr/local/bin/frontdesk") == "/usr/local/share/frontdesk/themes")
        #expect(InstalledStores.themesDirectory(executable: "/usr/bin/frontdesk") == "/usr/share/frontdesk/themes")
        #expect(InstalledStores.themesDirectory(executable: "/bin/frontdesk") == "/usr/share/frontdesk/themes")
    }

    @Test func onlyTerminalSettingsPassASecureExecution() {
        for name in ["TERM", "LANG", "LC_ALL", "LC_CTYPE", "NO_COLOR", "COLUMNS", "LINES"] {
            #expect(Environment.isTerminalSetting(name), "\(name)")
        }
        for name in ["FRONTDESK_DATA", "TZ", "HOME", "XDG_CONFIG_HOME", "TERMINFO", "TERMINFO_DIRS", "SWIFT_BACKTRACE",
                     "LD_PRELOAD", "FRONTDESK_THEMES", "FRONTDESK_LOCK_TIMEOUT", "SSH_CLIENT", "LOCPATH", "TERMCAP", "term"] {
            #expect(!Environment.isTerminalSetting(name), "\(name)")
        }
    }
}
