import Foundation

/// A fresh folder under /tmp that is removed, with everything in it, when the value goes away.
public final class TemporaryDirectory: Sendable {
    /// Absolute path of the folder.
    public let path: String

    public init(prefix: String = "danegate") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            // The base address of a non-empty array is never nil.
            mkdtemp(buffer.baseAddress!) != nil
        }
        guard created else {
            throw TestSupportError(.systemCall, "mkdtemp failed: errno \(errno)")
        }
        path = template.withUnsafeBufferPointer { buffer in
            String(cString: buffer.baseAddress!)
        }
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
