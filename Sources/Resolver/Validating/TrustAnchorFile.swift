import DNSSEC

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading trust anchors from a file, in either form people have: zone-file DS/DNSKEY records
/// (Unbound's root.key, Debian's dns-root-data) or BIND's `trust-anchors { }` statement.
public enum TrustAnchorFile {
    /// Debian's copy of the root KSK (package dns-root-data): the default anchor.
    public static let defaultPath = "/usr/share/dns/root.key"

    /// The anchors in the file at `path`; an unreadable file or one without anchors is an
    /// `.invalidConfiguration` error naming the path.
    public static func load(path: String = defaultPath) throws(ResolverError) -> TrustAnchorStore {
        guard let text = readText(path) else {
            throw ResolverError(.invalidConfiguration, "cannot read the trust-anchor file \(path)")
        }
        return try parse(text, fileName: path)
    }

    /// The anchors in `text`: BIND syntax when it has a `trust-anchors`, `managed-keys` or
    /// `trusted-keys` block, zone-file records otherwise.
    public static func parse(_ text: String, fileName: String) throws(ResolverError) -> TrustAnchorStore {
        let isBIND = ["trust-anchors", "managed-keys", "trusted-keys"].contains { text.contains($0) }
        do {
            let anchors = isBIND
                ? try BINDTrustAnchors.parse(text)
                : try ZoneFileTrustAnchors.parse(text, fileName: fileName)
            return TrustAnchorStore(anchors)
        } catch {
            throw ResolverError(.invalidConfiguration, "trust anchors in \(fileName): \(error)")
        }
    }

    /// The file's contents as UTF-8, at most 1 MiB (a trust-anchor file is a few lines).
    private static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 20 {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        guard bytes.count <= 1 << 20 else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
