/// What ``ZoneFileReader`` finds next in a zone file and the files it includes.
public enum ZoneFileEvent: Sendable, Equatable {
    /// A resource record entry (RFC 1035 §5.1), not yet interpreted.
    case record(ZoneFileEntry)
    /// `$ORIGIN <domain-name>`: the name, not yet resolved against the current origin.
    case origin(PresentationToken)
    /// `$TTL <ttl>` (RFC 2308 §4): the default TTL from here on.
    case defaultTTL(UInt32)
    /// `$INCLUDE <file> [<domain-name>]`: the entries that follow come from the included file,
    /// until the matching ``includeEnd``. The origin, if given, applies inside that file only and
    /// is resolved against the origin of the including file.
    case includeBegin(file: String, origin: PresentationToken?)
    /// The end of an included file: the including file's origin applies again (RFC 1035 §5.1).
    case includeEnd
}
