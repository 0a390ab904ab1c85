/// The message round-trip oracle (as in Tests/Fuzz/dns-message, usable from unit tests):
/// decode; when that succeeds, encode, decode again and require the same message and the
/// same bytes on a second encoding. Bad input must only ever
/// give an error; a mismatch or a crash here is a bug, so it traps on purpose.
public enum MessageFuzzing {
    public static func roundTrip(_ bytes: [UInt8]) {
        guard let message = try? Message(bytes: bytes) else { return }
        let encoded: [UInt8]
        do {
            encoded = try message.encode()
        } catch {
            preconditionFailure("a decoded message failed to encode: \(error)")
        }
        let again: Message
        do {
            again = try Message(bytes: encoded)
        } catch {
            preconditionFailure("a re-encoded message failed to decode: \(error)")
        }
        // Re-encoding may only differ when it had to truncate at 65535 octets (compression
        // of names our encoder may not point at can make the output longer than the input).
        if again.header.isTruncated && !message.header.isTruncated { return }
        precondition(again == message, "decode(encode(m)) != m")
        precondition((try? again.encode()) == encoded, "encoding is not stable")
    }
}
