/// RP (RFC 1183 §2.2): the responsible person, as a mailbox name and a TXT owner name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   MBOX-DNAME                  /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   TXT-DNAME                   /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Not compressed on write (not well-known, RFC 3597 §4); lower-cased in canonical form
/// (RFC 4034 §6.2).
public struct RP: KnownRDATA {
    public static let rrType = RRType.rp
    public var mailbox: Name
    public var textName: Name

    public init(mailbox: Name, textName: Name) {
        self.mailbox = mailbox
        self.textName = textName
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        mailbox = try reader.readName()
        textName = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        mailbox = try reader.name("RP mailbox")
        textName = try reader.name("RP TXT name")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(mailbox, lowercaseWhenCanonical: true)
        writer.writeName(textName, lowercaseWhenCanonical: true)
    }

    public var presentation: String { "\(mailbox.presentation) \(textName.presentation)" }
}
