import ArgumentParser
import DNSSEC
import DNSWire

/// `danezone ds`: the DS records of the keys in a `.key` file, for the parent zone.
struct DSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ds", abstract: "Print the DS record(s) of the DNSKEY(s) in a .key file.")

    @Option(help: "Digest type: 2 (SHA-256), 4 (SHA-384) or 1 (SHA-1). Repeat for several.")
    var digest: [UInt8] = [2]

    @Argument(help: "The .key file (or its K*+*+* stem).")
    var keyFile: String

    func run() throws {
        let path = keyFile.hasSuffix(".key") ? keyFile : keyFile + ".key"
        var parser = ZoneFileParser(text: Array(try readText(path).utf8), fileName: path, options: .init(defaultTTL: 3600))
        let keys = try parser.records().filter { $0.type == .dnskey }
        guard !keys.isEmpty else { throw ValidationError("\(path) holds no DNSKEY record") }
        for record in keys {
            guard let dnskey = record.rdata as? DNSKEY else { continue }
            for type in digest {
                let ds = try DelegationSignerBuilder.ds(owner: record.owner, dnskey: dnskey, digestType: DigestType(type))
                printFlushed("\(record.owner.presentation) IN DS \(ds.presentation)")
            }
        }
    }
}
