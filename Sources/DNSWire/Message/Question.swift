/// One entry of the question section (RFC 1035 §4.1.2).
///
///                                     1  1  1  1  1  1
///       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                     QNAME                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                     QTYPE                     |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                     QCLASS                    |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
public struct Question: Hashable, Sendable, CustomStringConvertible {
    public var name: Name
    public var type: RRType
    public var rrClass: RRClass

    public init(name: Name, type: RRType, rrClass: RRClass = .internet) {
        self.name = name
        self.type = type
        self.rrClass = rrClass
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        name = try reader.readName()
        type = RRType(try reader.readUInt16())
        rrClass = RRClass(try reader.readUInt16())
    }

    public func write(to writer: inout DNSWriter) {
        writer.writeName(name, compressible: true)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(rrClass.rawValue)
    }

    public var description: String { "\(name.presentation) \(rrClass) \(type)" }
}
