/// NSEC3 (RFC 5155 §3.2): hashed authenticated denial of existence.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |   Hash Alg.   |     Flags     |          Iterations           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Salt Length  |                     Salt                      /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Hash Length  |             Next Hashed Owner Name            /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                         Type Bit Maps                         /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Presentation (§3.3): salt in hex or `-` when empty; next hashed owner in unpadded
/// base32hex; then the type mnemonics. Flags bit 0 (value 1) is Opt-Out.
public struct NSEC3: KnownRDATA {
    public static let rrType = RRType.nsec3
    public var hashAlgorithm: UInt8
    public var flags: UInt8
    public var iterations: UInt16
    public var salt: [UInt8]
    public var nextHashedOwner: [UInt8]
    public var types: TypeBitmap

    public var isOptOut: Bool { flags & 1 != 0 }

    public init(hashAlgorithm: UInt8 = 1, flags: UInt8, iterations: UInt16, salt: [UInt8],
                nextHashedOwner: [UInt8], types: TypeBitmap) {
        self.hashAlgorithm = hashAlgorithm
        self.flags = flags
        self.iterations = iterations
        self.salt = salt
        self.nextHashedOwner = nextHashedOwner
        self.types = types
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        hashAlgorithm = try reader.readUInt8()
        flags = try reader.readUInt8()
        iterations = try reader.readUInt16()
        salt = try reader.readCharacterString()
        nextHashedOwner = try reader.readCharacterString()
        guard !nextHashedOwner.isEmpty else {
            throw reader.error(.badRDATA, "NSEC3 next hashed owner name is empty")
        }
        types = try TypeBitmap(from: &reader)
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        hashAlgorithm = try reader.uint8("hash algorithm")
        flags = try reader.uint8("flags")
        iterations = try reader.uint16("iterations")
        salt = try reader.salt()
        let token = try reader.next("next hashed owner name")
        guard let hash = BinaryText.decodeBase32Hex(token.text), !hash.isEmpty, hash.count <= 255 else {
            throw reader.error(.badEncoding, "next hashed owner name is not base32hex", at: token)
        }
        nextHashedOwner = hash
        types = try TypeBitmap(presentation: &reader)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt8(hashAlgorithm)
        writer.writeUInt8(flags)
        writer.writeUInt16(iterations)
        try writer.writeCharacterString(salt)
        try writer.writeCharacterString(nextHashedOwner)
        types.write(to: &writer)
    }

    public var presentation: String {
        var text = "\(hashAlgorithm) \(flags) \(iterations) \(saltPresentation(salt)) \(BinaryText.base32Hex(nextHashedOwner))"
        let list = types.presentation
        if !list.isEmpty { text += " " + list }
        return text
    }
}

/// `-` for an empty salt, else hex (RFC 5155 §3.3).
func saltPresentation(_ salt: [UInt8]) -> String {
    salt.isEmpty ? "-" : BinaryText.hex(salt).uppercased()
}

extension PresentationReader {
    /// An NSEC3 salt: `-` or 1...255 octets of hex.
    mutating func salt() throws(DNSWireError) -> [UInt8] {
        let token = try next("salt")
        if token.text == [0x2D] { return [] }
        guard let salt = BinaryText.decodeHex(token.text), !salt.isEmpty, salt.count <= 255 else {
            throw error(.badEncoding, "salt must be \"-\" or hex of at most 255 octets", at: token)
        }
        return salt
    }
}
