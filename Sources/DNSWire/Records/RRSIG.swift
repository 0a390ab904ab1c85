/// RRSIG (RFC 4034 §3.1): a signature over one RRset.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |        Type Covered           |  Algorithm    |     Labels    |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         Original TTL                          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      Signature Expiration                     |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      Signature Inception                      |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |            Key Tag            |                               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+         Signer's Name         /
///     /                                                               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                            Signature                          /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// The signer's name is never compressed (RFC 4034 §3.1.7) and is lower-cased in canonical
/// form (RFC 6840 §5.1). Times print as `YYYYMMDDHHmmSS` (§3.2).
public struct RRSIG: KnownRDATA {
    public static let rrType = RRType.rrsig
    public var typeCovered: RRType
    public var algorithm: DNSSECAlgorithm
    public var labels: UInt8
    public var originalTTL: UInt32
    /// Seconds since 1970 modulo 2^32; compare with serial arithmetic (RFC 4034 §3.1.5).
    public var expiration: UInt32
    public var inception: UInt32
    public var keyTag: UInt16
    public var signerName: Name
    public var signature: [UInt8]

    public init(typeCovered: RRType, algorithm: DNSSECAlgorithm, labels: UInt8, originalTTL: UInt32,
                expiration: UInt32, inception: UInt32, keyTag: UInt16, signerName: Name, signature: [UInt8]) {
        self.typeCovered = typeCovered
        self.algorithm = algorithm
        self.labels = labels
        self.originalTTL = originalTTL
        self.expiration = expiration
        self.inception = inception
        self.keyTag = keyTag
        self.signerName = signerName
        self.signature = signature
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        typeCovered = RRType(try reader.readUInt16())
        algorithm = DNSSECAlgorithm(try reader.readUInt8())
        labels = try reader.readUInt8()
        originalTTL = try reader.readUInt32()
        expiration = try reader.readUInt32()
        inception = try reader.readUInt32()
        keyTag = try reader.readUInt16()
        signerName = try reader.readName()
        signature = try reader.readRemaining()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        typeCovered = try reader.rrType("type covered")
        algorithm = try reader.algorithm("algorithm")
        labels = try reader.uint8("labels")
        originalTTL = try reader.uint32("original TTL")
        expiration = try reader.signatureTime("signature expiration")
        inception = try reader.signatureTime("signature inception")
        keyTag = try reader.uint16("key tag")
        signerName = try reader.name("signer's name")
        signature = try reader.remainingBase64("signature", allowEmpty: true)
    }

    /// The RDATA before the signature with the signer's name in canonical form: the first
    /// part of the data a signature covers (RFC 4034 §3.1.8.1).
    public func signedPrefix() -> [UInt8] {
        var writer = DNSWriter(canonical: true, capacity: 18 + signerName.wire.count)
        writeFields(to: &writer)
        return writer.bytes
    }

    private func writeFields(to writer: inout DNSWriter) {
        writer.writeUInt16(typeCovered.rawValue)
        writer.writeUInt8(algorithm.rawValue)
        writer.writeUInt8(labels)
        writer.writeUInt32(originalTTL)
        writer.writeUInt32(expiration)
        writer.writeUInt32(inception)
        writer.writeUInt16(keyTag)
        writer.writeName(signerName, compressible: false, lowercaseWhenCanonical: true)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writeFields(to: &writer)
        writer.writeBytes(signature)
    }

    public var presentation: String {
        "\(typeCovered.mnemonic) \(algorithm.rawValue) \(labels) \(originalTTL) "
            + "\(DNSSECTime.format(expiration)) \(DNSSECTime.format(inception)) \(keyTag) "
            + "\(signerName.presentation) \(BinaryText.base64(signature))"
    }
}

extension PresentationReader {
    mutating func signatureTime(_ what: String) throws(DNSWireError) -> UInt32 {
        let token = try next(what)
        guard let value = DNSSECTime.parse(token.text) else {
            throw error(.badSyntax, "\(what) must be YYYYMMDDHHmmSS or seconds", at: token)
        }
        return value
    }
}
