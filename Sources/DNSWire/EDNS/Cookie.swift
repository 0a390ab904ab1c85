/// The DNS Cookie option (RFC 7873 §4): an 8-octet client cookie, optionally followed by a
/// server cookie of 8 to 32 octets. Any other length is malformed (§5.2.2: FORMERR).
public struct Cookie: Hashable, Sendable {
    public var client: [UInt8]
    /// Empty when the client does not know a server cookie yet.
    public var server: [UInt8]

    /// Nil unless the client cookie is 8 octets and the server cookie empty or 8...32.
    public init?(client: [UInt8], server: [UInt8] = []) {
        guard client.count == 8, server.isEmpty || (8...32).contains(server.count) else { return nil }
        self.client = client
        self.server = server
    }

    init(optionData data: ArraySlice<UInt8>, offset: Int) throws(DNSWireError) {
        guard data.count == 8 || (16...40).contains(data.count) else {
            throw DNSWireError(.badOption, "cookie option of \(data.count) octets (must be 8 or 16...40)", offset: offset)
        }
        client = Array(data.prefix(8))
        server = Array(data.dropFirst(8))
    }

    var optionData: [UInt8] { client + server }
}
