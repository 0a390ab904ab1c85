import Cryptography
import DNSWire
import EventLoop

/// One lookup on the network: the question sent to the configured servers in turn until one
/// gives a usable answer or the time budget runs out.
///
/// The plan is `attempts` rounds through the servers (starting at `firstServer`); each try
/// waits `perServerTimeout`. A try ends early on SERVFAIL, REFUSED, NOTIMP or FORMERR (the
/// next server may do better), on a network error, or, for a truncated UDP answer, is
/// repeated over TCP to the same server. Whatever happens, the completion runs exactly once,
/// within the time budget.
final class QueryTransaction {
    typealias Completion = (Result<(Message, SocketAddress, usedTCP: Bool), ResolverError>) -> Void

    private let loop: EventLoop
    private let question: Question
    private let options: ResolveOptions
    private let configuration: ResolverConfiguration
    private let statistics: StatisticsRecorder
    private var completion: Completion?
    private let plan: [SocketAddress]
    private var nextTry = 0
    private var failures: [ExchangeFailure] = []
    private var exchange: QueryExchange?
    private var budgetTimer: LoopTimer?

    init(
        loop: EventLoop, question: Question, options: ResolveOptions, configuration: ResolverConfiguration,
        firstServer: Int, statistics: StatisticsRecorder, completion: @escaping Completion
    ) {
        self.loop = loop
        self.question = question
        self.options = options
        self.configuration = configuration
        self.statistics = statistics
        self.completion = completion
        let servers = configuration.servers
        var plan: [SocketAddress] = []
        for _ in 0..<max(configuration.attempts, 1) {
            for index in 0..<servers.count { plan.append(servers[(firstServer + index) % servers.count]) }
        }
        self.plan = plan
    }

    func start() {
        do {
            let timer = try LoopTimer(loop: loop)
            budgetTimer = timer
            let budget = configuration.effectiveTimeBudget
            timer.start(after: budget) { [weak self] in
                self?.budgetExhausted(budget)
            }
        } catch {
            loop.later { [self] in
                finish(.failure(ResolverError(.networkError, "cannot start a timer: \(error)")))
            }
            return
        }
        tryNextServer()
    }

    /// Ends the lookup with `.cancelled` (the resolver is closing).
    func cancel() {
        finish(.failure(ResolverError(.cancelled, "the resolver was closed before \(question) was answered")))
    }

    // MARK: Steps

    /// The question as it goes on the wire: with random letter case under 0x20.
    private func questionToSend() -> Question {
        guard configuration.randomizeNameCase else { return question }
        var sent = question
        sent.name = NameCaseRandomizer.randomized(question.name)
        return sent
    }

    private func makeQuery(id: UInt16, _ sent: Question) -> [UInt8]? {
        let edns = EDNS(udpPayloadSize: configuration.udpPayloadSize, dnssecOK: options.dnssecOK)
        let query = Message.query(
            id: id, name: sent.name, type: sent.type, rrClass: sent.rrClass,
            checkingDisabled: options.checkingDisabled, edns: edns)
        return try? query.encode()
    }

    private func tryNextServer() {
        guard completion != nil else { return }
        guard nextTry < plan.count else {
            finish(.failure(summary()))
            return
        }
        let server = plan[nextTry]
        nextTry += 1
        let id = SecureRandom.uint16()
        let sent = questionToSend()
        guard let query = makeQuery(id: id, sent) else {
            finish(.failure(ResolverError(.invalidQuestion, "the query for \(question) does not encode")))
            return
        }
        let udp = UDPExchange(
            loop: loop, server: server,
            sent: SentQuery(id: id, question: sent, exactCase: configuration.randomizeNameCase), statistics: statistics
        ) { [weak self] outcome in
            self?.udpEnded(outcome, server: server)
        }
        exchange = udp
        udp.start(
            query: query, timeout: configuration.perServerTimeout,
            randomSourcePort: configuration.randomSourcePorts)
    }

    private func udpEnded(_ outcome: ExchangeOutcome, server: SocketAddress) {
        exchange = nil
        switch outcome {
        case .response(let message):
            judge(message, from: server, usedTCP: false)
        case .truncated:
            guard configuration.tcpFallback else {
                failures.append(
                    ExchangeFailure(
                        code: .truncatedWithoutTCP, server: server,
                        reason: "truncated UDP answer and TCP is off"))
                tryNextServer()
                return
            }
            startTCP(to: server)
        case .failed(let failure):
            failures.append(failure)
            tryNextServer()
        }
    }

    private func startTCP(to server: SocketAddress) {
        let id = SecureRandom.uint16()
        let sent = questionToSend()
        guard let query = makeQuery(id: id, sent) else {
            finish(.failure(ResolverError(.invalidQuestion, "the query for \(question) does not encode")))
            return
        }
        let tcp = TCPExchange(
            loop: loop, server: server,
            sent: SentQuery(id: id, question: sent, exactCase: configuration.randomizeNameCase), statistics: statistics
        ) { [weak self] outcome in
            guard let self else { return }
            exchange = nil
            switch outcome {
            case .response(let message):
                judge(message, from: server, usedTCP: true)
            case .truncated, .failed:
                var failure = ExchangeFailure(
                    code: .truncatedWithoutTCP, server: server, reason: "truncated UDP answer")
                if case .failed(let tcpFailure) = outcome { failure.reason += ", then \(tcpFailure.reason)" }
                failures.append(failure)
                tryNextServer()
            }
        }
        exchange = tcp
        tcp.start(query: query, timeout: configuration.perServerTimeout)
    }

    /// NOERROR and NXDOMAIN answer the question; SERVFAIL, REFUSED, NOTIMP, FORMERR and other
    /// codes say this server cannot, so the next one is asked (RFC 1035 §7.3 style).
    private func judge(_ message: Message, from server: SocketAddress, usedTCP: Bool) {
        let rcode = message.rcode
        if rcode == .noError || rcode == .nxDomain {
            finish(.success((message, server, usedTCP: usedTCP)))
            return
        }
        statistics.counters.serverFailures += 1
        failures.append(
            ExchangeFailure(
                code: .allServersFailed, server: server, reason: "answered \(rcode)",
                rcode: rcode))
        tryNextServer()
    }

    private func budgetExhausted(_ budget: Duration) {
        exchange?.cancel()
        exchange = nil
        var error = summary()
        error.code = .timeout
        error.reason = "no answer for \(question) within the time budget of \(budget)" + summarySuffix()
        finish(.failure(error))
    }

    /// One error for the whole lookup: the common code when every try failed alike, else
    /// `allServersFailed`; the reason lists each try.
    private func summary() -> ResolverError {
        let codes = Set(failures.map(\.code))
        let code: ResolverError.Code = codes.count == 1 ? codes.first ?? .allServersFailed : .allServersFailed
        let rcode = failures.last(where: { $0.rcode != nil })?.rcode
        return ResolverError(code, "no usable answer for \(question)" + summarySuffix(), rcode: rcode)
    }

    private func summarySuffix() -> String {
        failures.isEmpty ? "" : " (" + failures.map(\.description).joined(separator: "; ") + ")"
    }

    private func finish(_ result: Result<(Message, SocketAddress, usedTCP: Bool), ResolverError>) {
        guard let completion else { return }
        self.completion = nil
        exchange?.cancel()
        exchange = nil
        budgetTimer?.close()
        budgetTimer = nil
        completion(result)
    }
}
