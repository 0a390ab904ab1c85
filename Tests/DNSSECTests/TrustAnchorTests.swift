import DNSSEC
import DNSWire
import Foundation
import Testing

/// Trust anchors from the files people have, and the DS examples of the RFCs.
@Suite struct TrustAnchorTests {
    static let rootKSK2017 =
        "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU="
    static let rootDS2017 = "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"

    @Test func unboundRootKeyFile() throws {
        let text = """
            ; autotrust trust anchor file
            ;;id: . 1
            . 172800 IN DNSKEY 257 3 8 \(Self.rootKSK2017) ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ]
            . IN DS 20326 8 2 \(Self.rootDS2017)
            """
        let anchors = try ZoneFileTrustAnchors.parse(text)
        #expect(anchors.count == 1)
        let root = try #require(anchors.first)
        #expect(root.zone == .root)
        #expect(root.dnskeys.count == 1 && root.ds.count == 1)
        let key = ZoneKey(try #require(root.dnskeys.first))
        #expect(key.keyTag == 20326)
        #expect(DSMatcher.matches(try #require(root.ds.first), key: key, owner: .root))
    }

    @Test func debianRootKeyWhenInstalled() throws {
        // /usr/share/dns/root.key from dns-root-data (scripts/setup installs it).
        guard let text = try? String(contentsOfFile: "/usr/share/dns/root.key", encoding: .utf8) else {
            Issue.record("/usr/share/dns/root.key is missing: install the Debian package dns-root-data")
            return
        }
        let anchors = try ZoneFileTrustAnchors.parse(text, fileName: "/usr/share/dns/root.key")
        let root = try #require(anchors.first { $0.zone == .root })
        #expect(root.dnskeys.map { ZoneKey($0).keyTag }.contains(20326))
    }

    @Test func bindTrustAnchors() throws {
        let text = """
            # bind.keys
            trust-anchors {
                    # This key (20326) was published in the root zone in 2017.
                    . initial-key 257 3 8 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3
                                    +/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMt
                                    NROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8
                                    efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWe
                                    L3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm
                                    +2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=";
                    /* a DS form */
                    "example.net." static-ds 20326 8 2 "E06D44B80B8F1D39A95C0B0D7C65D084
                                    58E880409BBC683457104237C7F8EC8D";
            };
            options { directory "/var/cache/bind"; };
            trusted-keys { example.org. 257 3 8 "\(Self.rootKSK2017)"; };
            """
        let anchors = TrustAnchorStore(try BINDTrustAnchors.parse(text))
        let root = try #require(anchors.anchors[.root])
        #expect(root.dnskeys.first.map { ZoneKey($0).keyTag } == 20326)
        let net = try #require(anchors.anchors["example.net."])
        #expect(net.ds.first?.digest == BinaryText.decodeHex(Self.rootDS2017))
        #expect(anchors.anchors["example.org."]?.dnskeys.count == 1)
        #expect(anchors.closest(to: "www.example.net.")?.zone == "example.net.")
        #expect(anchors.closest(to: "www.example.com.")?.zone == .root)
    }

    @Test func bindTrustAnchorErrors() {
        #expect(throws: TrustAnchorError.self) { try BINDTrustAnchors.parse("trust-anchors { . initial-key 257 3 8 \"AwEA\" }; ") }
        #expect(throws: TrustAnchorError.self) { try BINDTrustAnchors.parse("trust-anchors { . initial-key 257 3 8 \"not base64!\"; };") }
        #expect(throws: TrustAnchorError.self) { try BINDTrustAnchors.parse("trust-anchors { . bogus-key 1 2 3 \"AA\"; };") }
        #expect(throws: TrustAnchorError.self) { try BINDTrustAnchors.parse("options { };") }
        #expect(throws: TrustAnchorError.self) { try BINDTrustAnchors.parse("trust-anchors { . initial-ds 20326 8 2 \"E06; };") }
        #expect(throws: TrustAnchorError.self) { try ZoneFileTrustAnchors.parse(". IN A 192.0.2.1") }
    }

    struct DSExample: Decodable {
        var source: String
        var owner: String
        var dnskey: String
        var ds: String
        var key_tag_computed: UInt16
    }

    /// RFC 4034 §5.4, RFC 4509 §2.3, RFC 6605 §6, RFC 8080 §6: each DS matches its DNSKEY.
    @Test func rfcDSExamplesMatch() throws {
        let examples = try VectorFiles.json([DSExample].self, "rfc-derived/ds-examples.json")
        #expect(examples.count == 8)
        for example in examples {
            let records = try VectorFiles.records("\(example.owner) IN DNSKEY \(example.dnskey)\n\(example.owner) IN DS \(example.ds)")
            let dnskey = try #require(records.compactMap { $0.rdata as? DNSKEY }.first)
            let ds = try #require(records.compactMap { $0.rdata as? DS }.first)
            let key = ZoneKey(dnskey)
            #expect(key.keyTag == example.key_tag_computed, "\(example.source)")
            #expect(DSMatcher.matches(ds, key: key, owner: try Name(presentation: example.owner)), "\(example.source)")
            var broken = ds
            broken.digest[0] ^= 1
            #expect(!DSMatcher.matches(broken, key: key, owner: try Name(presentation: example.owner)))
        }
    }
}
