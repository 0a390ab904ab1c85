import DNSWire

/// Trust anchors in BIND's named.conf syntax (as in `/etc/bind/bind.keys`):
///
///     trust-anchors {
///         NAME initial-key|static-key FLAGS PROTOCOL ALGORITHM "BASE64 KEY";
///         NAME initial-ds|static-ds KEYTAG ALGORITHM DIGESTTYPE "HEX DIGEST";
///     };
///
/// and the older `managed-keys { NAME initial-key ...; };` and
/// `trusted-keys { NAME FLAGS PROTOCOL ALGORITHM "KEY"; };`. Other statements are skipped.
/// Comments: `//`, `#` and `/* */`. RFC 5011 key rollover (initial-*) is not run: the keys are
/// used as static anchors.
public enum BINDTrustAnchors {
    public static func parse(_ text: String) throws(TrustAnchorError) -> [TrustAnchor] {
        let tokens = try tokenize(text)
        var store = TrustAnchorStore()
        var index = 0
        while index < tokens.count {
            let word = tokens[index].text
            let isBlock = ["trust-anchors", "managed-keys", "trusted-keys"].contains(word)
            if isBlock, index + 1 < tokens.count, tokens[index + 1].text == "{", !tokens[index + 1].quoted {
                index += 2
                while index < tokens.count, !(tokens[index].text == "}" && !tokens[index].quoted) {
                    var entry: [Token] = []
                    while index < tokens.count, !(tokens[index].text == ";" && !tokens[index].quoted) {
                        if tokens[index].text == "}" && !tokens[index].quoted { break }
                        entry.append(tokens[index])
                        index += 1
                    }
                    guard index < tokens.count, tokens[index].text == ";" else {
                        throw TrustAnchorError(.badSyntax, "line \(entry.last?.line ?? 0): entry in \(word) does not end with ';'")
                    }
                    index += 1
                    if !entry.isEmpty { try add(entry, legacy: word == "trusted-keys", to: &store) }
                }
                index += 1  // the closing brace
            } else {
                index += 1
            }
        }
        guard !store.isEmpty else { throw TrustAnchorError(.noAnchors, "no trust-anchors, managed-keys or trusted-keys entries") }
        return Array(store.anchors.values)
    }

    private static func add(_ entry: [Token], legacy: Bool, to store: inout TrustAnchorStore) throws(TrustAnchorError) {
        let line = entry[0].line
        let zone: Name
        do {
            zone = try Name(presentation: entry[0].text, origin: .root)
        } catch {
            throw TrustAnchorError(.badValue, "line \(line): bad name '\(entry[0].text)': \(error)")
        }
        var fields = Array(entry.dropFirst())
        var kind = "static-key"
        if !legacy {
            guard let first = fields.first else { throw TrustAnchorError(.badSyntax, "line \(line): missing anchor type") }
            kind = first.text
            fields.removeFirst()
        }
        guard fields.count >= 4 else {
            throw TrustAnchorError(.badSyntax, "line \(line): \(kind) needs three numbers and a quoted value")
        }
        func number(_ token: Token, max: Int) throws(TrustAnchorError) -> Int {
            guard let value = Int(token.text), value >= 0, value <= max else {
                throw TrustAnchorError(.badValue, "line \(token.line): '\(token.text)' is not a number 0...\(max)")
            }
            return value
        }
        let data = fields[3...].map(\.text).joined().filter { !$0.isWhitespace }
        switch kind {
        case "initial-key", "static-key":
            let flags = try number(fields[0], max: 65535)
            let proto = try number(fields[1], max: 255)
            let algorithm = try number(fields[2], max: 255)
            guard let key = BinaryText.decodeBase64(Array(data.utf8)) else {
                throw TrustAnchorError(.badValue, "line \(line): the key is not base64")
            }
            store.add(TrustAnchor(zone: zone, dnskeys: [DNSKEY(
                flags: UInt16(flags), protocolValue: UInt8(proto), algorithm: DNSWire.DNSSECAlgorithm(UInt8(algorithm)),
                publicKey: key)]))
        case "initial-ds", "static-ds":
            let tag = try number(fields[0], max: 65535)
            let algorithm = try number(fields[1], max: 255)
            let digestType = try number(fields[2], max: 255)
            guard let digest = BinaryText.decodeHex(data) else {
                throw TrustAnchorError(.badValue, "line \(line): the digest is not hex")
            }
            store.add(TrustAnchor(zone: zone, ds: [DS(
                keyTag: UInt16(tag), algorithm: DNSWire.DNSSECAlgorithm(UInt8(algorithm)),
                digestType: DigestType(UInt8(digestType)), digest: digest)]))
        default:
            throw TrustAnchorError(.badSyntax, "line \(line): unknown anchor type '\(kind)'")
        }
    }

    struct Token {
        var text: String
        var quoted: Bool
        var line: Int
    }

    /// Splits named.conf text into words, quoted strings and the punctuation `{ } ;`.
    static func tokenize(_ text: String) throws(TrustAnchorError) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        var word = ""
        func flush() {
            if !word.isEmpty { tokens.append(Token(text: word, quoted: false, line: line)) }
            word = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { flush(); line += 1; i += 1; continue }
            if c == " " || c == "\t" || c == "\r" { flush(); i += 1; continue }
            if c == "#" || (c == "/" && i + 1 < chars.count && chars[i + 1] == "/") {
                flush()
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
                flush()
                i += 2
                while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                guard i + 1 < chars.count else { throw TrustAnchorError(.badSyntax, "unterminated /* comment") }
                i += 2
                continue
            }
            if c == "\"" {
                flush()
                let startLine = line
                var value = ""
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    if chars[i] == "\n" { line += 1 }
                    value.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw TrustAnchorError(.badSyntax, "line \(startLine): unterminated string") }
                i += 1
                tokens.append(Token(text: value, quoted: true, line: startLine))
                continue
            }
            if c == "{" || c == "}" || c == ";" {
                flush()
                tokens.append(Token(text: String(c), quoted: false, line: line))
                i += 1
                continue
            }
            word.unicodeScalars.append(c)
            i += 1
        }
        flush()
        return tokens
    }
}
