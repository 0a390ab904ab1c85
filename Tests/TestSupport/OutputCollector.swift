import Foundation

/// Reads one pipe of a child process on its own thread until end of file, keeping the bytes
/// and the complete lines seen so far. Bounded so a chatty peer cannot fill memory.
final class OutputCollector: @unchecked Sendable {
    /// Keep at most this many bytes of raw output (tests look at small outputs).
    static let byteLimit = 16 << 20
    private let lock = NSLock()
    private var bytes = Data()
    private var lineBuffer = Data()
    private var completeLines: [String] = []
    private var reachedEnd = false

    /// Starts a thread reading `handle` to its end.
    init(reading handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                // Not `availableData`: it turns an interrupted read (EINTR) into a fatal error.
                let chunk = readAvailable(handle.fileDescriptor)
                if chunk.isEmpty { break }
                append(chunk)
            }
            finish()
        }
        thread.start()
    }

    private func append(_ chunk: Data) {
        lock.lock()
        defer { lock.unlock() }
        if bytes.count < Self.byteLimit { bytes.append(chunk) }
        lineBuffer.append(chunk)
        while let newline = lineBuffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = lineBuffer[lineBuffer.startIndex..<newline]
            completeLines.append(String(decoding: line, as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r")))
            lineBuffer.removeSubrange(lineBuffer.startIndex...newline)
        }
        if completeLines.count > 100_000 { completeLines.removeFirst(50_000) }
    }

    private func finish() {
        lock.lock()
        defer { lock.unlock() }
        if !lineBuffer.isEmpty {
            completeLines.append(String(decoding: lineBuffer, as: UTF8.self))
            lineBuffer.removeAll()
        }
        reachedEnd = true
    }

    /// Complete lines so far (a last unterminated line appears once the pipe is closed).
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return completeLines
    }

    /// Raw bytes so far.
    var data: Data {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    /// True once the writer closed the pipe.
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reachedEnd
    }

    /// Waits (polling) until the pipe is closed or the deadline passes.
    func waitForEnd(until deadline: Date) {
        while !isFinished && Date() < deadline {
            usleep(5_000)
        }
    }
}
