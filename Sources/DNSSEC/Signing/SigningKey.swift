import Cryptography
import DNSWire

/// A private key with the DNSKEY flags it is published with: 257 (Zone Key + Secure Entry
/// Point) for a key-signing key, 256 for a zone-signing key (RFC 4034 §2.1.1).
public struct SigningKey: Sendable {
    public let privateKey: DNSSECPrivateKey
    public let flags: UInt16
    /// The key tag of the DNSKEY (RFC 4034 App. B), computed once.
    public let keyTag: UInt16

    public static let zoneSigningFlags: UInt16 = 256
    public static let keySigningFlags: UInt16 = 257

    public init(privateKey: DNSSECPrivateKey, flags: UInt16) {
        self.privateKey = privateKey
        self.flags = flags
        self.keyTag = KeyTag.of(dnskeyRDATA: BINDKeyFiles.dnskeyRDATA(flags: flags, key: privateKey))
    }

    /// True when the key has the SEP flag: it signs the DNSKEY set and is what the parent's DS
    /// points at.
    public var isKeySigningKey: Bool { flags & 1 != 0 }

    /// The algorithm as the DNS wire layer numbers it.
    public var algorithm: DNSSECAlgorithm { privateKey.algorithm }

    /// The DNSKEY RDATA of the key.
    public var dnskey: DNSKEY {
        DNSKEY(flags: flags, protocolValue: 3, algorithm: algorithm, publicKey: privateKey.publicKeyField)
    }

    /// A key from BIND's two files: the `.key` text (its DNSKEY record gives the flags and the
    /// zone) and the `.private` text. Returns the key and the zone named in the `.key` file.
    public static func fromBINDFiles(publicKeyText: String, privateKeyText: String) throws(ZoneSigningError)
        -> (key: SigningKey, zone: Name)
    {
        var parser = ZoneFileParser(
            text: Array(publicKeyText.utf8), fileName: "key file", options: .init(defaultTTL: 3600))
        let records: [Record]
        do {
            records = try parser.records()
        } catch {
            throw ZoneSigningError(.badKey, "bad .key file: \(error)")
        }
        guard let record = records.first(where: { $0.type == .dnskey }), let dnskey = record.rdata as? DNSKEY else {
            throw ZoneSigningError(.badKey, "the .key file has no DNSKEY record")
        }
        let privateKey: DNSSECPrivateKey
        do {
            privateKey = try BINDKeyFiles.readPrivateKeyFile(privateKeyText)
        } catch {
            throw ZoneSigningError(.badKey, "bad .private file: \(error)")
        }
        guard privateKey.publicKeyField == dnskey.publicKey, privateKey.algorithm.rawValue == dnskey.algorithm.rawValue
        else {
            throw ZoneSigningError(.badKey, "the .key and .private files hold different keys")
        }
        return (SigningKey(privateKey: privateKey, flags: dnskey.flags), record.owner)
    }
}
