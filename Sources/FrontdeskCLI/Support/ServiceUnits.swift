import FrontdeskTUI

/// The systemd units `frontdesk install-service` writes: text only, from checked values.
///
/// Every value that goes into a unit is checked first (``checkPath(_:field:)``,
/// ``checkAccount(_:field:)``, …): systemd reads specifiers (`%h`), variables (`$HOME`),
/// quotes, backslashes, `;` and whitespace inside `ExecStart=` and the path lists, so a value
/// holding any of them could run something else or open another path. Refused values are named
/// with the character at fault; nothing is escaped.
struct ServiceUnits {
    /// Which service.
    enum Kind: String, CaseIterable {
        /// The deliverer, `frontdesk deliver --follow`.
        case deliver
        /// The HTTP server, `frontdesk server --listen ADDR`.
        case server
        /// A nightly `frontdesk backup DEST --incremental`: a oneshot service and its timer.
        case backup
    }

    /// One unit file: its name and text.
    struct Unit: Equatable {
        let name: String
        let text: String
    }

    let kind: Kind
    /// The absolute path of the `frontdesk` binary the units run.
    let binary: String
    /// The store's directory (absolute).
    let data: String
    /// The account the service runs as, and the store's group when it is shared.
    let user: String
    let group: String?
    /// `--listen` for the server.
    var listen = "127.0.0.1:8080"
    /// The backup destination (absolute), for `backup`.
    var destination: String?
    /// When the backup timer fires (`OnCalendar=`).
    var onCalendar = "*-*-* 02:30:00"

