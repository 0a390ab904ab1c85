import DANE

/// The audit log's line format: one JSON object with the 19 keys of issue 11, always all of
/// them, in this order, `null` where unknown. Written by hand rather than with Codable, whose
/// synthesized encoding leaves nil keys out and does not promise an order.
extension AuditRecord {
    /// The keys of every audit line, in the order they are written.
    public static let jsonKeys: [String] = [
        "time", "id", "service", "client", "protocol", "target", "address", "tlsaName", "dnssec", "tlsa", "tls",
        "certificate", "match", "verdict", "reason", "tlsrpt", "bytesUp", "bytesDown", "durationMs",
    ]

    /// The record as one line of JSON ending in a newline. `policy` decides `tlsrpt` (a missing
    /// TLSA maps to `dane-required` only under `require`).
    public func jsonLine(policy: DANEPolicy) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("time"); json.string(time)
        json.key("id"); json.string(id)
        json.key("service"); json.string(service)
        json.key("client"); json.string(client)
        json.key("protocol"); json.string(self.protocol)
        json.key("target"); json.string(target)
        json.key("address"); json.string(address)
        json.key("tlsaName"); json.string(tlsaName)
        json.key("dnssec"); json.string(dnssec)
        json.key("tlsa")
        if let tlsa {
            json.beginArray()
            for record in tlsa {
                json.beginObject()
                json.key("usage"); json.number(Int(record.usage))
                json.key("selector"); json.number(Int(record.selector))
                json.key("matchingType"); json.number(Int(record.matchingType))
                json.key("data"); json.string(record.data)
                json.key("matched"); json.boolean(record.matched)
                json.endObject()
            }
            json.endArray()
        } else {
            json.null()
        }
        json.key("tls")
        if let tls {
            json.beginObject()
            json.key("version"); json.string(tls.version)
            json.key("cipher"); json.string(tls.cipher)
            json.key("sni"); json.string(tls.sni)
            json.endObject()
        } else {
            json.null()
        }
        json.key("certificate")
        if let certificate {
            json.beginObject()
            json.key("sha256"); json.string(certificate.sha256)
            json.key("spkiSha256"); json.string(certificate.spkiSha256)
            json.key("subject"); json.string(certificate.subject)
            json.key("notAfter"); json.string(certificate.notAfter)
            json.endObject()
        } else {
            json.null()
        }
        json.key("match")
        if let match {
            json.beginObject()
            json.key("usage"); json.number(Int(match.usage))
            json.key("selector"); json.number(Int(match.selector))
            json.key("matchingType"); json.number(Int(match.matchingType))
            json.key("depth"); json.number(match.depth)
            json.endObject()
        } else {
            json.null()
        }
        json.key("verdict"); json.string(verdict.rawValue)
        json.key("reason"); json.string(reason?.description)
        json.key("tlsrpt"); json.string(AuditRecord.tlsReportResultType(reason, policy: policy))
        json.key("bytesUp"); json.number(bytesUp)
        json.key("bytesDown"); json.number(bytesDown)
        json.key("durationMs"); json.number(durationMs)
        json.endObject()
        return json.text + "\n"
    }
}

/// A minimal JSON writer for the audit line: objects, arrays, strings, integers, booleans and
/// null, with commas placed for the caller.
struct JSONWriter {
    private(set) var text = ""
    /// Whether the next value in the current container needs a comma before it.
    private var needsComma = false

    mutating func beginObject() { separate(); text += "{"; needsComma = false }
    mutating func endObject() { text += "}"; needsComma = true }
    mutating func beginArray() { separate(); text += "["; needsComma = false }
    mutating func endArray() { text += "]"; needsComma = true }

    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        text += ":"
        needsComma = false
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { appendQuoted(value) } else { text += "null" }
        needsComma = true
    }

    mutating func number(_ value: Int) { separate(); text += String(value); needsComma = true }
    mutating func boolean(_ value: Bool) { separate(); text += value ? "true" : "false"; needsComma = true }
    mutating func null() { separate(); text += "null"; needsComma = true }

    private mutating func separate() {
        if needsComma { text += "," }
    }

    /// RFC 8259 §7: quote, backslash and control characters are escaped; everything else is
    /// written as UTF-8. A newline inside a value can therefore never split a record.
    private mutating func appendQuoted(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
