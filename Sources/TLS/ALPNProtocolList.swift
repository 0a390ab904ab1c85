internal import COpenSSL

/// The server's ALPN list in wire form, at a stable address for OpenSSL's select callback.
final class ALPNProtocolList {
    let wire: UnsafeMutableBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
        wire = .allocate(capacity: bytes.count)
        _ = wire.initialize(from: bytes)
    }

    deinit {
        wire.deallocate()
    }

    /// RFC 7301 §3.1: each protocol name as a length byte and 1...255 bytes.
    static func wireFormat(_ protocols: [String]) throws -> [UInt8] {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(.setupFailed, "ALPN protocol name must be 1 to 255 bytes: '\(name)'")
            }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }
}

/// Server side of ALPN: pick the first of our protocols that the client offered (RFC 7301 §3.2).
let tlsALPNSelectCallback:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, output, outputLength, offered, offeredLength, argument in
        guard let output, let outputLength, let offered, let argument else { return SSL_TLSEXT_ERR_NOACK }
        let list = Unmanaged<ALPNProtocolList>.fromOpaque(argument).takeUnretainedValue()
        var selected: UnsafeMutablePointer<UInt8>? = nil
        let result = SSL_select_next_proto(
            &selected, outputLength, list.wire.baseAddress, UInt32(list.wire.count), offered, offeredLength)
        guard result == OPENSSL_NPN_NEGOTIATED, let selected else { return SSL_TLSEXT_ERR_NOACK }
        output.pointee = UnsafePointer(selected)
        return SSL_TLSEXT_ERR_OK
    }
