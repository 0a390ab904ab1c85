internal import CLibUV

/// An error from libuv or from the socket calls under it: the libuv error code with its
/// name (`ECONNREFUSED`) and message (`connection refused`), plus what we were doing.
///
/// Every failure of the event loop layer is one of these values; nothing in this layer
/// traps on an I/O error.
public struct EventLoopError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The negative libuv error code (`UV_ECONNREFUSED`, `UV_EOF`, ...).
    public let code: Int32
    /// The libuv name of the code, from `uv_err_name` (`"ECONNREFUSED"`).
    public let name: String
    /// The human message, from `uv_strerror` (`"connection refused"`).
    public let message: String
    /// What the layer was doing when it failed (`"connect"`, `"bind"`, ...).
    public let operation: String

    /// Builds the error for a negative libuv status code.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.name = String(cString: uv_err_name(code))
        self.message = String(cString: uv_strerror(code))
    }

    /// Builds the error for a positive `errno` from a plain system call.
    init(errno value: Int32, operation: String) {
        // libuv's codes on Unix are the negated errno values.
        self.init(code: -value, operation: operation)
    }

    /// Throws when a libuv call returned a negative status.
    static func check(_ status: Int32, _ operation: String) throws(EventLoopError) {
        if status < 0 { throw EventLoopError(code: status, operation: operation) }
    }

    public var description: String { "\(operation): \(name) (\(message))" }

    /// The peer closed its write side (`UV_EOF`).
    public var isEndOfFile: Bool { code == Int32(UV_EOF.rawValue) }
    /// The connection was refused (`ECONNREFUSED`).
    public var isConnectionRefused: Bool { code == Int32(UV_ECONNREFUSED.rawValue) }
    /// The process or system ran out of file descriptors (`EMFILE`, `ENFILE`).
    public var isDescriptorExhaustion: Bool {
        code == Int32(UV_EMFILE.rawValue) || code == Int32(UV_ENFILE.rawValue)
    }
    /// The operation was cancelled because its handle closed (`ECANCELED`).
    public var isCancelled: Bool { code == Int32(UV_ECANCELED.rawValue) }
}
