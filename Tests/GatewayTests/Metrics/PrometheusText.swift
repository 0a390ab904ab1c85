import Foundation
import TestSupport

/// Prometheus text parsed by a real Prometheus parser: `prometheus_client`'s
/// `text_string_to_metric_families`, from the venv scripts/setup makes. Parsing fails (throws)
/// on anything that parser rejects.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]
    /// Family name to type (`counter`, `gauge`, `histogram`, ...).
    let types: [String: String]

    private static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = list(text_string_to_metric_families(sys.stdin.read()))
        print(json.dumps({
            "types": {f.name: f.type for f in families},
            "samples": [[s.name, s.labels, s.value] for f in families for s in f.samples],
        }))
        """

    init(_ text: [UInt8]) throws {
        let python = repositoryRootPath + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError(.commandFailed, "no \(python): run scripts/setup (python3-venv, prometheus_client)")
        }
        let result = try run(python, ["-c", Self.script], input: Data(text)).check("prometheus_client's parser")
        guard let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
            let types = object["types"] as? [String: String], let rows = object["samples"] as? [[Any]]
        else { throw TestSupportError(.commandFailed, "unexpected parser output: \(result.stdout)") }
        self.types = types
        samples = rows.compactMap { row in
            guard row.count == 3, let name = row[0] as? String, let labels = row[1] as? [String: String],
                let value = (row[2] as? NSNumber)?.doubleValue
            else { return nil }
            return Sample(name: name, labels: labels, value: value)
        }
    }

    /// The value of the sample `name` with exactly `labels`, if there is one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The samples named `name`.
    func samples(_ name: String) -> [Sample] { samples.filter { $0.name == name } }
}
