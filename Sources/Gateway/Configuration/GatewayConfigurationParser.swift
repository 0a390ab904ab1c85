import DANE
import EventLoop

/// Reads the gateway's INI configuration (DESIGN.md "Configuration", issue 11) into a
/// ``GatewayConfiguration``. Pure: bytes in, a value or every problem out; reading the file is
/// ``GatewayConfiguration/load(path:)``'s job. Unknown keys, keys given twice, bad values and
/// sections that do not make sense are errors naming the file, line and key, and all of them are
/// collected.
public struct GatewayConfigurationParser: Sendable {
    /// The keys before the first section.
    public static let globalKeys: [String] = [
        "resolver", "trust-anchor", "dnssec", "audit-log", "log-level", "workers", "drain-timeout", "metrics",
    ]
    /// The keys of a service section.
    public static let serviceKeys: [String] = [
        "accept", "connect", "protocol", "dane", "helo", "sni", "dane-ee-namechecks", "allow",
        "max-connections", "connect-timeout", "handshake-timeout", "idle-timeout",
    ]
    /// Keys whose values are lists: they may be given more than once and add up.
    public static let listKeys: Set<String> = ["resolver", "allow"]
    /// Bounds on the lists (DESIGN rule 11).
    public static let maximumResolvers = 16
    public static let maximumAllowRanges = 256

    /// The name used in problems (the path as the user gave it).
    public var file: String

    public init(file: String) {
        self.file = file
    }

    public func parse(_ text: String) throws(ConfigurationError) -> GatewayConfiguration {
        try parse(Array(text.utf8))
    }

    public func parse(_ bytes: [UInt8]) throws(ConfigurationError) -> GatewayConfiguration {
        var problems = ConfigurationProblems(file: file)
        let ini = INIFile.parse(bytes, problems: &problems)
        var configuration = GatewayConfiguration()
        configuration.global = readGlobal(ini.global, problems: &problems)
        if ini.sections.isEmpty && problems.isEmpty {
            problems.add(line: nil, key: nil, "no services: add a [section] with accept, connect and protocol")
        }
        for section in ini.sections {
            if let service = readService(section, problems: &problems) {
                configuration.services.append(service)
            }
        }
        checkListenersDistinct(ini.sections, problems: &problems)
        checkMetricsListener(ini.global, configuration.services, problems: &problems)
        guard problems.isEmpty else { throw ConfigurationError(problems: problems.sortedByLine) }
        return configuration
    }

    // MARK: - Global settings

