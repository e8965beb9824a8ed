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
    /// - Complexity: O(path length).
    package static func section(of rel: String) -> String? {
        guard let slash = rel.utf8.lastIndex(of: 0x2F) else { return nil }
        let dir = String(rel[..<slash])
        let name = rel[rel.index(after: slash)...]
        let top = dir.prefix { $0 != "/" }
        if top == "bookings" || top + "/" == CustomerIndex.sidecarDirectory || top + "/" == OccupancyLayout.directory {
            return dir.contains("/") ? dir : nil
        }
        if name.hasSuffix(".json") {
            let stem = name.dropLast(5)
            if !stem.isEmpty, stem.utf8.count <= 9, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(stem) {
                return dir + "/g" + String(n / groupSize)
            }
        }
        return dir.contains("/") ? dir : nil
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
