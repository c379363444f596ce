// TACT_EXPORT marks tact's public API for the shared library.
//
// libtact.so is compiled with -fvisibility=hidden, so only declarations marked
// TACT_EXPORT (and the generated tact.v1 message classes, which the C++ API
// takes and returns) are visible; a linker version script (src/libtact.map)
// then keeps the dynamic symbol table to tact's own names. Hosts never need to
// define anything: the macro is empty for static builds and for compilers
// without visibility attributes.
#ifndef TACT_EXPORT_H_
#define TACT_EXPORT_H_

#if !defined(TACT_EXPORT)
#if defined(_WIN32)
#if defined(TACT_SHARED_LIBRARY) && defined(TACT_COMPILE_LIBRARY)
#define TACT_EXPORT __declspec(dllexport)
#elif defined(TACT_SHARED_LIBRARY)
#define TACT_EXPORT __declspec(dllimport)
#else
#define TACT_EXPORT
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define TACT_EXPORT __attribute__((visibility("default")))
#else
#define TACT_EXPORT
#endif
#endif  // !defined(TACT_EXPORT)

#endif  // TACT_EXPORT_H_
