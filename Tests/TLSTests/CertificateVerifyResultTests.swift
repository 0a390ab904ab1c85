import Testing

@testable import TLS

/// The X509_V_ERR codes the layers above decide on, as values (no bare 62 or 65 outside TLS).
@Suite struct CertificateVerifyResultTests {
    @Test func codesMapBothWays() {
        let table: [(Int32, CertificateVerifyResult)] = [
            (0, .ok), (62, .hostnameMismatch), (65, .daneNoMatch), (10, .certificateExpired), (20, .other(20)),
        ]
        for (code, result) in table {
            #expect(CertificateVerifyResult(code: code) == result)
            #expect(result.code == code)
        }
        #expect(CertificateVerifyResult.daneNoMatch.description == "no matching DANE TLSA records")
    }
}
