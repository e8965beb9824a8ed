import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI

/// How `frontdesk report` prints a report: a table with totals, `--json` (every amount in
/// integer minor units, every time in seconds, rates in tenths of a percent), or `--csv` (the
/// rows of the report's main table, one line each, no totals).
struct ReportTables {
    enum Output { case text, json, csv }

    /// Names of resources and services.
    let state: BookingState
    let format: Output

    // MARK: Utilisation

    func render(_ r: UtilisationReport) -> String {
        let grouped = r.request.grouping != .period
        let rows = grouped ? r.rows : r.byResource
        switch format {
        case .json:
            func row(_ x: UtilisationReport.Row) -> JSONTree {
                var o = group(x.bucket)
                o["resource"] = .string(x.resource?.rawValue)
                o["resource_name"] = .string(x.resource.map(name))
                o["open_seconds"] = .integer(x.openSeconds)
                o["booked_seconds"] = .integer(x.bookedSeconds)
                o["utilisation_permille"] = x.rate.permille.map { .integer($0) } ?? .null
                o["utilisation"] = .string(x.rate.text)
                return .object(o)
            }
            var o = header(r.request, "utilisation")
            o["rows"] = .array(r.rows.map(row))
            o["by_resource"] = .array(r.byResource.map(row))
            o["by_group"] = .array(r.byBucket.map(row))
            o["total"] = row(r.total)
            return Format.json(JSONTree.object(o))
        case .csv:
            return csv(["resource", "resource_name", "group", "open_seconds", "booked_seconds", "utilisation_permille"], rows.map { x in
                [x.resource?.rawValue ?? "", x.resource.map(name) ?? "", x.bucket.label, String(x.openSeconds), String(x.bookedSeconds),
                 x.rate.permille.map(String.init) ?? ""]
            })
        case .text:
            var out = [title("Utilisation", r.request)]
            if grouped {
                out.append(Format.table(["RESOURCE", groupHeader(r.request), "OPEN", "BOOKED", "UTILISATION"], r.rows.map { x in
                    [x.resource.map(name) ?? "", x.bucket.label, hours(x.openSeconds), hours(x.bookedSeconds), x.rate.text]
                }))
                out.append("")
            }
            out.append(Format.table(["RESOURCE", "OPEN", "BOOKED", "UTILISATION"], (r.byResource + [r.total]).map { x in
                [x.resource.map(name) ?? "All resources", hours(x.openSeconds), hours(x.bookedSeconds), x.rate.text]
            }))
            return out.joined(separator: "\n")
        }
    }

    // MARK: No-shows

    func render(_ r: NoShowReport) -> String {
        let money = Amounts(currency: r.currency)
        switch format {
        case .json:
            func row(_ x: NoShowReport.Row) -> JSONTree {
                var o = group(x.bucket)
                o["bookings"] = .integer(x.bookings)
                o["no_shows"] = .integer(x.noShows)
                o["no_show_permille"] = x.rate.permille.map { .integer($0) } ?? .null
                o["no_show_rate"] = .string(x.rate.text)
                o["fees"] = .integer(x.fees)
                return .object(o)
            }
            var o = header(r.request, "no-shows")
            o["currency"] = .string(r.currency?.code)
            o["rows"] = .array(r.rows.map(row))
            o["total"] = row(r.total)
            return Format.json(JSONTree.object(o))
        case .csv:
            return csv(["group", "bookings", "no_shows", "no_show_permille", "fees"], r.rows.map { x in
                [x.bucket.label, String(x.bookings), String(x.noShows), x.rate.permille.map(String.init) ?? "", String(x.fees)]
            })
        case .text:
            let rows = (r.request.grouping == .period ? [] : r.rows) + [r.total]
            return title("No-shows", r.request) + "\n" + Format.table([groupHeader(r.request), "BOOKINGS", "NO-SHOWS", "RATE", "FEES"], rows.map { x in
                [x.bucket.grouping == .period ? "Total" : x.bucket.label, String(x.bookings), String(x.noShows), x.rate.text, money.text(x.fees)]
            })
        }
    }

    // MARK: Cancellations

