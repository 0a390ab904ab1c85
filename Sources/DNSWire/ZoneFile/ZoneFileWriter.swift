/// Prints records as a master file (RFC 1035 §5) that ``ZoneFileParser`` and other tools read
/// back to the same RRsets.
///
/// Every line is complete and absolute: `owner TTL CLASS TYPE RDATA`, with the owner and every
/// name fully qualified, so the output needs no `$ORIGIN` or `$TTL` and does not depend on line
/// order. The records are grouped into RRsets first (``RRset/group(_:)``: duplicates removed,
/// each set printed with one TTL, the lowest, RFC 2181 §5.2) and printed in
/// ``CanonicalZoneOrder`` (SOA first).
public enum ZoneFileWriter {
    /// The zone text for `records`.
    public static func write(_ records: [Record]) throws(DNSWireError) -> String {
        try write(RRset.group(records))
    }

    /// The zone text for `rrsets`.
    public static func write(_ rrsets: [RRset]) throws(DNSWireError) -> String {
        var text = ""
        for rrset in try CanonicalZoneOrder.sorted(rrsets) {
            for record in rrset.records {
                text += record.presentation
                text += "\n"
            }
        }
        return text
    }
}
