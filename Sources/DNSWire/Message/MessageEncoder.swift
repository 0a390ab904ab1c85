/// Encoding a message, with name compression and truncation to a size limit.
extension Message {
    /// Encodes the message with name compression.
    ///
    /// With `maxSize` (e.g. 512, or the requester's EDNS payload size) the message is
    /// truncated the way servers do it (RFC 2181 §9, RFC 1035 §4.2.1): whole RRsets only
    /// (an RRset together with the RRSIGs that follow it), dropped from the end. If an
    /// answer or authority RRset does not fit, TC is set and nothing after it is sent; if
    /// only additional RRsets do not fit, they are left out without TC (RFC 2181 §9). The
    /// OPT record is always kept (its size is reserved first).
    public func encode(maxSize: Int = 65535) throws(DNSWireError) -> [UInt8] {
        let limit = min(max(maxSize, 12), 65535)
        var writer = DNSWriter.forMessage(capacity: min(limit, 512))
        var header = self.header
        writer.writeUInt16(header.id)
        writer.writeUInt16(0)  // flags, patched at the end
        for _ in 0..<4 { writer.writeUInt16(0) }  // counts, patched at the end

        guard questions.count <= 0xFFFF else { throw DNSWireError(.tooLarge, "more than 65535 questions") }
        for question in questions { question.write(to: &writer) }
        guard writer.count <= limit else {
            throw DNSWireError(.tooLarge, "the question section alone is over \(limit) octets")
        }

        var optWire: [UInt8] = []
        if let edns {
            var optWriter = DNSWriter()
            try edns.optRecord.write(to: &optWriter)
            optWire = optWriter.bytes
        }
        let budget = limit - optWire.count
        guard writer.count <= budget else {
            throw DNSWireError(.tooLarge, "the question and OPT record are over \(limit) octets")
        }

        var counts = [0, 0, 0]
        var truncated = false
        for (index, records) in [answers, authority, additional].enumerated() where !truncated {
            var start = 0
            while start < records.count {
                let end = Message.endOfRRset(records, from: start)
                let checkpoint = writer.checkpoint()
                for record in records[start..<end] { try record.write(to: &writer) }
                if writer.count > budget {
                    writer.rollback(to: checkpoint)
                    if index < 2 { header.isTruncated = true }
                    truncated = true
                    break
                }
                counts[index] += end - start
                start = end
            }
        }

        writer.writeBytes(optWire)
        writer.patchUInt16(header.flags, at: 2)
        writer.patchUInt16(UInt16(questions.count), at: 4)
        writer.patchUInt16(UInt16(counts[0]), at: 6)
        writer.patchUInt16(UInt16(counts[1]), at: 8)
        writer.patchUInt16(UInt16(counts[2] + (edns == nil ? 0 : 1)), at: 10)
        return writer.bytes
    }

    /// The end of the unit starting at `start`: records with the same owner, class and type,
    /// followed by the RRSIGs covering that type at the same owner.
    static func endOfRRset(_ records: [Record], from start: Int) -> Int {
        let first = records[start]
        var end = start + 1
        while end < records.count {
            let next = records[end]
            guard next.owner == first.owner, next.rrClass == first.rrClass else { break }
            if next.type == first.type {
                end += 1
            } else if next.type == .rrsig, let signature = next.rdata as? RRSIG, signature.typeCovered == first.type {
                end += 1
            } else {
                break
            }
        }
        return end
    }
}