    func render(_ r: CancellationReport) -> String {
        let money = Amounts(currency: r.currency)
        switch format {
        case .json:
            func row(_ x: CancellationReport.Row) -> JSONTree {
                var o = group(x.bucket)
                o["bookings"] = .integer(x.bookings)
                o["cancelled"] = .integer(x.cancelled)
                o["late"] = .integer(x.late)
                o["cancel_permille"] = x.cancelRate.permille.map { .integer($0) } ?? .null
                o["late_permille"] = x.lateRate.permille.map { .integer($0) } ?? .null
                o["cancel_rate"] = .string(x.cancelRate.text)
                o["late_rate"] = .string(x.lateRate.text)
                o["late_fees"] = .integer(x.lateFees)
                return .object(o)
            }
            var o = header(r.request, "cancellations")
            o["currency"] = .string(r.currency?.code)
            o["rows"] = .array(r.rows.map(row))
            o["total"] = row(r.total)
            return Format.json(JSONTree.object(o))
        case .csv:
            return csv(["group", "bookings", "cancelled", "late", "cancel_permille", "late_permille", "late_fees"], r.rows.map { x in
                [x.bucket.label, String(x.bookings), String(x.cancelled), String(x.late), x.cancelRate.permille.map(String.init) ?? "",
                 x.lateRate.permille.map(String.init) ?? "", String(x.lateFees)]
            })
        case .text:
            let rows = (r.request.grouping == .period ? [] : r.rows) + [r.total]
            return title("Cancellations", r.request) + "\n"
                + Format.table([groupHeader(r.request), "BOOKINGS", "CANCELLED", "RATE", "LATE", "LATE RATE", "LATE FEES"], rows.map { x in
                    [x.bucket.grouping == .period ? "Total" : x.bucket.label, String(x.bookings), String(x.cancelled), x.cancelRate.text,
                     String(x.late), x.lateRate.text, money.text(x.lateFees)]
                })
        }
    }

    // MARK: Takings

    func render(_ r: TakingsReport) -> String {
        let money = Amounts(currency: r.currency)
        let grouped = r.request.grouping != .period
        switch format {
        case .json:
            func method(_ x: TakingsReport.MethodRow) -> JSONTree {
                var o = group(x.bucket)
                o["method"] = .string(x.method?.rawValue)
                o["payments"] = .integer(x.payments); o["refunds"] = .integer(x.refunds); o["net"] = .integer(x.net)
                return .object(o)
            }
            func service(_ x: TakingsReport.ServiceRow) -> JSONTree {
                var o = group(x.bucket)
                o["service"] = .string(x.service?.rawValue)
                o["service_name"] = .string(serviceName(x.service))
                o["payments"] = .integer(x.payments); o["refunds"] = .integer(x.refunds); o["net"] = .integer(x.net); o["fees"] = .integer(x.fees)
                return .object(o)
            }
            var o = header(r.request, "takings")
            o["currency"] = .string(r.currency?.code)
            o["minor_unit_digits"] = r.currency.map { .integer($0.exponent) } ?? .null
            o["by_method"] = .array(r.byMethod.map(method))
            o["by_service"] = .array(r.byService.map(service))
            o["method_totals"] = .array(r.methodTotals.map(method))
            o["service_totals"] = .array(r.serviceTotals.map(service))
            o["total"] = ["payments": .integer(r.total.payments), "refunds": .integer(r.total.refunds), "net": .integer(r.total.net),
                          "fees": .integer(r.total.fees), "bookings": .integer(r.total.bookings)]
            return Format.json(JSONTree.object(o))
        case .csv:
            return csv(["group", "method", "payments", "refunds", "net"], (grouped ? r.byMethod : r.methodTotals).map { x in
                [x.bucket.label, x.method?.rawValue ?? "", String(x.payments), String(x.refunds), String(x.net)]
            })
        case .text:
            var out = [title("Takings", r.request) + (r.currency.map { " in \($0.code)" } ?? "")]
            let methods = grouped ? r.byMethod : r.methodTotals
            let services = grouped ? r.byService : r.serviceTotals
            let lead = grouped ? [groupHeader(r.request)] : []
            out.append(Format.table(lead + ["METHOD", "PAYMENTS", "REFUNDS", "NET"], methods.map { x in
                (grouped ? [x.bucket.label] : []) + [x.method?.rawValue ?? "(none)", money.text(x.payments), money.text(x.refunds), money.text(x.net)]
            }))
            out.append("")
            out.append(Format.table(lead + ["SERVICE", "PAYMENTS", "REFUNDS", "NET", "FEES CHARGED"], services.map { x in
                (grouped ? [x.bucket.label] : []) + [serviceName(x.service), money.text(x.payments), money.text(x.refunds), money.text(x.net), money.text(x.fees)]
            }))
            out.append("")
            out.append("Total: payments \(money.text(r.total.payments)), refunds \(money.text(r.total.refunds)), net \(money.text(r.total.net)); "
                       + "fees charged \(money.text(r.total.fees)); \(r.total.bookings) booking\(r.total.bookings == 1 ? "" : "s") with money")
            return out.joined(separator: "\n")
        }
    }

