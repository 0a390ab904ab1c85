import ArgumentParser
import Foundation

/// Writes a line to stdout and flushes at once, so a parent reading our stdout (tests read
/// the `LISTEN` lines) sees it without waiting for a buffer to fill.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// One line to stderr, the log.
func logLine(_ line: String) {
    FileHandle.standardError.write(Data(("danezone: " + line + "\n").utf8))
}

/// Reads a text file, with the path in the error.
func readText(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationError("cannot read \(path): \(error.localizedDescription)")
    }
}
