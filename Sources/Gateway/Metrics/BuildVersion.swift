/// The version `danegate --version` prints and `danegate_build_info{version}` carries.
public enum BuildVersion {
    public static let current = "0.1.0-dev"
}