    /// The part of unit names that tells stores apart: the store directory's last component,
    /// with anything but letters, digits, `-` and `_` replaced by `_`.
    var instance: String {
        let last = data.split(separator: "/").last.map(String.init) ?? "store"
        return String(last.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// `frontdesk-deliver-salon`.
    var baseName: String { "frontdesk-\(kind.rawValue)-\(instance)" }

    /// The units, each named `<baseName>.service` (and `.timer` for the backup).
    var units: [Unit] {
        switch kind {
        case .deliver:
            return [Unit(name: baseName + ".service", text: service(
                description: "Frontdesk event delivery (hooks and webhooks) for \(data)",
                exec: "\(binary) --data \(data) deliver --follow", type: "simple", writable: [data], network: true))]
        case .server:
            return [Unit(name: baseName + ".service", text: service(
                description: "Frontdesk HTTP API for \(data) on \(listen)",
                exec: "\(binary) --data \(data) server --listen \(listen)", type: "simple", writable: [data], network: true))]
        case .backup:
            let dest = destination ?? "/nonexistent"
            let svc = service(description: "Frontdesk backup of \(data) to \(dest)",
                              exec: "\(binary) --data \(data) backup \(dest) --incremental", type: "oneshot", writable: [data, dest], network: false)
            let timer = """
            [Unit]
            Description=Nightly Frontdesk backup of \(data)

            [Timer]
            OnCalendar=\(onCalendar)
            Persistent=true
            Unit=\(baseName).service

            [Install]
            WantedBy=timers.target

            """
            return [Unit(name: baseName + ".service", text: svc), Unit(name: baseName + ".timer", text: timer)]
        }
    }

    /// A service unit with the hardening every Frontdesk service gets: its own account, no new
    /// privileges, the whole file system read-only but the store (and a backup's destination),
    /// no home directories, a private `/tmp`, a umask that keeps new files to the store's
    /// group (shared) or the account (private), restarted when it fails.
    private func service(description: String, exec: String, type: String, writable: [String], network: Bool) -> String {
        var lines = ["[Unit]", "Description=\(description)"]
        if network { lines += ["Wants=network-online.target", "After=network-online.target"] }
        lines += ["", "[Service]", "Type=\(type)", "User=\(user)"]
        if let group { lines.append("Group=\(group)") }
        lines += [
            "ExecStart=\(exec)",
            "Restart=on-failure",
            "RestartSec=\(type == "oneshot" ? "15min" : "5s")",
            "UMask=\(group == nil ? "0077" : "0007")",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectControlGroups=yes",
            "RestrictSUIDSGID=yes",
            "LockPersonality=yes",
            "ReadWritePaths=\(writable.joined(separator: " "))",
        ]
        // A oneshot runs from its timer, which is what gets enabled.
        if type != "oneshot" { lines += ["", "[Install]", "WantedBy=multi-user.target"] }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Checks

    /// Characters a path in a unit may hold: ASCII letters and digits and `/ . _ - + @ , :`.
    static func pathCharacterAllowed(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "/._-+@,:".contains(c))
    }

    /// Refuses a path that is not absolute, holds `.`/`..` components or empty ones, or any
    /// character but ``pathCharacterAllowed(_:)`` (naming it: a space, a newline, `%`, `$`, …).
    static func checkPath(_ path: String, field: String) throws(CLIError) {
        guard path.hasPrefix("/") else {
            throw .invalidInput(field: field, message: "\"\(Format.safe(path))\" is not an absolute path (a unit runs from /, not from here)")
        }
        if let bad = path.first(where: { !pathCharacterAllowed($0) }) {
            throw .invalidInput(field: field, message: "\"\(Format.safe(path))\" holds \(describe(bad)), which a systemd unit would read as more than a path; "
                                + "use a path of letters, digits and / . _ - + @ , : only")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if path != "/", parts.contains(where: { $0 == "." || $0 == ".." || $0.isEmpty }) {
            throw .invalidInput(field: field, message: "\"\(path)\" has an empty, . or .. component; give the path as it is, e.g. /srv/frontdesk/salon")
        }
    }

    /// The directories the hardening hides from a service: `PrivateTmp=yes` gives it its own
    /// `/tmp` and `/var/tmp`, `ProtectHome=yes` makes `/home`, `/root` and `/run/user` inaccessible.
    static let hiddenDirectories = ["/tmp", "/var/tmp", "/home", "/root", "/run/user"]

    /// Refuses a store or backup directory the service could not reach (``hiddenDirectories``).
    static func checkReachable(_ path: String, field: String) throws(CLIError) {
        guard let hidden = hiddenDirectories.first(where: { path == $0 || path.hasPrefix($0 + "/") }) else { return }
        throw .invalidInput(field: field, message: "\(path) is under \(hidden), which the service's hardening (PrivateTmp=yes, ProtectHome=yes) hides from it; "
                            + "keep it in e.g. /srv/frontdesk/NAME or /var/lib/frontdesk/NAME")
    }

    /// Refuses an account or group name that is not a plain POSIX name (letters, digits, `_`,
    /// `-`, `.`, not starting with `-`).
    static func checkAccount(_ name: String, field: String) throws(CLIError) {
        guard let first = name.first, first != "-", first != ".",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw .invalidInput(field: field, message: "\"\(Format.safe(name))\" is not an account name (letters, digits, _ - . only)")
        }
    }

    /// Refuses a listen address other than `HOST:PORT` of letters, digits, `.`, `:`, `[`, `]`, `-`.
    static func checkListen(_ address: String) throws(CLIError) {
        guard !address.isEmpty, address.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".:[]-".contains($0)) }),
              let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else {
            throw .invalidInput(field: "listen", message: "\"\(Format.safe(address))\" is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
    }

    /// Refuses an `OnCalendar=` value with anything but letters, digits, spaces and `* - : / , . ~`.
    static func checkCalendar(_ spec: String) throws(CLIError) {
        guard !spec.isEmpty, !spec.hasPrefix(" "), spec.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || " *-:/,.~".contains($0)) }) else {
            throw .invalidInput(field: "on-calendar", message: "\"\(Format.safe(spec))\" is not a calendar event (e.g. \"*-*-* 02:30:00\" or daily)")
        }
    }

    static func describe(_ c: Character) -> String {
        switch c {
        case " ": "a space"
        case "\n": "a newline"
        case "\t": "a tab"
        default: c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) ? "\"\(c)\"" : "U+" + String(c.unicodeScalars.first!.value, radix: 16, uppercase: true)
        }
    }
}
