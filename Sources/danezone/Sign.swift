import ArgumentParser
import DNSSEC
import DNSWire
import Foundation

/// `danezone sign`: signs a zone file offline with NSEC or NSEC3.
struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a zone: DNSKEYs, NSEC or NSEC3 chain, RRSIGs; output in canonical order.")

    @Option(help: "The zone file to sign.")
    var zone: String

    @Option(help: "The zone's origin (default: the owner of its SOA).")
    var origin: String?

    @Option(help: "A key: its K* stem or .key/.private path. Repeat for several.")
    var key: [String] = []

    @Flag(help: "Use NSEC3 instead of NSEC.")
    var nsec3 = false

    @Option(help: "NSEC3 salt in hex, or - for none.")
    var salt: String = "-"

    @Option(help: "NSEC3 extra iterations (RFC 9276: 0).")
    var iterations: UInt16 = 0

    @Flag(name: .customLong("opt-out"), help: "NSEC3 Opt-Out for insecure delegations.")
    var optOut = false

    @Option(help: "Signature inception, YYYYMMDDHHmmSS or seconds (default: an hour ago).")
    var inception: String?

    @Option(help: "Signature expiration, YYYYMMDDHHmmSS or seconds (default: in 30 days).")
    var expiration: String?

    @Option(help: "Where to write the signed zone (default: ZONE.signed; - for stdout).")
    var output: String?

    func run() throws {
        guard !key.isEmpty else { throw ValidationError("give at least one --key") }
        let originName = try origin.map { try Name(presentation: $0.hasSuffix(".") ? $0 : $0 + ".") }
        let records = try ZoneFileParser.load(path: zone, options: .init(origin: originName))
        guard let zoneOrigin = originName ?? records.first(where: { $0.type == .soa })?.owner else {
            throw ValidationError("no --origin and no SOA in \(zone)")
        }
        let keys = try key.map { try readSigningKey($0).key }
        let now = UInt32(truncatingIfNeeded: Int64(Date().timeIntervalSince1970))
        let options = ZoneSigningOptions(
            inception: try time(inception, default: now &- 3600),
            expiration: try time(expiration, default: now &+ 30 * 86_400),
            denial: nsec3 ? .nsec3(NSEC3Parameters(salt: try saltBytes(), iterations: iterations, optOut: optOut)) : .nsec)
        let signed = try ZoneSigner.sign(records: records, origin: zoneOrigin, keys: keys, options: options)
        let text = try ZoneFileWriter.write(signed)
        let destination = output ?? zone + ".signed"
        if destination == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            try text.write(toFile: destination, atomically: true, encoding: .utf8)
        }
    }

    private func time(_ text: String?, default value: UInt32) throws -> UInt32 {
        guard let text else { return value }
        guard let parsed = DNSSECTime.parse(Array(text.utf8)) else {
            throw ValidationError("bad time '\(text)': use YYYYMMDDHHmmSS or seconds since 1970")
        }
        return parsed
    }

    private func saltBytes() throws -> [UInt8] {
        if salt == "-" || salt.isEmpty { return [] }
        guard let bytes = BinaryText.decodeHex(salt), bytes.count <= 255 else {
            throw ValidationError("bad salt '\(salt)': hex of at most 255 octets, or -")
        }
        return bytes
    }
}
