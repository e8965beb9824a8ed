import Foundation

/// Checks responses against the server's OpenAPI 3.1 document with a JSON Schema subset
/// (`type` with type lists, `properties`, `required`, `additionalProperties: false`, `items`,
/// `enum`, `minimum`, `maximum`, `minLength`, `$ref`): enough for every schema the document
/// uses, without Python or a generator in CI.
struct OpenAPIValidator {
    let doc: [String: Any]

    init(_ doc: [String: Any]) { self.doc = doc }

    /// The problems with `response` to `method path` (query left out): an undocumented path,
    /// method, status or content type, or a body its schema refuses. Empty when it conforms.
    func problems(_ method: String, _ path: String, _ response: RawHTTP.Response) -> [String] {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        guard let paths = doc["paths"] as? [String: Any], let (_, item) = paths.first(where: { matches($0.key, bare) }),
              let pathItem = resolve(item) as? [String: Any] else { return ["no path in the document matches \(bare)"] }
        guard let op = resolve(pathItem[method.lowercased()] as Any) as? [String: Any] else { return ["\(method) \(bare) is not documented"] }
        guard let responses = op["responses"] as? [String: Any], let r = responses[String(response.status)] else {
            return ["\(method) \(bare): status \(response.status) is not documented (body \(response.text))"]
        }
        guard let resp = resolve(r) as? [String: Any], let content = resp["content"] as? [String: Any] else { return ["response \(response.status) has no content"] }
        let type = (response.headers["content-type"] ?? "").split(separator: ";").first.map(String.init) ?? ""
        guard let media = content[type] as? [String: Any], let schema = media["schema"] else {
            return ["\(method) \(bare) \(response.status): content type \(type) is not documented"]
        }
        guard let body = response.json else { return ["\(method) \(bare) \(response.status): the body is not JSON: \(response.text)"] }
        var out: [String] = []
        check(body, schema, at: "$", into: &out)
        return out.map { "\(method) \(bare) \(response.status): \($0)" }
    }

    private func matches(_ template: String, _ path: String) -> Bool {
        let t = template.split(separator: "/", omittingEmptySubsequences: false)
        let p = path.split(separator: "/", omittingEmptySubsequences: false)
        guard t.count == p.count else { return false }
        return zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    /// Follows `$ref`s within the document.
    private func resolve(_ value: Any) -> Any? {
        guard let o = value as? [String: Any], let ref = o["$ref"] as? String else { return value }
        var cur: Any = doc
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (cur as? [String: Any])?[String(part)] else { return nil }
            cur = next
        }
        return resolve(cur)
    }

    private func typeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let n = v as? NSNumber { return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number" }
        if v is String { return "string" }
        if v is [Any] { return "array" }
        if v is [String: Any] { return "object" }
        return "unknown"
    }

    private func check(_ value: Any, _ schemaRef: Any, at path: String, into out: inout [String]) {
        guard let schema = resolve(schemaRef) as? [String: Any] else { out.append("\(path): unresolvable schema"); return }
        let actual = typeName(value)
        if let t = schema["type"] {
            let allowed = (t as? [String]) ?? [(t as? String) ?? ""]
            // JSONSerialization gives booleans as NSNumbers: 0 or 1 passes as a boolean.
            let isBit = (value as? NSNumber).map { $0.doubleValue == 0 || $0.doubleValue == 1 } ?? false
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) || (isBit && allowed.contains("boolean"))
            if !ok { out.append("\(path): \(actual) where \(allowed.joined(separator: "|")) is expected"); return }
        }
        if let e = schema["enum"] as? [Any] {
            if !e.contains(where: { "\($0)" == "\(value)" }) { out.append("\(path): \(value) is not one of \(e)") }
        }
        if let n = value as? NSNumber {
            if let min = schema["minimum"] as? Double, n.doubleValue < min { out.append("\(path): \(n) < \(min)") }
            if let max = schema["maximum"] as? Double, n.doubleValue > max { out.append("\(path): \(n) > \(max)") }
        }
        if let s = value as? String, let min = schema["minLength"] as? Int, s.count < min { out.append("\(path): shorter than \(min)") }
        if let o = value as? [String: Any] {
            let props = schema["properties"] as? [String: Any] ?? [:]
            for r in schema["required"] as? [String] ?? [] where o[r] == nil { out.append("\(path): missing required \(r)") }
            for (k, v) in o {
                if let p = props[k] { check(v, p, at: path + "." + k, into: &out) }
                else if (schema["additionalProperties"] as? Bool) == false { out.append("\(path): member \(k) is not in the schema") }
            }
        }
        if let a = value as? [Any], let items = schema["items"] {
            for (i, v) in a.enumerated() { check(v, items, at: "\(path)[\(i)]", into: &out) }
        }
    }
}
