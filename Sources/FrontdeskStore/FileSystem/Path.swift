/// File path text, without Foundation's `NSString` path methods.
package enum Path {
    /// The directory part of `path`, as `NSString.deletingLastPathComponent` gives it: repeated
    /// slashes count as one and a trailing slash is ignored (`/a/b/` → `/a`), the parent of a
    /// top-level entry is `/`, and a single relative name (or the empty path) has the parent `""`.
    package static func parent(of path: String) -> String {
        let fixed = normalized(path)
        if fixed == "/" || fixed.isEmpty { return fixed }
        guard let slash = fixed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == fixed.startIndex { return "/" }
        return String(fixed[..<slash])
    }

    /// `name` inside `directory`, with exactly one slash between them
    /// (`NSString.appendingPathComponent` for a plain name).
    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// `path` with runs of slashes made one and no trailing slash (except the root's).
    private static func normalized(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "/")) else { return path }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for c in path.utf8 where !(c == UInt8(ascii: "/") && out.last == UInt8(ascii: "/")) { out.append(c) }
        if out.count > 1, out.last == UInt8(ascii: "/") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }
}
