#ifndef MFTOOL_CHDF5_SHIM_H
#define MFTOOL_CHDF5_SHIM_H
#include <hdf5.h>

// HDF5's type and flag macros expand to global variables behind H5open(); Swift cannot import
// them, so each is exposed through a static inline getter.
static inline hid_t mf_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t mf_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t mf_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t mf_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t mf_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t mf_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t mf_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t mf_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t mf_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t mf_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t mf_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t mf_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t mf_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t mf_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t mf_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t mf_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t mf_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t mf_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t mf_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned mf_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned mf_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned mf_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline size_t mf_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hsize_t mf_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t mf_H5E_DEFAULT(void) { return H5E_DEFAULT; }

// Silences HDF5's own printing of its error stack; callers raise Swift errors instead.
static inline void mf_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
