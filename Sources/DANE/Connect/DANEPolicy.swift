/// What a connection does when DANE cannot authenticate the server (DESIGN rule 5).
public enum DANEPolicy: String, Sendable, CaseIterable {
    /// Refuse unless a secure, usable TLSA record matches.
    case require
    /// RFC 7672: with secure usable TLSA, require a match; without, go on with TLS that is
    /// encrypted but unauthenticated.
    case opportunistic
    /// Connect whatever happens, and record the verdict.
    case audit
}
