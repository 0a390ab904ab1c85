internal import COpenSSL
internal import CShims
import DNSWire
import Foundation

/// BIND's key files, so keys move between danezone and dnssec-keygen / dnssec-signzone:
/// `K<zone>+<alg>+<tag>.private` ("Private-key-format: v1.3": one `Name: value` line per
/// field, numbers and keys in base64) and `K<zone>+<alg>+<tag>.key` (the DNSKEY record).
public enum BINDKeyFiles {
    /// The file name stem BIND uses: `K<zone>+<algorithm, 3 digits>+<key tag, 5 digits>`.
    /// `zone` is the zone's name in presentation form with its final dot ("example.com.").
    public static func fileNameStem(zone: String, algorithm: DNSSECAlgorithm, keyTag: UInt16) -> String {
        let alg = String(algorithm.rawValue)
        let tag = String(keyTag)
        return "K" + zone.lowercased() + "+" + String(repeating: "0", count: max(0, 3 - alg.count)) + alg
            + "+" + String(repeating: "0", count: max(0, 5 - tag.count)) + tag
    }

    /// DNSKEY RDATA for `key` with `flags` (256 for a zone-signing key, 257 with the SEP bit
    /// for a key-signing key; RFC 4034 §2.1.1).
    public static func dnskeyRDATA(flags: UInt16, key: DNSSECPrivateKey) -> [UInt8] {
        [UInt8(flags >> 8), UInt8(flags & 0xff), 3, key.algorithm.rawValue] + key.publicKeyField
    }

    /// The `.key` file: comments, then the DNSKEY record in zone-file form.
    public static func publicKeyFile(zone: String, flags: UInt16, key: DNSSECPrivateKey) -> String {
        let tag = KeyTag.of(dnskeyRDATA: dnskeyRDATA(flags: flags, key: key))
        let role = flags & 1 == 1 ? "key-signing" : "zone-signing"
        return "; This is a \(role) key, keyid \(tag), for \(zone)\n"
            + "\(zone) IN DNSKEY \(flags) 3 \(key.algorithm.rawValue) \(Data(key.publicKeyField).base64EncodedString())\n"
    }

