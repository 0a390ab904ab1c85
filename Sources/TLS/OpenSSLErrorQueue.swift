internal import COpenSSL

/// OpenSSL keeps errors in a per-thread queue. Each operation starts with an empty queue and
/// drains it when it fails, so a stale error never leaks into another connection's report.
enum OpenSSLErrorQueue {
    /// Empties the queue before an operation.
    static func clear() {
        ERR_clear_error()
    }

    /// Takes every queued error as text ("error:0A000086:SSL routines::certificate verify failed")
    /// joined with "; ", leaving the queue empty.
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }

    /// A TLSError whose reason is `what` followed by the drained queue.
    static func error(_ code: TLSError.Code, _ what: String, verifyResult: Int32? = nil) -> TLSError {
        let queue = drain()
        return TLSError(code, queue.isEmpty ? what : "\(what): \(queue)", verifyResult: verifyResult)
    }
}
