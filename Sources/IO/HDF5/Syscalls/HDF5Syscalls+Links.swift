import CHDF5

// HDF5 wrapper layer (see HDF5Syscalls.swift): links, objects and groups, looked up by path
// with the handle's link access list.

extension HDF5Handle {
    /// `H5Lexists`: whether the link `name` exists (false also when an intermediate group is missing).
    func linkExists(_ name: String) -> Bool { H5Lexists(id, name, lapl) > 0 }

    /// `H5Oopen`: any object, by path.
    func openObject(_ name: String) -> HDF5Handle? {
        inheriting(HDF5Handle.wrap(H5Oopen(id, name, lapl), close: H5Oclose))
    }

    /// `H5Iget_type`: whether this open object is a group, a dataset or something else.
    var objectKind: HDF5File.ObjectKind {
        switch H5Iget_type(id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// `H5Lget_info`: whether the link `name` is an external link (to an object in another file).
    func linkIsExternal(_ name: String) -> Bool {
        var info = H5L_info_t()
        return H5Lget_info(id, name, &info, lapl) >= 0 && info.type == H5L_TYPE_EXTERNAL
    }

    /// `H5Oget_info_by_name2` (basic fields): the file address of the object `name` leads to,
    /// which identifies it whatever the path (hard links, soft links, cycles).
    func objectAddress(_ name: String) -> UInt64? {
        var info = H5O_info_t()
        guard H5Oget_info_by_name2(id, name, &info, UInt32(H5O_INFO_BASIC), lapl) >= 0 else { return nil }
        return UInt64(info.addr)
    }

    /// `H5Gopen2`.
    func openGroup(_ name: String) -> HDF5Handle? {
        inheriting(HDF5Handle.wrap(H5Gopen2(id, name, mf_H5P_DEFAULT()), close: H5Gclose))
    }

    /// `H5Gget_info`: the number of links in this group.
    func groupLinkCount() -> Int? {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { return nil }
        return Int(info.nlinks)
    }

    /// `H5Lget_name_by_idx` (length, then name): the name of link `index` of this group in name order.
    func linkName(at index: Int) -> String? {
        let k = hsize_t(index)
        let n = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, mf_H5P_DEFAULT())
        guard n >= 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(n) + 1)
        _ = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buffer, Int(n) + 1, mf_H5P_DEFAULT())
        return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `H5Gcreate2`, creating intermediate groups (`H5Pcreate`, `H5Pset_create_intermediate_group`).
    func createGroup(_ name: String) -> HDF5Handle? {
        let lcpl = HDF5Handle.wrap(H5Pcreate(mf_H5P_LINK_CREATE()), close: H5Pclose)
        if let lcpl { H5Pset_create_intermediate_group(lcpl.id, 1) }
        return HDF5Handle.wrap(H5Gcreate2(id, name, lcpl?.id ?? mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()),
                               close: H5Gclose)
    }
}
