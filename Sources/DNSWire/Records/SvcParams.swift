/// SvcParams of SVCB and HTTPS (RFC 9460 §2.2): key/value pairs in strictly increasing key
/// order, each key once, and every key named by `mandatory` present (§8).
public struct SvcParams: Hashable, Sendable {
    /// Sorted by key, each key once.
    public private(set) var params: [SvcParam]

    /// Sorts `params` and checks them (duplicates, formats, mandatory consistency).
    public init(_ params: [SvcParam]) throws(DNSWireError) {
        let sorted = params.sorted { $0.key < $1.key }
        try SvcParams.check(sorted, fail: { DNSWireError(.badRDATA, $0) })
        self.params = sorted
    }

    public subscript(key: SvcParamKey) -> SvcParam? { params.first { $0.key == key } }

    static func check(_ params: [SvcParam], fail: (String) -> DNSWireError) throws(DNSWireError) {
        var previous = -1
        for param in params {
            guard Int(param.key.rawValue) > previous else { throw fail("SvcParam keys must be unique and increasing") }
            previous = Int(param.key.rawValue)
            if let problem = param.validate() { throw fail(problem) }
        }
        // RFC 9460 §8: every key listed in mandatory must be present. Both lists are sorted,
        // so one merge-walk checks it in linear time.
        if let mandatory = params.first, mandatory.key == .mandatory {
            var next = 1
            for index in stride(from: 0, to: mandatory.value.count, by: 2) {
                let listed = SvcParamKey(UInt16(mandatory.value[index]) << 8 | UInt16(mandatory.value[index + 1]))
                while next < params.count, params[next].key < listed { next += 1 }
                guard next < params.count, params[next].key == listed else {
                    throw fail("mandatory lists \(listed) but it is absent")
                }
            }
        }
    }

    init(from reader: inout DNSReader) throws(DNSWireError) {
        var params: [SvcParam] = []
        while !reader.isAtEnd {
            let key = SvcParamKey(try reader.readUInt16())
            let length = Int(try reader.readUInt16())
            params.append(SvcParam(key: key, value: try reader.readBytes(length)))
        }
        let at = reader.offset
        try SvcParams.check(params, fail: { DNSWireError(.badRDATA, $0, offset: at) })
        self.params = params
    }

    func write(to writer: inout DNSWriter) throws(DNSWireError) {
        for param in params {
            guard param.value.count <= 0xFFFF else { throw DNSWireError(.tooLarge, "SvcParam value over 65535 octets") }
            writer.writeUInt16(param.key.rawValue)
            writer.writeUInt16(UInt16(param.value.count))
            writer.writeBytes(param.value)
        }
    }

    init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        var params: [SvcParam] = []
        while let token = reader.peek {
            _ = try reader.next("SvcParam")
            let fail = { (reason: String) in DNSWireError(.badSyntax, reason, line: token.line, column: token.column) }
            let text = token.text
            var keyText = text
            var valueText: [UInt8]? = nil
            if let equals = text.firstIndex(of: 0x3D) {  // "="
                keyText = Array(text[..<equals])
                var rest = Array(text[(equals + 1)...])
                if rest.isEmpty, let quoted = reader.peek, quoted.isQuoted {
                    // `key=` followed by a quoted token.
                    _ = try reader.next("SvcParam value")
                    rest = try decodeEscapedText(quoted)
                } else {
                    // `key="value"` arriving as one token: drop the quotes.
                    if rest.count >= 2, rest.first == 0x22, rest.last == 0x22 { rest = Array(rest.dropFirst().dropLast()) }
                    rest = try decodeEscapedText(PresentationToken(text: rest, line: token.line, column: token.column))
                }
                valueText = rest
            }
            guard let key = SvcParamKey(text: keyText) else { throw fail("unknown SvcParam key") }
            guard key != .invalid else { throw fail("key65535 is reserved") }
            params.append(try SvcParam.parse(key: key, text: valueText, fail: fail))
        }
        params.sort { $0.key < $1.key }
        let last = reader.tokens.last
        try SvcParams.check(params, fail: { DNSWireError(.badSyntax, $0, line: last?.line, column: last?.column) })
        self.params = params
    }

    var presentation: String { params.map(\.presentation).joined(separator: " ") }
}