    /// The `.private` file for `key`. `created` (seconds since 1970, UTC) fills the Created,
    /// Publish and Activate lines that dnssec-keygen writes; nil leaves them out.
    public static func privateKeyFile(_ key: DNSSECPrivateKey, created: Int64? = nil) throws(CryptographyError)
        -> String
    {
        var lines = [
            "Private-key-format: v1.3",
            "Algorithm: \(key.algorithm.rawValue) (\(key.algorithm.mnemonic))",
        ]
        func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
        switch key.scheme {
        case .rsa:
            for (label, parameter) in rsaFields {
                guard let value = key.key.bigNumberParameter(parameter) else {
                    throw CryptographyError.openSSL(.encodingFailed, "the RSA key has no \(label)")
                }
                lines.append("\(label): \(base64(value))")
            }
        case .ecdsa(let curve):
            guard let scalar = key.key.bigNumberParameter("priv", paddedTo: curve.coordinateSize) else {
                throw CryptographyError.openSSL(.encodingFailed, "cannot read the EC private key")
            }
            lines.append("PrivateKey: \(base64(scalar))")
        case .eddsa(let curve):
            var raw = [UInt8](repeating: 0, count: curve.privateKeySize)
            var length = raw.count
            guard EVP_PKEY_get_raw_private_key(key.key.pointer, &raw, &length) == 1, length == raw.count else {
                throw CryptographyError.openSSL(.encodingFailed, "cannot read the raw \(curve.keyType) private key")
            }
            lines.append("PrivateKey: \(base64(raw))")
        }
        if let created {
            let stamp = timestamp(created)
            lines += ["Created: \(stamp)", "Publish: \(stamp)", "Activate: \(stamp)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a `.private` file (format v1.x). Timing lines and unknown fields are ignored.
    public static func readPrivateKeyFile(_ text: String) throws(CryptographyError) -> DNSSECPrivateKey {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields[name] = value
        }
        guard let version = fields["Private-key-format"], version.hasPrefix("v1.") else {
            throw CryptographyError(.malformedPrivateKey, "not a BIND private key file (format v1.x)")
        }
        guard let algorithmText = fields["Algorithm"]?.split(separator: " ").first,
            let number = UInt8(algorithmText)
        else {
            throw CryptographyError(.malformedPrivateKey, "missing or bad Algorithm line")
        }
        let algorithm = DNSSECAlgorithm(rawValue: number)
        guard algorithm.isSupportedForSigning, let scheme = algorithm.signatureScheme else {
            throw CryptographyError(.unsupportedAlgorithm, "signing with \(algorithm) is not supported")
        }
        func field(_ name: String) throws(CryptographyError) -> [UInt8] {
            guard let value = fields[name], let data = Data(base64Encoded: value), !data.isEmpty else {
                throw CryptographyError(.malformedPrivateKey, "missing or bad \(name) line")
            }
            return Array(data)
        }
        let pointer: OpaquePointer?
        switch scheme {
        case .rsa:
            var components: [[UInt8]] = []
            for (label, _) in rsaFields { components.append(try field(label)) }
            pointer = withRSAComponents(components)
        case .ecdsa(let curve):
            var scalar = try field("PrivateKey")
            // BIND writes the scalar as a minimal big-endian integer: one key in 256 starts with
            // a zero octet that is left out (a 31-octet P-256 key). Put the leading zeros back.
            guard !scalar.isEmpty, scalar.count <= curve.coordinateSize else {
                throw CryptographyError(
                    .malformedPrivateKey, "EC private key is \(scalar.count) octets, not \(curve.coordinateSize)")
            }
            scalar = [UInt8](repeating: 0, count: curve.coordinateSize - scalar.count) + scalar
            pointer = scalar.withUnsafeBufferPointer {
                CShims_ec_private_key(curve.groupName, $0.baseAddress, $0.count)
            }
        case .eddsa(let curve):
            let raw = try field("PrivateKey")
            guard raw.count == curve.privateKeySize else {
                throw CryptographyError(
                    .malformedPrivateKey,
                    "\(curve.keyType) private key is \(raw.count) octets, not \(curve.privateKeySize)")
            }
            pointer = raw.withUnsafeBufferPointer {
                EVP_PKEY_new_raw_private_key_ex(nil, curve.keyType, nil, $0.baseAddress, $0.count)
            }
        }
        guard let pointer else {
            throw CryptographyError.openSSL(.malformedPrivateKey, "OpenSSL refused the \(algorithm) private key")
        }
        let key = try DNSSECPrivateKey(algorithm: algorithm, key: OpenSSLKey(takingOwnership: pointer))
        // OpenSSL does not check that the RSA numbers belong together (n = p q, ...); a key
        // that cannot verify its own signature would sign a zone nobody can validate.
        if case .rsa = scheme {
            let probe = Array("BIND private key self-check".utf8)
            guard key.publicKey.verify(signature: try key.sign(probe), signedData: probe) else {
                throw CryptographyError(.malformedPrivateKey, "the RSA numbers of the file do not form one key")
            }
        }
        return key
    }

    /// BIND's RSA field names with OpenSSL's parameter names, in CShims_rsa_private_key order.
    private static let rsaFields: [(String, String)] = [
        ("Modulus", "n"), ("PublicExponent", "e"), ("PrivateExponent", "d"),
        ("Prime1", "rsa-factor1"), ("Prime2", "rsa-factor2"),
        ("Exponent1", "rsa-exponent1"), ("Exponent2", "rsa-exponent2"),
        ("Coefficient", "rsa-coefficient1"),
    ]

    /// Calls the C builder with pointers that stay valid for the whole call.
    private static func withRSAComponents(_ components: [[UInt8]]) -> OpaquePointer? {
        precondition(components.count == 8)  // rsaFields has eight entries
        let buffers = components.map { bytes -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = buffer.initialize(from: bytes)
            return buffer
        }
        defer {
            for buffer in buffers {
                buffer.update(repeating: 0)  // private numbers do not linger on the heap
                buffer.deallocate()
            }
        }
        let pointers: [UnsafePointer<UInt8>?] = buffers.map { UnsafePointer($0.baseAddress) }
        let lengths = components.map(\.count)
        return pointers.withUnsafeBufferPointer { p in
            lengths.withUnsafeBufferPointer { l in CShims_rsa_private_key(p.baseAddress, l.baseAddress) }
        }
    }

    /// YYYYMMDDHHmmSS in UTC for seconds since 1970, as BIND writes key times.
    static func timestamp(_ seconds: Int64) -> String {
        DNSSECTime.timestamp(seconds)
    }
}
