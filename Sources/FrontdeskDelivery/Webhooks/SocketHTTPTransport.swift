#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Posts `http://` webhooks over a plain socket, waiting in `poll(2)` against one deadline, and
/// hands `https://` to another transport.
///
/// URLSession's `timeoutInterval` is an idle timer that restarts with every byte, and on Linux a
/// receiver that accepts the connection and never answers holds an attempt well past its
/// timeout (until the caller's slack runs out) while FoundationNetworking's libcurl loop
/// spins on a core. Here the whole attempt — connect, send, read the status line — ends at
/// `timeout` seconds after it started, and the thread sleeps in the kernel while it waits.
public struct SocketHTTPTransport: HTTPTransport {
    /// For `https://` (TLS is not done here); nil: such URLs fail with a message saying so.
    let secure: (any HTTPTransport)?

    public init(secure: (any HTTPTransport)?) { self.secure = secure }

    public func post(url: String, headers: [String: String], body: [UInt8], timeout: Double) -> HTTPOutcome {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty else {
            return .failure("invalid URL \(url)")
        }
        if scheme != "http" {
            guard let secure else { return .failure("\(scheme):// needs frontdesk-deliver's TLS transport") }
            return secure.post(url: url, headers: headers, body: body, timeout: timeout)
        }
        let deadline = Self.monotonicSeconds() + timeout
        let path = (c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath) + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
        let bracketed = host.contains(":") ? "[\(host)]" : host
        var head = "POST \(path) HTTP/1.1\r\nHost: \(bracketed)\(c.port.map { ":\($0)" } ?? "")\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) where !k.contains("\r") && !v.contains("\r") && !v.contains("\n") {
            head += "\(k): \(v)\r\n"
        }
        head += "\r\n"
        let fd: Int32
        switch Self.connect(host: host, port: c.port ?? 80, deadline: deadline) {
        case .success(let s): fd = s
        case .failure(let why): return .failure(why.text(timeout))
        }
        defer { close(fd) }
        if let why = Self.send(fd, Array(head.utf8) + body, deadline: deadline) { return .failure(why.text(timeout)) }
        switch Self.readStatus(fd, deadline: deadline) {
        case .success(let status): return .response(status: status)
        case .failure(let why): return .failure(why.text(timeout))
        }
    }

    /// Why an attempt ended without a status.
    enum Failure: Error {
        case timedOut
        case other(String)
        func text(_ timeout: Double) -> String {
            switch self {
            case .timedOut: "timed out after \(timeout) s"
            case .other(let s): s
            }
        }
    }

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Waits for `events` on `fd` until the deadline; false when the deadline passed first.
    static func wait(_ fd: Int32, _ events: Int16, deadline: Double) -> Bool {
        while true {
            let left = deadline - monotonicSeconds()
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, Int32(min(left * 1000, Double(Int32.max)).rounded(.up)))
            if r > 0 { return true }
            if r < 0 && errno != EINTR { return true }   // the next call reports the error
        }
    }

    static func connect(host: String, port: Int, deadline: Double) -> Result<Int32, Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else { return .failure(.other("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")) }
        defer { freeaddrinfo(list) }
        var lastError = "no address for \(host)"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), a.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard errno == EINPROGRESS else { lastError = "connect: \(String(cString: strerror(errno)))"; close(fd); continue }
            guard wait(fd, Int16(POLLOUT), deadline: deadline) else { close(fd); return .failure(.timedOut) }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return .success(fd) }
            lastError = "connect: \(String(cString: strerror(err)))"
            close(fd)
        }
        return .failure(.other(lastError))
    }

    static func send(_ fd: Int32, _ bytes: [UInt8], deadline: Double) -> Failure? {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard wait(fd, Int16(POLLOUT), deadline: deadline) else { return .timedOut }
                continue
            }
            return .other("send: \(String(cString: strerror(errno)))")
        }
        return nil
    }

    /// Reads until the status line is complete and returns its code.
    static func readStatus(_ fd: Int32, deadline: Double) -> Result<Int, Failure> {
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while got.count < 8192 {
            if let end = got.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: got[..<end], as: UTF8.self)
                let parts = line.split(separator: " ")
                guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
                    return .failure(.other("not an HTTP response"))
                }
                return .success(status)
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { got += buffer[0..<n]; continue }
            if n == 0 { return .failure(.other("connection closed before a response")) }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(fd, Int16(POLLIN), deadline: deadline) else { return .failure(.timedOut) }
                continue
            }
            return .failure(.other("recv: \(String(cString: strerror(errno)))"))
        }
        return .failure(.other("status line too long"))
    }
}
