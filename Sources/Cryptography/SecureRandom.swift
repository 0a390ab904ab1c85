internal import COpenSSL

/// Unpredictable numbers from OpenSSL's CSPRNG (RAND_bytes), for DNS query IDs and source ports
/// (RFC 5452 §9.2; DESIGN.md rule 10).
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        var out = [UInt8](repeating: 0, count: count)
        fill(&out)
        return out
    }

    /// A random 16-bit number (a DNS message ID).
    public static func uint16() -> UInt16 {
        let b = bytes(2)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    /// A random 32-bit number.
    public static func uint32() -> UInt32 {
        bytes(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Overwrites `buffer` with random bytes.
    public static func fill(_ buffer: inout [UInt8]) {
        guard !buffer.isEmpty else { return }
        precondition(buffer.count <= Int(Int32.max), "random request too large")
        let status = buffer.withUnsafeMutableBufferPointer {
            RAND_bytes($0.baseAddress, Int32($0.count))
        }
        // A CSPRNG that cannot produce bytes must stop the program: predictable query IDs
        // would open the resolver to spoofing, which is worse than stopping.
        precondition(status == 1, "RAND_bytes failed")
    }
}
