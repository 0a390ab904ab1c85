/// A dig-like text form of a message, for logs and command-line tools.
extension Message: CustomStringConvertible {
    public var description: String { presentation }

    public var presentation: String {
        var lines: [String] = []
        lines.append(";; ->>HEADER<<- opcode: \(header.opcode), status: \(rcode), id: \(header.id)")
        var flags: [String] = []
        if header.isResponse { flags.append("qr") }
        if header.isAuthoritative { flags.append("aa") }
        if header.isTruncated { flags.append("tc") }
        if header.recursionDesired { flags.append("rd") }
        if header.recursionAvailable { flags.append("ra") }
        if header.z { flags.append("z") }
        if header.authenticData { flags.append("ad") }
        if header.checkingDisabled { flags.append("cd") }
        lines.append(";; flags: \(flags.joined(separator: " ")); QUERY: \(questions.count), ANSWER: \(answers.count), "
            + "AUTHORITY: \(authority.count), ADDITIONAL: \(additional.count + (edns == nil ? 0 : 1))")
        if let edns {
            lines.append("")
            lines.append(";; OPT PSEUDOSECTION:")
            lines.append("; EDNS: version: \(edns.version), flags:\(edns.dnssecOK ? " do" : ""); udp: \(edns.udpPayloadSize)")
            for option in edns.options { lines.append("; " + Message.describe(option)) }
        }
        lines.append("")
        lines.append(";; QUESTION SECTION:")
        for question in questions { lines.append(";\(question.name.presentation) \(question.rrClass) \(question.type)") }
        for (title, records) in [("ANSWER", answers), ("AUTHORITY", authority), ("ADDITIONAL", additional)] where !records.isEmpty {
            lines.append("")
            lines.append(";; \(title) SECTION:")
            for record in records { lines.append(record.presentation) }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ option: EDNSOption) -> String {
        switch option {
        case .extendedError(let error):
            let text = error.extraText.isEmpty ? "" : " (\(error.extraText))"
            return "EDE: \(error.infoCode.rawValue)\(text)"
        case .cookie(let cookie):
            return "COOKIE: " + BinaryText.hex(cookie.client) + (cookie.server.isEmpty ? "" : BinaryText.hex(cookie.server))
        case .padding(let count):
            return "PADDING: \(count) octets"
        case .clientSubnet(let subnet):
            let address: String
            switch subnet.family {
            case 1: address = IPAddressText.formatIPv4(subnet.address + [UInt8](repeating: 0, count: max(0, 4 - subnet.address.count)))
            case 2: address = IPAddressText.formatIPv6(subnet.address + [UInt8](repeating: 0, count: max(0, 16 - subnet.address.count)))
            default: address = BinaryText.hex(subnet.address)
            }
            return "CLIENT-SUBNET: \(address)/\(subnet.sourcePrefixLength)/\(subnet.scopePrefixLength)"
        case .unknown(let code, let data):
            return "OPT=\(code): " + BinaryText.hex(data)
        }
    }
}
