import CHDF5

// HDF5 wrapper layer (see HDF5Syscalls.swift): dataspaces, and a selection of rows in one.

extension HDF5Handle {
    /// `H5Screate_simple`: a dataspace of `dims`.
    static func simpleSpace(_ dims: [Int]) -> HDF5Handle? {
        let extent = dims.map { hsize_t($0) }
        return wrap(H5Screate_simple(Int32(extent.count), extent, nil), close: H5Sclose)
    }

    /// `H5Screate(H5S_SCALAR)`.
    static func scalarSpace() -> HDF5Handle? { wrap(H5Screate(H5S_SCALAR), close: H5Sclose) }

    /// `H5Sget_simple_extent_ndims` and `_dims`: this dataspace's dimensions (empty for a scalar).
    func spaceDimensions() -> [Int]? {
        let rank = H5Sget_simple_extent_ndims(id)
        guard rank >= 0 else { return nil }
        if rank == 0 { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        guard H5Sget_simple_extent_dims(id, &dims, nil) >= 0 else { return nil }
        return dims.map { Int($0) }
    }

    /// `H5Sget_simple_extent_npoints`: the number of elements of this dataspace.
    func spacePointCount() -> Int { Int(H5Sget_simple_extent_npoints(id)) }

    /// `H5Sselect_hyperslab` (`H5S_SELECT_SET`): this dataspace's elements `start ..< start +
    /// count` along the first dimension, every column of the others.
    func selectRows(_ start: Int, _ count: Int) -> Bool {
        guard let dims = spaceDimensions(), !dims.isEmpty else { return false }
        var offset = [hsize_t](repeating: 0, count: dims.count)
        var extent = dims.map { hsize_t($0) }
        offset[0] = hsize_t(start)
        extent[0] = hsize_t(count)
        return H5Sselect_hyperslab(id, H5S_SELECT_SET, offset, nil, extent, nil) >= 0
    }
}
