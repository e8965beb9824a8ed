import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// One attempt of one job at its target: a signed webhook POST or a hook run, as every
/// deliverer makes it (``Deliverer`` on a data directory, ``OutboxDeliverer`` on a shared
/// outbox), so both send the same bytes, headers and environment.
struct DeliveryAttempts {
    /// `FRONTDESK_DATA` for hooks: the data directory, or the store's URL.
    let data: String
    let clock: any WallClock
    let transport: any HTTPTransport
    let runner: any ProcessRunner
    let registry: WebhookRegistry
    let hooks: HookDirectory
    let options: DeliveryOptions

    /// How one attempt ended.
    enum Result {
        case delivered(status: Int?)
        case failed(status: Int?, error: String)
        /// Give up now: 410 Gone, or the endpoint was disabled.
        case giveUp(status: Int?, error: String)
        case dropped(String)
    }

    func attempt(_ job: DeliveryJob, body: [UInt8]) throws(DeliveryError) -> Result {
        switch job.target {
        case .webhook(let id): return try attemptWebhook(id, job, body: body)
        case .hook(let name): return attemptHook(name, job, body: body)
        }
    }

    func attemptWebhook(_ id: String, _ job: DeliveryJob, body: [UInt8]) throws(DeliveryError) -> Result {
        guard let ep = try registry.load().endpoints.first(where: { $0.id == id }) else { return .dropped("webhook \(id) was removed") }
        if ep.disabledAt != nil { return .giveUp(status: nil, error: "webhook \(id) is disabled (\(ep.disabledReason ?? "no reason"))") }
        let now = clock.now()
        let headers = [
            "Content-Type": "application/json",
            "User-Agent": "Frontdesk-Webhooks/1",
            "Frontdesk-Event-Id": job.event.id,
            "Frontdesk-Event-Type": job.event.type.rawValue,
            "Frontdesk-Signature": WebhookSignature.header(secret: ep.secret, time: now, body: body),
        ]
        switch transport.post(url: ep.url, headers: headers, body: body, timeout: options.webhookTimeout) {
        case .response(let status) where (200..<300).contains(status):
            return .delivered(status: status)
        case .response(410):
            try registry.disable(id: id, reason: "receiver answered 410 Gone at \(now.iso8601)", now: now)
            return .giveUp(status: 410, error: "HTTP 410 Gone: webhook \(id) disabled")
        case .response(let status):
            return .failed(status: status, error: "HTTP \(status)")
        case .failure(let why):
            return .failed(status: nil, error: why)
        }
    }

    func attemptHook(_ name: String, _ job: DeliveryJob, body: [UInt8]) -> Result {
        let path = hooks.path + "/" + name
        let fd: Int32
        switch hooks.open(name) {
        case .missing: return .dropped("hook \(path) was removed")
        case .refused(let why): return .failed(status: nil, error: why)
        case .ready(let opened): fd = opened
        }
        defer { close(fd) }
        var env = options.hookEnvironment
        env["FRONTDESK_EVENT_ID"] = job.event.id
        env["FRONTDESK_EVENT_TYPE"] = job.event.type.rawValue
        env["FRONTDESK_BOOKING_ID"] = job.event.booking?.id.rawValue ?? ""
        env["FRONTDESK_DATA"] = data
        env["FRONTDESK_ATTEMPT"] = String(job.attempts + 1)
        // The checked file itself, through its descriptor: not whatever the name points at now.
        let checked = "/proc/self/fd/\(fd)"
        switch runner.run(executable: checked, arguments: [], environment: env, stdin: body, timeout: options.hookTimeout) {
        case .exited(0, _): return .delivered(status: 0)
        case .exited(let status, let output): return .failed(status: Int(status), error: "exit status \(status)" + Self.tail(output))
        case .signalled(let sig, let output): return .failed(status: nil, error: "killed by signal \(sig)" + Self.tail(output))
        case .timedOut(let output): return .failed(status: nil, error: "timed out after \(options.hookTimeout) s" + Self.tail(output))
        case .failedToStart(let why): return .failed(status: nil, error: "could not start \(path): \(why.replacing(checked, with: path))")
        }
    }

    static func tail(_ output: String) -> String {
        let t = output.trimming(.whitespacesAndNewlines)
        return t.isEmpty ? "" : ": " + String(t.suffix(300))
    }
}
