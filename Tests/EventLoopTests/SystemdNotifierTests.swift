import EventLoop
import Foundation
import Testing
import TestSupport

/// sd_notify(3) messages of the server runtime, read from a test `NOTIFY_SOCKET`.
@Suite struct SystemdNotifierTests {
    @Test("the lifecycle sends READY, RELOADING with MONOTONIC_USEC then READY, and STOPPING, in order")
    func lifecycleMessagesArriveInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "notify")
        let socket = try NotifySocket(in: directory)
        let server = try GreetingServer(workers: 2)
        let port = try server.listen()
        let held = try BlockingSocket(connectingTo: port)
        #expect(try held.receive() != nil)
        var lifecycle = server.lifecycle(drainTimeout: .zero)
        let reloads = Counter()
        lifecycle.reload = { reloads.increment() }
        lifecycle.notifier = SystemdNotifier(socketPath: socket.path)
        let finished = Latch()
        let runner = Thread { [lifecycle = UncheckedBox(lifecycle)] in
            try? server.runtime.run(lifecycle.value)
            finished.open()
        }
        runner.start()

        let ready = try #require(socket.receiveAssignments())
        #expect(ready["READY"] == "1")
        #expect(ready["STATUS"] == "serving, 1 connection open")

        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        server.runtime.beginReload()
        let reloading = try #require(socket.receiveAssignments())
        #expect(reloading["RELOADING"] == "1")
        // systemd needs the time of the reload beside RELOADING=1, in microseconds of
        // CLOCK_MONOTONIC: no earlier than when we asked for it.
        let microseconds = try #require(reloading["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect(microseconds >= UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1000)
        let readyAgain = try #require(socket.receiveAssignments())
        #expect(readyAgain["READY"] == "1")
        #expect(reloads.value == 1)

        server.runtime.beginStop()
        let stopping = try #require(socket.receiveAssignments())
        #expect(stopping["STOPPING"] == "1")
        #expect(stopping["STATUS"] == "draining, 1 connection open")
        #expect(finished.wait(seconds: 10))
        #expect(socket.receive(timeout: 0.2) == nil)
    }

    @Test("NOTIFY_SOCKET in the abstract namespace (@name) is reached too")
    func abstractSocketName() throws {
        let name = "danegate-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let nameBytes = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: nameBytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + nameBytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        #expect(bound == 0)
        #expect(SystemdNotifier(socketPath: "@" + name).send("STATUS=hello"))
        var buffer = [UInt8](repeating: 0, count: 256)
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 5000) == 1)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "STATUS=hello")
        // No one listening: the send fails quietly, as sd_notify's does.
        #expect(!SystemdNotifier(socketPath: "@" + name + "-nobody").send("READY=1"))
    }
}

/// A count bumped on a loop and read by the test.
final class Counter: @unchecked Sendable {
    private let lock = Lock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// Carries a value the test hands to one other thread and no longer touches.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
