import DNSWire

/// Trust anchors in zone-file form, as Unbound's `root.key` (`auto-trust-anchor-file`,
/// `trust-anchor-file`) and Debian's `/usr/share/dns/root.key` and `root.ds` hold them: DS or
/// DNSKEY records, one per line, with `;` comments. Read with DNSWire's zone-file parser.
public enum ZoneFileTrustAnchors {
    /// The anchors in `text`. Records without a TTL get 3600; relative names are relative to
    /// the root. Other record types are ignored.
    public static func parse(_ text: String, fileName: String = "<trust anchors>") throws(TrustAnchorError) -> [TrustAnchor] {
        let records: [Record]
        do {
            records = try ZoneFileParser.parse(
                text, fileName: fileName, options: ZoneFileParser.Options(origin: .root, defaultTTL: 3600))
        } catch {
            throw TrustAnchorError(.badZoneFile, "\(error)")
        }
        var store = TrustAnchorStore()
        store.add(records: records)
        guard !store.isEmpty else {
            throw TrustAnchorError(.noAnchors, "\(fileName) holds no DS or DNSKEY record")
        }
        return Array(store.anchors.values)
    }
}