    // MARK: Services

    func render(_ r: ServicesReport) -> String {
        let money = Amounts(currency: r.currency)
        let grouped = r.request.grouping != .period
        switch format {
        case .json:
            func row(_ x: ServicesReport.Row) -> JSONTree {
                var o = group(x.bucket)
                o["service"] = .string(x.service?.rawValue)
                o["service_name"] = .string(serviceName(x.service))
                o["bookings"] = .integer(x.bookings); o["booked_seconds"] = .integer(x.bookedSeconds); o["takings"] = .integer(x.takings)
                return .object(o)
            }
            var o = header(r.request, "services")
            o["currency"] = .string(r.currency?.code)
            o["rows"] = .array(r.rows.map(row))
            o["by_service"] = .array(r.byService.map(row))
            var total = group(r.total.bucket)
            total["bookings"] = .integer(r.total.bookings); total["booked_seconds"] = .integer(r.total.bookedSeconds); total["takings"] = .integer(r.total.takings)
            o["total"] = .object(total)
            return Format.json(JSONTree.object(o))
        case .csv:
            return csv(["group", "service", "service_name", "bookings", "booked_seconds", "takings"], (grouped ? r.rows : r.byService).map { x in
                [x.bucket.label, x.service?.rawValue ?? "", serviceName(x.service), String(x.bookings), String(x.bookedSeconds), String(x.takings)]
            })
        case .text:
            let lead = grouped ? [groupHeader(r.request)] : []
            let rows = (grouped ? r.rows : r.byService).map { x in
                (grouped ? [x.bucket.label] : []) + [serviceName(x.service), String(x.bookings), hours(x.bookedSeconds), money.text(x.takings)]
            }
            let total = (grouped ? [""] : []) + ["Total", String(r.total.bookings), hours(r.total.bookedSeconds), money.text(r.total.takings)]
            return title("Services", r.request) + "\n" + Format.table(lead + ["SERVICE", "BOOKINGS", "HOURS", "TAKINGS"], rows + [total])
        }
    }

    // MARK: Pieces

    /// Amounts in the report's currency (plain minor units when it has none).
    struct Amounts {
        let currency: Currency?
        func text(_ minor: Int64) -> String { currency.map { Money(minorUnits: minor, currency: $0).plain } ?? String(minor) }
    }

    func name(_ r: ResourceID) -> String { state.resources[r]?.name ?? r.rawValue }

    func serviceName(_ s: ServiceID?) -> String {
        guard let s else { return "(no service)" }
        return state.services[s]?.name ?? s.rawValue
    }

    /// `Utilisation, 2027-03-01 00:00 to 2027-04-01 00:00 (Europe/London), by day`.
    func title(_ what: String, _ q: ReportRequest) -> String {
        let by = q.grouping == .period ? "" : ", by \(q.grouping.rawValue)"
        return "\(what), \(Format.local(q.period.start, q.zone)) to \(Format.local(q.period.end, q.zone)) (\(q.zone))\(by)"
    }

    func groupHeader(_ q: ReportRequest) -> String {
        switch q.grouping {
        case .period: "PERIOD"
        case .day: "DAY"
        case .week: "WEEK"
        case .month: "MONTH"
        case .weekdayHour: "WEEKDAY-HOUR"
        }
    }

    /// Whole hours and minutes: `8:00`, `145:30`.
    func hours(_ seconds: Int64) -> String {
        let m = seconds / 60
        return "\(m / 60):\(Format.two(Int(m % 60)))"
    }

    func header(_ q: ReportRequest, _ kind: String) -> [String: JSONTree] {
        ["report": .string(kind), "from": .string(q.period.start.iso8601), "to": .string(q.period.end.iso8601),
         "zone": .string(q.zone.identifier), "by": q.grouping == .period ? .null : .string(q.grouping.rawValue),
         "resources": q.resources.map { .array($0.map { .string($0.rawValue) }) } ?? .null]
    }

    func group(_ b: ReportBucket) -> [String: JSONTree] {
        ["group": .string(b.label), "first_day": .string(b.firstDay?.description)]
    }

    func csv(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\n")
    }
}
