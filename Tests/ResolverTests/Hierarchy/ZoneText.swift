/// Zone-file text for the test hierarchy, and the edits that break signatures on purpose.
enum ZoneText {
    /// An SOA and an NS at the apex (`ns1.test.` serves every zone but the root), then `body`.
    static func zone(_ origin: String, _ body: [String], nameServer: String = "ns1.test.") -> String {
        (["$TTL 3600", "$ORIGIN \(origin)", "@ SOA \(nameServer) admin.test. 1 3600 600 86400 300", "@ NS \(nameServer)"] + body)
            .joined(separator: "\n") + "\n"
    }

    /// The fields of a one-record-per-line zone file line (as ldns-signzone writes it):
    /// owner, TTL, class, type, RDATA fields. Nil for comments and blank lines.
    static func fields(_ line: Substring) -> [Substring]? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard !trimmed.isEmpty, !trimmed.hasPrefix(";") else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// True when `line` is the RRSIG over `owner`/`covered`.
    static func isSignature(_ line: Substring, owner: String, covered: String) -> Bool {
        guard let fields = fields(line), fields.count > 5 else { return false }
        return fields[0].lowercased() == owner.lowercased() && fields[3] == "RRSIG" && fields[4] == covered
    }

    /// The RRSIG line over `owner`/`covered` in a signed zone, or nil.
    static func signatureLine(in signed: String, owner: String, covered: String) -> String? {
        signed.split(separator: "\n").first { isSignature($0, owner: owner, covered: covered) }.map(String.init)
    }

    /// `signed` with the RRSIG over `owner`/`covered` replaced by `replacement`.
    static func replacingSignature(in signed: String, owner: String, covered: String, with replacement: String) -> String {
        signed.split(separator: "\n", omittingEmptySubsequences: false)
            .map { isSignature($0, owner: owner, covered: covered) ? replacement : String($0) }
            .joined(separator: "\n")
    }

    /// The RRSIG line with one base64 character of its signature changed: the same key tag and
    /// validity window, a signature that no longer verifies.
    static func tampered(_ signatureLine: String) -> String {
        var fields = signatureLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard var last = fields.popLast(), let first = last.first else { return signatureLine }
        last.replaceSubrange(last.startIndex...last.startIndex, with: first == "A" ? "B" : "A")
        return (fields + [last]).joined(separator: " ")
    }
}
