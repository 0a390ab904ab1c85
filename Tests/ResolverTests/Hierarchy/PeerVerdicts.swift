import Foundation
import TestSupport

/// The four verdicts, as words every tool can be mapped onto.
enum Verdict: String, Sendable {
    case secure, insecure, bogus, indeterminate
}

/// What a peer validator said about one question.
struct PeerVerdict: Sendable, CustomStringConvertible {
    var verdict: Verdict
    /// The response code as dig prints it (NOERROR, NXDOMAIN, SERVFAIL), when known.
    var rcode: String?
    /// The Extended DNS Error code, when the peer sent one.
    var ede: Int?
    var transcript: String

    var description: String { "\(verdict.rawValue) \(rcode ?? "") EDE \(ede.map(String.init) ?? "-")" }
}

/// Asking the reference validators: Unbound (AD bit, or SERVFAIL with an EDE) and delv (its own
/// validation over Unbound with CD set).
enum PeerVerdicts {
    /// Unbound's verdict: AD → secure, SERVFAIL → bogus, NOERROR/NXDOMAIN without AD → insecure.
    static func unbound(_ name: String, _ type: String, at address: String) throws -> PeerVerdict {
        let result = try run(
            "dig", ["+dnssec", "+tries=1", "+time=5", "@\(address)", name, type], package: "bind9-dnsutils")
        let output = result.stdout
        let rcode = firstMatch(#"status: ([A-Z]+)"#, in: output)
        let ede = firstMatch(#"; EDE: (\d+)"#, in: output).flatMap { Int($0) }
        let flags = firstMatch(#";; flags:([a-z ]*);"#, in: output) ?? ""
        let verdict: Verdict
        switch rcode {
        case "SERVFAIL": verdict = .bogus
        case "NOERROR", "NXDOMAIN": verdict = flags.split(separator: " ").contains("ad") ? .secure : .insecure
        default: verdict = .indeterminate
        }
        return PeerVerdict(verdict: verdict, rcode: rcode, ede: ede, transcript: output)
    }

    /// delv's verdict, validating by itself from `anchorFile` with CD set toward the resolver.
    static func delv(_ name: String, _ type: String, resolver address: String, anchorFile: String) throws -> PeerVerdict {
        let result = try run(
            "delv", ["@\(address)", "-p", "53", "-a", anchorFile, "+root=.", "+cdflag", name, type],
            package: "bind9-dnsutils")
        let output = result.stdout + result.stderr
        let verdict: Verdict
        // "; fully validated" or "; negative response, fully validated" (the denial is proven);
        // delv then also prints "resolution failed: ncache ..." for the negative answer.
        if output.contains("fully validated") {
            verdict = .secure
        } else if output.contains("unsigned answer") {
            verdict = .insecure
        } else if output.contains("resolution failed") {
            verdict = .bogus
        } else {
            verdict = .indeterminate
        }
        let rcode: String? =
            output.contains("ncache nxdomain") || output.contains(";-$NXDOMAIN") ? "NXDOMAIN"
            : verdict == .bogus ? nil : "NOERROR"
        return PeerVerdict(verdict: verdict, rcode: rcode, ede: nil, transcript: output)
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
