import Foundation
import TestSupport

/// Children that live as long as the test process: killed by PID (SIGKILL) and their folder
/// removed when the process exits, since a shared fixture has no end of its own.
enum ProcessLifetimeCleanup {
    nonisolated(unsafe) private static var peers: [PeerProcess] = []
    nonisolated(unsafe) private static var directories: [TemporaryDirectory] = []
    private static let lock = NSLock()
    private static let registered: Bool = {
        atexit {
            ProcessLifetimeCleanup.runCleanup()
        }
        return true
    }()

    static func keep(_ peer: PeerProcess) {
        _ = registered
        lock.withLock { peers.append(peer) }
    }

    static func keep(_ directory: TemporaryDirectory) {
        _ = registered
        lock.withLock { directories.append(directory) }
    }

    private static func runCleanup() {
        let (toKill, toRemove) = lock.withLock { (peers, directories) }
        for peer in toKill { peer.kill() }
        for directory in toRemove { try? FileManager.default.removeItem(atPath: directory.path) }
    }
}
