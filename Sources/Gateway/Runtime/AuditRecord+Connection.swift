import DANE
import DNSWire
import Foundation
import TLS

extension AuditRecord {
    /// The RFC 3339 time of `date`, in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The upstream part of a record from the host that was used (or the last one tried).
    mutating func describe(_ attempt: HostAttempt, planned: PlannedHost?, plan: UpstreamPlan?) {
        let report = attempt.report
        if report.port != 0 { target = "\(report.host):\(report.port)" }
        address = report.address
        if let tlsa = report.tlsa {
            tlsaName = tlsa.tlsaName.presentation
            dnssec = tlsa.status.name
            self.tlsa = report.records.map { result in
                TLSARecordSeen(
                    usage: result.record.usage.rawValue, selector: result.record.selector.rawValue,
                    matchingType: result.record.matchingType.rawValue, data: Self.hex(result.record.associationData),
                    matched: result.matched)
            }
        } else if let status = planned?.addressStatus, !status.isSecure {
            dnssec = status.name
        } else if let status = plan?.targetStatus {
            dnssec = status.name
        }
        if let tls = report.tls {
            self.tls = TLSDetails(version: tls.version, cipher: tls.cipher, sni: planned?.tlsOptions.serverName)
            if let leaf = tls.peerCertificateSHA256, let spki = tls.peerSPKISHA256 {
                certificate = CertificateDetails(
                    sha256: Self.hex(leaf), spkiSha256: Self.hex(spki), subject: tls.peerSubject, notAfter: tls.peerNotAfter)
            }
        }
        if let match = report.match {
            self.match = MatchDetails(
                usage: match.record.usage, selector: match.record.selector, matchingType: match.record.matchingType,
                depth: match.depth)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
