import Foundation
import DANE

/// XMPP client-to-server (RFC 6120): the client's opening stream header names the service
/// domain (`to`, §4.7.2), which `srv:*` resolves; the header is replayed inside TLS. A refused
/// client gets a stream error `<policy-violation/>` with the reason as text (§4.9.3.14).
struct XMPPFrontEnd: ClientFrontEnd {
    let needsPrelude: Bool
    private var scanner = XMLTagScanner()
    private var examined = 0
    private var domain: String?

    init(needsPrelude: Bool) {
        self.needsPrelude = needsPrelude
    }

    mutating func examine(_ early: [UInt8]) -> ClientPrelude {
        if let domain { return .ready(domain: domain) }
        let fresh = Array(early[min(examined, early.count)...])
        examined = early.count
        do {
            try scanner.append(fresh)
            while let event = try scanner.next() {
                guard case .start(let name, let attributes, _) = event else { continue }
                guard name == "stream:stream" || name.hasSuffix(":stream") || name == "stream" else {
                    return .invalid("the client did not open an XMPP stream")
                }
                guard let to = attributes["to"], Self.isDomain(to) else {
                    return .invalid("the client's stream header names no domain")
                }
                domain = to
                return .ready(domain: to)
            }
            return .needMore
        } catch {
            return .invalid("unreadable stream header: \(error.detail)")
        }
    }

    /// A bare DNS name (RFC 6120 §4.7.2 `to` is a domainpart): letters, digits, '-', '.'.
    static func isDomain(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 253
            && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    func refusal(_ reason: String) -> [UInt8] {
        let text = ClientFrontEnds.lineSafe(reason)
            .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
        let from = domain.map { " from='\($0)'" } ?? ""
        return Array(
            ("<?xml version='1.0'?><stream:stream\(from) id='danegate' version='1.0' xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>\(text)</text></stream:error></stream:stream>").utf8)
    }
}
