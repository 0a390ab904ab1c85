// A stand-in for module TLS in the fuzz builds: Sources/DANE/Policy/DANEReason.swift imports it
// for CertificateVerifyResult, whose real file needs OpenSSL and the rest of TLS. Only the case
// DANEReason compares with is here; the ordinary build and tests use the real module.

public enum CertificateVerifyResult: Equatable {
    case certificateExpired
    case other(Int32)
}
