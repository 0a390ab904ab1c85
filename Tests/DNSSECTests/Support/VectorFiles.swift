import DNSSEC
import DNSWire
import Foundation
import TestSupport

/// A test precondition that did not hold (a vector that does not parse, a missing file).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reading the test vectors: the repository's copies under Tests/Vectors (see its README.md)
/// where they exist, otherwise the shared vectors they were copied from.
enum VectorFiles {
    /// The repository's copy of a vector file or folder, else the shared one.
    static func path(_ relativePath: String) -> String {
        let local = repositoryRootPath + "/Tests/Vectors/" + relativePath
        return FileManager.default.fileExists(atPath: local) ? local : sharedVector(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOfFile: path(relativePath), encoding: .utf8)
    }

    static func json<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relativePath)))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The files of a vector folder whose names start with `prefix`, sorted.
    static func files(in folder: String, prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder))
            .filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Records in zone-file form; TTL 3600 where none is given, names relative to `origin`.
    static func records(_ text: String, origin: Name = .root) throws -> [Record] {
        try ZoneFileParser.parse(text, options: ZoneFileParser.Options(origin: origin, defaultTTL: 3600))
    }

    /// Seconds since 1970 for `YYYYMMDDHHmmSS`.
    static func time(_ text: String) throws -> UInt64 {
        guard let value = DNSSECTime.parse(Array(text.utf8)) else { throw TestFailure("bad time \(text)") }
        return UInt64(value)
    }
}

/// Answers DNSKEY/DS/... lookups from a fixed set of records (a signed zone): the RRset at the
/// name with its RRSIGs, else an empty NOERROR.
struct RecordsFetcher: DNSSECFetcher {
    let records: [Record]

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        let answers = records.filter { record in
            guard record.owner == name else { return false }
            if record.type == type { return true }
            if let rrsig = record.rdata as? RRSIG { return rrsig.typeCovered == type }
            return false
        }
        return .response(Message(
            header: Header(isResponse: true, isAuthoritative: true), questions: [Question(name: name, type: type)],
            answers: answers))
    }
}

/// A fetcher that must not be used.
struct NoFetcher: DNSSECFetcher {
    func fetch(_ name: Name, _ type: RRType) async -> FetchResult { .failure("no network in this test") }
}
