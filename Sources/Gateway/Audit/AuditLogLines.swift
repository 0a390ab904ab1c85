#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an audit log once, in fixed chunks, handing each line (without its newline) to `line`;
/// a line longer than `maximumLineLength` is reported to `overlong` and never kept, so a log of
/// any size (or of garbage) costs the same memory. Blank lines are skipped.
enum AuditLogLines {
    static func forEachLine(
        path: String, maximumLineLength: Int, line: (ArraySlice<UInt8>) -> Void, overlong: () -> Void
    ) throws(AuditSummaryError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AuditSummaryError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        func deliver(_ bytes: ArraySlice<UInt8>) {
            // Blank lines (an editor's trailing newline) are neither records nor malformed.
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            line(bytes)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 16)
        // True while the bytes of an overlong line go by until its newline.
        var skipping = false
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AuditSummaryError("\(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var start = 0
            while start < count {
                guard let newline = chunk[start..<count].firstIndex(of: 0x0A) else {
                    if !skipping {
                        pending += chunk[start..<count]
                        if pending.count > maximumLineLength {
                            overlong()
                            pending.removeAll(keepingCapacity: true)
                            skipping = true
                        }
                    }
                    break
                }
                if skipping {
                    skipping = false
                } else if pending.isEmpty {
                    // A whole line inside one chunk is bounded by the limit too, whatever the
                    // limit is next to the chunk's size.
                    if newline - start > maximumLineLength {
                        overlong()
                    } else {
                        deliver(chunk[start..<newline])
                    }
                } else {
                    pending += chunk[start..<newline]
                    if pending.count > maximumLineLength {
                        overlong()
                    } else {
                        deliver(pending[...])
                    }
                    pending.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
        }
        if !skipping && !pending.isEmpty { deliver(pending[...]) }
    }
}
