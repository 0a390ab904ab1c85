import DNSWire

/// The oracle of the dns-message fuzz target: decoding arbitrary bytes either fails with an
/// error, or gives a message that encodes, decodes again to an equal message, and encodes again
/// to the same bytes.
///
/// `scripts/fuzz dns-message` compiles this file into the DNSWire module itself (the import is
/// then ignored); the tests use it through the FuzzOracles target.
public enum DNSMessageOracle {
    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        guard let message = try? Message(bytes: bytes) else { return }
        let encoded: [UInt8]
        do {
            encoded = try message.encode()
        } catch {
            throw FuzzOracleViolation("a decoded message failed to encode: \(error)")
        }
        let again: Message
        do {
            again = try Message(bytes: encoded)
        } catch {
            throw FuzzOracleViolation("a re-encoded message failed to decode: \(error)")
        }
        // Re-encoding may only differ when it had to truncate at 65535 octets (compression
        // of names our encoder may not point at can make the output longer than the input).
        if again.header.isTruncated && !message.header.isTruncated { return }
        guard again == message else { throw FuzzOracleViolation("decode(encode(m)) != m") }
        guard (try? again.encode()) == encoded else { throw FuzzOracleViolation("encoding is not stable") }
    }
}
