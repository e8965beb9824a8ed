/// How a format-5 manifest splits a generation's files into sections, each listed in its own
/// file (`lists/<section>.json`) that only a command needing that part of the generation reads.
///
/// A path with one component (`resources.json`), and any other path that no rule below takes
/// (`search/terms.json`), is listed in `manifest.json` itself. Otherwise:
/// - a partition, its customer list or an occupancy file (`bookings/<YYYY-MM>/<resource>.json`,
///   `partition-customers/<YYYY-MM>/<resource>.json`, `occupancy/<YYYY-MM>/<resource>.json`):
///   the section is its month's directory, so a range load reads the lists of the months it
///   covers;
/// - a numbered file (`customers/0123.json`, `audit/2027-03/000004.json`): the section is its
///   directory and the number divided by ``groupSize`` (`customers/g1`), so one lookup reads a
///   list of at most ``groupSize`` entries however many shards the table has;
/// - any other file below a directory: the section is its directory.
///
/// Every section is a pure function of the path, so a reader finds the one list to read from
/// the path it wants, and a list holding a path of another section is damage.
package enum ManifestSections {
    /// Numbered files a section of numbered files holds at most.
    static let groupSize = 64
    /// Where the section lists live inside a generation.
    static let listDirectory = "lists"

    /// The section `rel` is listed in, or nil when `manifest.json` lists it itself.
    ///
    /// Reading a list checks every path it names against its section, so this runs once per
    /// file of every list a command reads: it works on the path's UTF-8 bytes and makes one
    /// string.
    ///
    /// - Complexity: O(path length).
    package static func section(of rel: String) -> String? {
        var rel = rel
        return rel.withUTF8 { section(utf8: $0) }
    }

    /// The first components of the paths whose section is their month's directory.
    private static let monthTops: [[UInt8]] = [Array("bookings".utf8), Array(CustomerIndex.sidecarDirectory.utf8.dropLast()),
                                              Array(OccupancyLayout.directory.utf8.dropLast())]
    private static let jsonSuffix = Array(".json".utf8)

    /// ``section(of:)`` of the path whose UTF-8 bytes are `u`.
    private static func section(utf8 u: UnsafeBufferPointer<UInt8>) -> String? {
        guard let slash = u.lastIndex(of: 0x2F), let firstSlash = u.firstIndex(of: 0x2F) else { return nil }
        // Whether the directory has more than one component.
        let nested = firstSlash != slash
        func directory() -> String { String(decoding: UnsafeBufferPointer(rebasing: u[..<slash]), as: UTF8.self) }
        let top = u[..<firstSlash]
        if monthTops.contains(where: { top.elementsEqual($0) }) { return nested ? directory() : nil }
        // A numbered file: 1 to 9 digits, then `.json`.
        let name = u[(slash + 1)...]
        if name.count > jsonSuffix.count, name.count <= 9 + jsonSuffix.count, name.suffix(jsonSuffix.count).elementsEqual(jsonSuffix) {
            var n = 0
            for b in name.dropLast(jsonSuffix.count) {
                guard b >= 0x30 && b <= 0x39 else { n = -1; break }
                n = n * 10 + Int(b - 0x30)
            }
            if n >= 0 { return directory() + "/g" + String(n / groupSize) }
        }
        return nested ? directory() : nil
    }

    /// `lists/customers.g1.json` for section `customers/g1`: one flat directory, the section's
    /// slashes as dots (no directory or month name holds a dot).
    package static func listPath(_ section: String) -> String {
        listDirectory + "/" + String(section.map { $0 == "/" ? "." : $0 }) + ".json"
    }

    /// The directory whose files a section holds: `customers` for `customers/g1`,
    /// `bookings/2027-03` for itself.
    package static func directory(of section: String) -> Substring {
        guard let slash = section.utf8.lastIndex(of: 0x2F) else { return Substring(section) }
        let last = section[section.index(after: slash)...]
        if last.first == "g", last.utf8.count > 1, last.utf8.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return section[..<slash]
        }
        return Substring(section)
    }
}
