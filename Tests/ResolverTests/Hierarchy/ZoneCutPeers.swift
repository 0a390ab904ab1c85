import Foundation
import TestSupport

/// A real hierarchy for CNAME chains across zone cuts and several trust anchors (issue 10),
/// signed by ldns (algorithm 13), served by one knotd on 127.53.X.1 and resolved by Unbound on
/// 127.53.X.2 from root hints, with trust anchors for the root and for every island:
///
///     .              signed; `ns.` (the one server's address) is its own data
///       nsec.        NSEC
///       nsec3.       NSEC3, opt-out
///         child.P.   unsigned, no DS (an insecure delegation)
///         a.b.P.     signed, no DS, a trust anchor of its own (an island of security)
///         c.d.P.     the same, with the RRSIG over its DNSKEY RRset removed
///
/// Each parent P holds `www CNAME www.child.P.`, `top CNAME child.P.`, `far CNAME www.a.b.P.`,
/// `nosig CNAME www.c.d.P.` and `alias DNAME a.b.P.`. Children are killed by PID when the test
/// process exits.
final class ZoneCutPeers: @unchecked Sendable {
    static let parents = ["nsec.", "nsec3."]

    let directory: TemporaryDirectory
    let serverAddress: String
    let resolverAddress: String
    /// The root's and the islands' KSKs in zone-file form (Unbound's trust-anchor-file, ours).
    let anchorFile: String
    private let knot: PeerProcess
    private let unbound: PeerProcess

    static let shared: Result<ZoneCutPeers, any Error> = Result { try ZoneCutPeers() }

    static func get() throws -> ZoneCutPeers { try shared.get() }

    private init() throws {
        _ = try requireProgram("knotd", package: "knot")
        _ = try requireProgram("unbound", package: "unbound")
        _ = try requireProgram("ldns-signzone", package: "ldnsutils")
        _ = try requireProgram("dig", package: "bind9-dnsutils")
        directory = try TemporaryDirectory(prefix: "danegate-i10-zonecuts")
        ProcessLifetimeCleanup.keep(directory)
        let base = try LoopbackAddresses.freeBase(hosts: 2)
        serverAddress = base + ".1"
        resolverAddress = base + ".2"

        var zones: [ZoneSigners.Signed] = []
        var anchors: [String] = []
        var rootBody = ["ns. A \(serverAddress)"]
        for parent in Self.parents {
            let child = "child.\(parent)"
            _ = try directory.write(ZoneSigners.fileName(child), Self.zone(child, ["www A 192.0.2.7"]))
            zones.append(ZoneSigners.Signed(origin: child, fileName: ZoneSigners.fileName(child), dsLines: []))
            for (island, stripped) in [("a.b.\(parent)", false), ("c.d.\(parent)", true)] {
                let (signed, key) = try Self.sign(island, ["www A 192.0.2.20"], stripKeySignatures: stripped, in: directory)
                zones.append(signed)
                anchors.append(key)
            }
            let body = [
                "www CNAME www.child.\(parent)", "top CNAME child.\(parent)", "far CNAME www.a.b.\(parent)",
                "nosig CNAME www.c.d.\(parent)", "alias DNAME a.b.\(parent)", "child NS ns.", "a.b NS ns.", "c.d NS ns.",
            ]
            let (signed, _) = try Self.sign(
                parent, body, options: parent == "nsec3." ? ["-n", "-s", "5a", "-t", "0", "-p"] : [], in: directory)
            zones.append(signed)
            rootBody += ["\(parent) NS ns."] + signed.dsLines
        }
        let (root, rootKey) = try Self.sign(".", rootBody, in: directory)
        zones.append(root)
        anchorFile = try directory.write("anchors.key", ([rootKey] + anchors).joined(separator: "\n") + "\n")

        let knotDirectory = directory.file("knot")
        try FileManager.default.createDirectory(atPath: knotDirectory, withIntermediateDirectories: true)
        let knotConfiguration = try directory.write(
            "knot.conf",
            SignedHierarchy.knotConfiguration(zones, address: serverAddress, directory: knotDirectory, zoneDirectory: directory.path))
        knot = try PeerProcess("knotd", ["-c", knotConfiguration], package: "knot", currentDirectory: directory.path)
        ProcessLifetimeCleanup.keep(knot)
        try knot.waitForLine(containing: "server started", timeout: 20)

        _ = try directory.write("root.hints", ". 3600000 NS ns.\nns. 3600000 A \(serverAddress)\n")
        let configuration = SignedHierarchy.unboundConfiguration(address: resolverAddress, directory: directory.path)
            .replacingOccurrences(of: "root-anchor.key", with: "anchors.key")
        let unboundConfiguration = try directory.write("unbound.conf", configuration)
        unbound = try PeerProcess("unbound", ["-d", "-c", unboundConfiguration], package: "unbound", currentDirectory: directory.path)
        ProcessLifetimeCleanup.keep(unbound)
        try unbound.waitForLine(containing: "start of service", timeout: 20)
    }

    private static func zone(_ origin: String, _ body: [String]) -> String {
        ZoneText.zone(origin, body, nameServer: "ns.")
    }

    /// Signs `origin` with one KSK (ldns-signzone `options`); with `stripKeySignatures` the RRSIG
    /// over the DNSKEY RRset is removed. Returns the zone for knotd and the KSK's DNSKEY line.
    private static func sign(
        _ origin: String, _ body: [String], stripKeySignatures: Bool = false, options: [String] = [], in directory: TemporaryDirectory
    ) throws -> (zone: ZoneSigners.Signed, key: String)
    {
        let ksk = try ZoneSigners.ldnsKey(origin, algorithm: "ECDSAP256SHA256", ksk: true, in: directory.path)
        let file = ZoneSigners.fileName(origin)
        let signed = try ZoneSigners.ldnsSign(origin, zone(origin, body), keys: [ksk], file: file, in: directory, options: options)
        if stripKeySignatures {
            let kept = signed.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !ZoneText.isSignature($0, owner: origin, covered: "DNSKEY") }
            _ = try directory.write(file + ".signed", kept.joined(separator: "\n"))
        }
        let key = try String(contentsOfFile: directory.file(ksk + ".key"), encoding: .utf8)
            .split(separator: "\n").first { !$0.hasPrefix(";") && !$0.isEmpty }.map(String.init) ?? ""
        let signedZone = ZoneSigners.Signed(
            origin: origin, fileName: file + ".signed", dsLines: try ZoneSigners.ldnsDS(ksk, in: directory.path))
        return (signedZone, key)
    }
}
