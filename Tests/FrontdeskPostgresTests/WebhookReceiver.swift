import Foundation
import FrontdeskSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port: records every request and
/// answers 200, after `delay` seconds (so that deliverers are caught in the middle of a batch).
/// A copy of FrontdeskDeliveryTests' receiver without its scripted statuses.
final class WebhookReceiver: Sendable {
    struct Request {
        var method: String
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
        var eventID: String { headers["frontdesk-event-id"] ?? "" }
    }

    let port: UInt16
    private let fd: Int32
    /// Seconds each answer waits.
    private let delay: Double
    /// The requests so far.
    private let state = Mutex<[Request]>([])

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Request] { state.withLock { $0 } }

    init(delay: Double = 0) throws {
        self.delay = delay
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        if let error = DetachedThread.start({ [unowned self] in self.serve() }) {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: error) ?? .EAGAIN)
        }
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { if errno == EINTR { continue }; return }
            handle(c)
            close(c)
        }
    }

    private func handle(_ c: Int32) {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        var sentContinue = false
        while true {
            if headerEnd == nil, let r = find(data, Array("\r\n\r\n".utf8)) { headerEnd = r + 4 }
            if let h = headerEnd {
                let head = String(decoding: data[0..<h], as: UTF8.self)
                let headers = parseHeaders(head)
                let length = Int(headers["content-length"] ?? "0") ?? 0
                if headers["expect"]?.lowercased() == "100-continue" && !sentContinue && data.count - h < length {
                    sentContinue = true
                    let msg = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                    _ = msg.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                if data.count - h >= length {
                    let first = head.split(separator: "\r\n").first.map(String.init) ?? ""
                    let parts = first.split(separator: " ").map(String.init)
                    let req = Request(method: parts.first ?? "", path: parts.count > 1 ? parts[1] : "", headers: headers, body: Array(data[h..<(h + length)]))
                    if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
                    state.withLock { $0.append(req) }
                    let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                    // A deliverer killed meanwhile has closed its end: no SIGPIPE for the test process.
                    _ = reply.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    return
                }
            }
            let n = read(c, &buf, buf.count)
            if n <= 0 { return }
            data += buf[0..<n]
        }
    }

    private func parseHeaders(_ head: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    private func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
