// The most heap in use at once during a measurement, above what was in use
// when it started. heap_peak.cc replaces the global operator new and
// delete of the program it is linked into to count every allocation while
// a measurement runs (a relaxed flag test otherwise). One measurement at a
// time.
#ifndef TACT_BENCHMARKS_HEAP_PEAK_H_
#define TACT_BENCHMARKS_HEAP_PEAK_H_

#include <cstddef>

namespace tact::bench {

class HeapPeak {
 public:
  static void Start();
  // Bytes (as malloc_usable_size counts them).
  static size_t Stop();
};

}  // namespace tact::bench

#endif  // TACT_BENCHMARKS_HEAP_PEAK_H_
