// tact's version: the one place it is written. CMakeLists.txt reads it for
// `project(tact VERSION ...)` (the shared library's version, the CMake
// package's and pkg-config's); `tact --version`, tact_version() in the C API,
// Python's tact.__version__ and every recorded decision's tact_version
// (DecideOptions::record) print it. C and C++ may include it.
//
// Example:
//
//   #include "tact/version.h"
//   std::cout << "built with tact " << TACT_VERSION << "\n";
#ifndef TACT_VERSION_H_
#define TACT_VERSION_H_

// "MAJOR.MINOR.PATCH". CMakeLists.txt matches this line with a regex: keep
// it one `#define TACT_VERSION "x.y.z"` line.
#define TACT_VERSION "0.1.0"

#ifdef __cplusplus
namespace tact {

// TACT_VERSION as a constant, for code that prefers one to a macro.
inline constexpr char kVersion[] = TACT_VERSION;

}  // namespace tact
#endif  // __cplusplus

#endif  // TACT_VERSION_H_
