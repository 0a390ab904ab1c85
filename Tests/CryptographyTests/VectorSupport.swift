import Foundation
import TestSupport

/// Helpers that turn the JSON vectors' presentation text into the bytes the Cryptography API
/// takes. Deliberately tiny: the DNS wire module owns real parsing.
enum VectorSupport {
    /// Decodes a JSON vector file under Tests/Vectors.
    static func load<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath(relativePath)))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Base64 (white space allowed between groups, as zone files write it).
    static func base64(_ text: some StringProtocol) throws -> [UInt8] {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(compact)) else {
            throw VectorError("bad base64: \(text)")
        }
        return Array(data)
    }

    /// Hex from the vectors.
    static func hex(_ text: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { throw VectorError("odd hex") }
        while !chars.isEmpty {
            guard let byte = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) else {
                throw VectorError("bad hex")
            }
            out.append(byte)
            chars.removeFirst(2)
        }
        return out
    }

    /// DNSKEY RDATA from presentation fields "flags protocol algorithm base64...".
    static func dnskeyRDATA(presentation: String) throws -> [UInt8] {
        let fields = presentation.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 4, let flags = UInt16(fields[0]), let proto = UInt8(fields[1]),
            let algorithm = UInt8(fields[2])
        else { throw VectorError("bad DNSKEY: \(presentation)") }
        let key = try base64(fields[3...].joined())
        return [UInt8(flags >> 8), UInt8(flags & 0xff), proto, algorithm] + key
    }

    /// The DNSKEY RDATA of every DNSKEY line in a zone-file style RRset text.
    static func dnskeys(inRRsetText text: String) throws -> [[UInt8]] {
        try text.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count > 8, fields[3] == "DNSKEY" else { return nil }
            return try dnskeyRDATA(presentation: fields[4...].joined(separator: " "))
        }
    }

    /// The signature field of an RRSIG in presentation form (after the signer name).
    /// `rrsigFields` starts with the type covered: "A 8 3 3600 exp inc tag signer sig...".
    static func rrsigSignature(_ rrsigFields: String) throws -> [UInt8] {
        let fields = rrsigFields.split(whereSeparator: \.isWhitespace)
        guard fields.count > 8 else { throw VectorError("bad RRSIG: \(rrsigFields)") }
        return try base64(fields[8...].joined())
    }

    /// A domain name in canonical (lower-case, uncompressed) wire form.
    static func canonicalNameWire(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in name.lowercased().split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        out.append(0)
        return out
    }

    /// A copy of `bytes` with one bit flipped.
    static func flippingBit(_ bytes: [UInt8], at byteIndex: Int, bit: Int = 0) -> [UInt8] {
        var copy = bytes
        copy[byteIndex] ^= UInt8(1 << bit)
        return copy
    }
}

struct VectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
