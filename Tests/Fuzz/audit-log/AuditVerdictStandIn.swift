// A stand-in for AuditVerdict (Sources/Gateway/Audit/AuditRecord.swift), whose file needs the
// DANE and TLS modules, so that `scripts/fuzz audit-log` builds the reader from DNSWire alone.
// The cases are the real ones; the FuzzOracles target and the ordinary tests use the real type.

public enum AuditVerdict: String, Sendable {
    case verified, refused, unauthenticated, error
}
