#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FrontdeskSystem

/// The operating system's tz database: a directory of TZif files (`/usr/share/zoneinfo`), and
/// the machine's configured zone (`/etc/localtime`, `/etc/timezone`).
///
/// **The one place where the core reads files.** The core is otherwise pure and has everything
/// injected, but a zone's rules are data the operating system ships, like the C library's own
/// `localtime`, and a `Zone` can be made anywhere (decoding a stored resource, parsing a flag,
/// in any of five test targets whose suites run in parallel with no common set-up). Reading the
/// database on first use of each name is what Foundation's `TimeZone` did, and it leaves no way
/// to forget the set-up and get "unknown time zone". The reads use only open/read/readlink
/// (FrontdeskSystem's `WholeFile`), not Foundation. Tests replace the source through their own
/// ``ZoneDatabase``.
package struct ZoneInfoDirectory: ZoneRulesProvider {
    /// The directory holding the TZif files.
    package let location: String
    /// The file that names the machine's zone by being a symlink into the database.
    let localtimeLink: String
    /// Debian's text file naming the machine's zone, read when `localtimeLink` says nothing.
    let timezoneFile: String

    package init(location: String, localtimeLink: String = "/etc/localtime", timezoneFile: String = "/etc/timezone") {
        self.location = location
        self.localtimeLink = localtimeLink
        self.timezoneFile = timezoneFile
    }

    /// `/usr/share/zoneinfo`; ``ZoneDatabase/shared`` reads this once, on its first use.
    ///
    /// `$TZDIR` is not read: a zone's rules decide a resource's opening hours, so a database of
    /// the user's choosing would move them without an override. Test hosts install another
    /// directory through ``ZoneDatabase/install(_:)``.
    package static var system: ZoneInfoDirectory { ZoneInfoDirectory(location: "/usr/share/zoneinfo") }

    /// TZif files are a few kilobytes; anything past this is not one.
    static let maximumFileSize = 1 << 20

    package func rules(for identifier: String) throws(ZoneLookupError) -> ZoneRules {
        let path = location + "/" + identifier
        let bytes: [UInt8]
        switch WholeFile.read(path: path, limit: ZoneInfoDirectory.maximumFileSize) {
        case .success(let b):
            bytes = b
        case .failure(let failure) where [ENOENT, ENOTDIR, EISDIR].contains(failure.code):
            // A missing directory is a machine without tzdata, not a misspelt name.
            if access(location, F_OK) != 0 { throw .noDatabase(identifier, location: location) }
            throw .unknown(identifier)
        case .failure(let failure):
            throw .unreadable(identifier, path: path, reason: failure.code == EFBIG ? "larger than any TZif file" : String(cString: strerror(failure.code)))
        }
        do throws(TZifParser.Failure) {
            return try TZifParser.parse(bytes)
        } catch .notTZif {
            // A table or note kept among the zones is no zone.
            throw .unknown(identifier)
        } catch {
            throw .unreadable(identifier, path: path, reason: error.description)
        }
    }

    /// The zone `/etc/localtime` points into the database (the part of its target after
    /// `zoneinfo/`), else the first line of `/etc/timezone`, else nil. A copied (not linked)
    /// `/etc/localtime` names no zone.
    package func configuredLocalIdentifier() -> String? {
        if let target = ZoneInfoDirectory.symlinkTarget(localtimeLink) {
            let name = ZoneInfoDirectory.afterZoneinfo(target)
            if !name.isEmpty { return name }
        }
        if case .success(let bytes) = WholeFile.read(path: timezoneFile, limit: 4096) {
            let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
            let name = String(decoding: line, as: UTF8.self).trimmingWhitespace
            if !name.isEmpty { return name }
        }
        return nil
    }

    // MARK: System calls

    /// The part of a path after its last `zoneinfo/`, empty when there is none.
    static func afterZoneinfo(_ path: String) -> String {
        let bytes = Array(path.utf8), marker = Array("zoneinfo/".utf8)
        guard bytes.count >= marker.count else { return "" }
        for start in stride(from: bytes.count - marker.count, through: 0, by: -1) where bytes[start..<start + marker.count].elementsEqual(marker) {
            return String(decoding: bytes[(start + marker.count)...], as: UTF8.self)
        }
        return ""
    }

    /// What the symlink at `path` points to, nil when it is not a symlink.
    static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

private extension String {
    /// Without leading and trailing spaces, tabs and carriage returns (no Foundation here).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
