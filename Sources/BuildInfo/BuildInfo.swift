/// What the executables say about their build: `danegate --version`, `dane --version`,
/// `danezone --version`, the man pages scripts/install writes, and the gateway's
/// `danegate_build_info{version}` metric all read this one place.
public enum BuildInfo {
    /// The release, in semantic versioning (semver.org); raise it when a release is cut.
    public static let version = "0.13.0"
}
