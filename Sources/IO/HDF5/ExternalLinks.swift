/// Whether HDF5 external links (objects stored in another file) are followed: off unless a
/// command sets it on request, so that an input cannot make mftool open another file.
public enum ExternalLinks {
    public static var follow: Bool {
        get { HDF5Library.followExternalLinks }
        set { HDF5Library.followExternalLinks = newValue }
    }
}
