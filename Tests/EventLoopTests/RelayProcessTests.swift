import EventLoop
import Foundation
import Testing
import TestSupport

@Suite("danegate relay process", .timeLimit(.minutes(3)))
struct RelayProcessTests {
    /// Peak resident memory (VmHWM) of a running process, in bytes.
    static func peakResidentBytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
        else {
            throw LoopTestFailure("no VmHWM line in /proc/\(pid)/status")
        }
        return kibibytes * 1024
    }

    @Test("1 GiB relayed through `danegate relay` arrives intact, with bounded relay memory")
    func relayOneGibibyteWithBackpressure() async throws {
        let total = 1 << 30
        let receiverThread = try makeLoopThread()
        let senderThread = try makeLoopThread()
        defer {
            senderThread.stopAndJoin()
            receiverThread.stopAndJoin()
        }

        // The receiver: a listener in this process that hashes everything up to end of stream.
        let received = Promise<StreamSummary>()
        let receiverLoop = receiverThread.loop
        let receiverAddress: SocketAddress = try await onLoop(receiverLoop) { promise in
            var taken = false
            let listener = try TCPListener(loop: receiverLoop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
                guard !taken else {
                    stream.close()
                    return
                }
                taken = true
                HashingReader().attach(to: stream) { outcome in
                    // Closing answers the relay's half-close, so the sender sees its end too.
                    stream.close()
                    received.complete(outcome.mapError { $0 as any Error })
                }
            }
            promise.succeed(listener.localAddress)
        }

        // The relay under test, in its own process.
        let relay = try PeerProcess(
            try builtProduct("danegate"),
            ["relay", "--accept", "127.0.0.1:0", "--connect", receiverAddress.description])
        defer { relay.kill() }
        let match = try relay.waitForMatch("^LISTEN (\\S+)$", in: .stdout)
        let relayAddress = try SocketAddress(parsing: match[1])

        // The sender: writes the pattern as fast as the relay takes it, then half-closes, and
        // waits for the relay to pass on the receiver's end of stream.
        let pattern = BytePattern()
        let senderLoop = senderThread.loop
        let sent: StreamSummary = try await onLoop(senderLoop) { promise in
            TCPStream.connect(loop: senderLoop, to: relayAddress) { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let stream):
                    var sender: PatternSender?
                    var shutdownDone = false
                    var endSeen = false
                    func finishIfDone() {
                        guard shutdownDone, endSeen, let sender else { return }
                        stream.close()
                        promise.succeed(StreamSummary(byteCount: sender.sent, sha256: sender.digest.finish()))
                    }
                    stream.onEvent = { event in
                        switch event {
                        case .data: promise.fail(LoopTestFailure("unexpected bytes from the relay"))
                        case .endOfStream:
                            endSeen = true
                            finishIfDone()
                        case .error(let error): promise.fail(error)
                        }
                    }
                    stream.startReading()
                    let pump = PatternSender(stream: stream, pattern: pattern, total: total) { error in
                        if let error {
                            promise.fail(error)
                            return
                        }
                        shutdownDone = true
                        finishIfDone()
                    }
                    sender = pump
                    pump.pump()
                }
            }
        }
        let arrived = try await received.value()
        let peak = try Self.peakResidentBytes(of: relay.pid)
        relay.kill()

        #expect(sent.byteCount == total)
        #expect(arrived.byteCount == total)
        #expect(arrived.sha256 == sent.sha256)
        #expect(peak < 64 << 20, "relay peak RSS \(peak >> 20) MiB is not under 64 MiB")
    }
}