    private func readGlobal(_ entries: [INIFile.Entry], problems: inout ConfigurationProblems) -> GlobalSettings {
        var settings = GlobalSettings()
        var trustAnchor: INIFile.Entry?
        var trustAD: INIFile.Entry?
        var resolverEntries: [(INIFile.Entry, SocketAddress)] = []
        for entry in uniqueEntries(entries, known: Self.globalKeys, otherPlace: Self.serviceKeys,
                                   otherMessage: "is a service key: put it in a [section]", problems: &problems) {
            do throws(ConfigurationValueError) {
                switch entry.key {
                case "resolver":
                    for item in try ConfigurationValue.listItems(entry.value) {
                        let address = try ConfigurationValue.resolverAddress(item)
                        resolverEntries.append((entry, address))
                    }
                    guard resolverEntries.count <= Self.maximumResolvers else {
                        throw ConfigurationValueError("more than \(Self.maximumResolvers) resolvers")
                    }
                case "trust-anchor":
                    settings.dnssec = .validate(trustAnchor: try ConfigurationValue.absolutePath(entry.value))
                    trustAnchor = entry
                case "dnssec":
                    switch entry.value {
                    case "validate": break
                    case "trust-ad": trustAD = entry
                    default: throw ConfigurationValueError("expected validate or trust-ad")
                    }
                case "audit-log":
                    settings.auditLog = try ConfigurationValue.absolutePath(entry.value)
                case "log-level":
                    guard let level = LogLevel(rawValue: entry.value) else {
                        throw ConfigurationValueError(
                            "expected one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    settings.logLevel = level
                case "workers":
                    settings.workers = try ConfigurationValue.integer(entry.value, in: 1...GlobalSettings.maximumWorkers)
                case "drain-timeout":
                    settings.drainTimeout = try ConfigurationValue.duration(entry.value, maximum: .seconds(3600))
                case "metrics":
                    settings.metrics = try ConfigurationValue.listenAddress(entry.value)
                default:
                    break
                }
            } catch {
                problems.add(line: entry.line, key: entry.key, error.message)
            }
        }
        settings.resolvers = resolverEntries.map(\.1)
        if let trustAD {
            if let trustAnchor {
                problems.add(line: trustAnchor.line, key: "trust-anchor",
                             "cannot be used with dnssec = trust-ad (line \(trustAD.line)): choose one")
            }
            settings.dnssec = .trustAD
            // The AD bit means something only over a path nobody else can write to (RFC 4035
            // §4.9.3, RFC 6698 §4.1): a resolver on this host.
            for (entry, address) in resolverEntries where !AddressRange.isLoopback(address) {
                problems.add(line: entry.line, key: "resolver",
                             "\(address) is not a loopback address; dnssec = trust-ad believes only a resolver on this host")
            }
        }
        return settings
    }

    // MARK: - Services

    private func readService(
        _ section: INIFile.Section, problems: inout ConfigurationProblems
    ) -> ServiceConfiguration? {
        var accept: SocketAddress?
        var connect: (ConnectTarget, line: Int)?
        var serviceProtocol: ServiceProtocol?
        var dane = DANEPolicy.require
        var helo: (String, line: Int)?
        var sni: String?
        var nameChecks: (Bool, line: Int)?
        var allow: [AddressRange]?
        var maxConnections = 1000
        var connectTimeout = Duration.seconds(10)
        var handshakeTimeout = Duration.seconds(30)
        var idleTimeout: Duration? = .seconds(300)
        var seen = Set<String>()
        var failed = false

        for entry in uniqueEntries(section.entries, known: Self.serviceKeys, otherPlace: Self.globalKeys,
                                   otherMessage: "is a global key: put it before the first [section]",
                                   problems: &problems) {
            seen.insert(entry.key)
            do throws(ConfigurationValueError) {
                switch entry.key {
                case "accept":
                    accept = try ConfigurationValue.listenAddress(entry.value)
                case "connect":
                    connect = (try ConfigurationValue.connectTarget(entry.value), entry.line)
                case "protocol":
                    serviceProtocol = try Self.serviceProtocol(entry.value)
                case "dane":
                    guard let policy = DANEPolicy(rawValue: entry.value) else {
                        throw ConfigurationValueError("expected require, opportunistic or audit")
                    }
                    dane = policy
                case "helo":
                    helo = (try ConfigurationValue.heloName(entry.value), entry.line)
                case "sni":
                    sni = try ConfigurationValue.serverName(entry.value)
                case "dane-ee-namechecks":
                    nameChecks = (try ConfigurationValue.boolean(entry.value), entry.line)
                case "allow":
                    let ranges = (allow ?? []) + (try ConfigurationValue.addressRanges(entry.value))
                    guard ranges.count <= Self.maximumAllowRanges else {
                        throw ConfigurationValueError("more than \(Self.maximumAllowRanges) ranges")
                    }
                    allow = ranges
                case "max-connections":
                    maxConnections = try ConfigurationValue.integer(entry.value, in: 1...1_000_000)
                case "connect-timeout":
                    connectTimeout = try ConfigurationValue.duration(entry.value)
                case "handshake-timeout":
                    handshakeTimeout = try ConfigurationValue.duration(entry.value)
                case "idle-timeout":
                    if entry.value == "0" {
                        throw ConfigurationValueError("must be longer than zero; write none to never close idle connections")
                    }
                    idleTimeout = entry.value == "none" ? nil : try ConfigurationValue.duration(entry.value)
                default:
                    break
                }
            } catch {
                failed = true
                problems.add(line: entry.line, key: entry.key, error.message)
            }
        }

        for key in ["accept", "connect", "protocol"] where !seen.contains(key) {
            failed = true
            problems.add(line: section.line, key: key, "missing in [\(section.name)]")
        }
        if let serviceProtocol, let (target, line) = connect {
            switch target {
            case .mx where serviceProtocol != .smtp:
                failed = true
                problems.add(line: line, key: "connect", "mx: needs protocol = smtp (RFC 7672)")
            case .srv, .srvFromClient:
                if serviceProtocol != .xmpp {
                    failed = true
                    problems.add(line: line, key: "connect", "srv: needs protocol = xmpp (RFC 7673)")
                }
            default:
                break
            }
        }
        if let serviceProtocol, let (_, line) = helo, serviceProtocol != .smtp {
            failed = true
            problems.add(line: line, key: "helo", "applies only to protocol = smtp")
        }
        // RFC 7672 §3.1.3 and RFC 7673 §3: with MX and SRV indirection a DANE-EE(3) record binds
        // the key, not a name, and name checks would only break delivery. HTTP clients expect
        // the name to match the Host they asked for, so there (and only there) it may be turned on.
        if let serviceProtocol, let (enabled, line) = nameChecks, enabled, serviceProtocol != .https {
            failed = true
            problems.add(line: line, key: "dane-ee-namechecks",
                         "yes is allowed only with protocol = http (RFC 7671 §5.1: DANE-EE skips name checks)")
        }
        guard !failed, let accept, let (target, _) = connect, let serviceProtocol else { return nil }
        return ServiceConfiguration(
            name: section.name, accept: accept, connect: target, serviceProtocol: serviceProtocol, dane: dane,
            helo: helo?.0 ?? "danegate.invalid", sni: sni, daneEENameChecks: nameChecks?.0 ?? false, allow: allow,
            maxConnections: maxConnections, connectTimeout: connectTimeout, handshakeTimeout: handshakeTimeout,
            idleTimeout: idleTimeout)
    }

    /// `smtp`, `xmpp`, `irc`, `http` or `tls` (DESIGN.md "Protocols").
    static func serviceProtocol(_ text: String) throws(ConfigurationValueError) -> ServiceProtocol {
        switch text {
        case "smtp": .smtp
        case "xmpp": .xmpp
        case "irc": .irc
        case "http": .https
        case "tls": .tls
        default: throw ConfigurationValueError("expected smtp, xmpp, irc, http or tls")
        }
    }

    // MARK: - Checks across entries and sections

    /// The entries whose keys are known and given once (list keys may repeat); a problem for
    /// each of the others.
    private func uniqueEntries(
        _ entries: [INIFile.Entry], known: [String], otherPlace: [String], otherMessage: String,
        problems: inout ConfigurationProblems
    ) -> [INIFile.Entry] {
        var firstLine: [String: Int] = [:]
        var kept: [INIFile.Entry] = []
        for entry in entries {
            guard known.contains(entry.key) else {
                if otherPlace.contains(entry.key) {
                    problems.add(line: entry.line, key: entry.key, otherMessage)
                } else {
                    problems.add(line: entry.line, key: entry.key, "unknown key")
                }
                continue
            }
            guard !entry.value.isEmpty else {
                problems.add(line: entry.line, key: entry.key, "empty value")
                continue
            }
            if let first = firstLine[entry.key], !Self.listKeys.contains(entry.key) {
                problems.add(line: entry.line, key: entry.key, "given twice (first on line \(first))")
                continue
            }
            firstLine[entry.key] = firstLine[entry.key] ?? entry.line
            kept.append(entry)
        }
        return kept
    }

    /// Two services cannot listen on one address; a wildcard (`0.0.0.0`, `::`) takes its port on
    /// every address of the family. Port 0 (the kernel picks) never collides.
    private func checkListenersDistinct(_ sections: [INIFile.Section], problems: inout ConfigurationProblems) {
        var listeners: [(address: SocketAddress, section: String, line: Int)] = []
        for section in sections {
            for entry in section.entries where entry.key == "accept" {
                guard let address = try? ConfigurationValue.listenAddress(entry.value), address.port != 0 else {
                    continue
                }
                if let other = listeners.first(where: { Self.listenersCollide($0.address, address) }) {
                    problems.add(line: entry.line, key: "accept",
                                 "\(address) is already taken by [\(other.section)] (line \(other.line))")
                } else {
                    listeners.append((address, section.name, entry.line))
                }
                break  // a second accept in the section is already reported as given twice
            }
        }
    }

    /// The metrics endpoint cannot share a service's listening address (port 0 never collides).
    private func checkMetricsListener(
        _ global: [INIFile.Entry], _ services: [ServiceConfiguration], problems: inout ConfigurationProblems
    ) {
        guard let entry = global.last(where: { $0.key == "metrics" }),
            let address = try? ConfigurationValue.listenAddress(entry.value), address.port != 0,
            let service = services.first(where: { Self.listenersCollide($0.accept, address) })
        else { return }
        problems.add(line: entry.line, key: "metrics", "\(address) is already the accept address of [\(service.name)]")
    }

    private static func listenersCollide(_ a: SocketAddress, _ b: SocketAddress) -> Bool {
        guard a.port == b.port, a.family == b.family else { return false }
        let wildcard = a.family == .ipv4 ? "0.0.0.0" : "::"
        return a.host == b.host || a.host == wildcard || b.host == wildcard
    }
}
