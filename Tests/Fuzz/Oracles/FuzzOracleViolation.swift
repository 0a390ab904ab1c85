/// An invariant a fuzz oracle found broken: a bug in the code under test. The libFuzzer entry
/// points (Tests/Fuzz/<target>/Fuzz*.swift) turn it into a crash, which is what libFuzzer
/// records; the ordinary tests that replay the corpora (Tests/FuzzTests) report it as a failure.
public struct FuzzOracleViolation: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
