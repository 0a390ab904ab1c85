import DNSWire

/// The oracle of the `tlsa-text` fuzz target (Tests/Fuzz/tlsa-text), also run over its corpus by
/// Tests/FuzzTests. `scripts/fuzz tlsa-text` compiles this file with Sources/DNSWire into one
/// module (the import is then ignored).
///
/// The input is TLSA RDATA in presentation form (RFC 6698 §2.2, "3 1 1 hex", also the RFC 7218
/// mnemonics and the RFC 3597 `\# length hex` form), cut into tokens at spaces and tabs. The
/// parser may refuse it; a TLSA it accepts writes itself back as text that parses to the same
/// record, and as wire RDATA that decodes to the same record.
public enum TLSAPresentationOracle {
    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        let tokens = bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
            .map { PresentationToken(text: Array($0)) }
        let parsed: any RDATA
        do {
            parsed = try RDATARegistry.parse(type: .tlsa, tokens: tokens, origin: nil)
        } catch {
            return
        }
        guard let record = parsed as? TLSA else { throw FuzzOracleViolation("TLSA text gave \(type(of: parsed))") }
        let text = record.presentation
        let again: any RDATA
        do {
            again = try RDATARegistry.parse(
                type: .tlsa, tokens: text.split(separator: " ").map { PresentationToken(String($0)) }, origin: nil)
        } catch {
            throw FuzzOracleViolation("its presentation \(text.debugDescription) does not parse: \(error)")
        }
        guard (again as? TLSA) == record else { throw FuzzOracleViolation("\(text.debugDescription) parses differently") }
        var writer = DNSWriter()
        let decoded: any RDATA
        do {
            try record.write(to: &writer)
            decoded = try RDATARegistry.decode(type: .tlsa, rdata: writer.bytes)
        } catch {
            throw FuzzOracleViolation("its wire form does not decode: \(error)")
        }
        guard (decoded as? TLSA) == record else { throw FuzzOracleViolation("its wire form decodes differently") }
    }
}
