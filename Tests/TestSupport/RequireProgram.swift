import Foundation

/// Folders searched after PATH: daemons such as unbound or nsd live in sbin, and some helpers
/// only under /usr/lib.
private let extraProgramFolders = [
    "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin",
    "/usr/lib/postfix/sbin", "/usr/lib/openssh",
]

/// Finds `name` on PATH (and in the sbin folders), or returns nil.
public func findProgram(_ name: String) -> String? {
    if name.contains("/") {
        return FileManager.default.isExecutableFile(atPath: name) ? name : nil
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let folders = path.split(separator: ":").map(String.init) + extraProgramFolders
    for folder in folders where !folder.isEmpty {
        let candidate = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
    }
    return nil
}

/// Finds `name`, or throws an error naming the Debian `package` that provides it.
/// Tests call this first so a missing peer fails the test with a fix, never skips it.
@discardableResult
public func requireProgram(_ name: String, package: String) throws -> String {
    guard let found = findProgram(name) else {
        throw TestSupportError(
            .programMissing,
            "program '\(name)' not found on PATH or in sbin; install the Debian package '\(package)' (scripts/setup does)"
        )
    }
    return found
}
