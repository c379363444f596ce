// Python's cost over C++, in Google Benchmark: the `tact` package's
// decide() and decide_many() called through an embedded interpreter
// (Debian's Python, the one the bindings are built for), on the shipped
// service playbook's example cases. Compare with BM_ServicePlaybook in
// decide_benchmark, the same decisions made in C++.
#include <pybind11/embed.h>

#include <string>

#include "benchmark/benchmark.h"

namespace py = pybind11;

namespace {

// The interpreter, the engine and the contexts (as dicts), made once; the
// interpreter lives until the process exits.
struct Python {
  py::scoped_interpreter interpreter;
  py::object engine;
  py::list contexts;
  std::string error;
};

Python& Shared() {
  static Python* python = [] {
    auto* p = new Python();
    try {
      py::dict scope;
      scope["package_dir"] = TACT_PYTHON_DIR;
      scope["source_dir"] = TACT_SOURCE_DIR;
      py::exec(R"(
import json, pathlib, sys
sys.path.insert(0, package_dir)
import tact
root = pathlib.Path(source_dir)
engine = tact.Engine.from_file(
    str(root / "examples/policies/service_playbook.textproto"))
contexts = [json.loads(p.read_text())
            for p in (root / "examples/contexts").glob("playbook_*.json")]
contexts.sort(key=lambda d: d.get("case", {}).get("id", ""))
)",
               scope);
      p->engine = scope["engine"];
      p->contexts = scope["contexts"];
    } catch (const std::exception& e) {
      p->error = e.what();
    }
    return p;
  }();
  return *python;
}

// engine.decide(dict), cycling through the example cases.
void BM_PythonDecide(benchmark::State& state) {
  Python& python = Shared();
  if (!python.error.empty()) return state.SkipWithError(python.error.c_str());
  py::object decide = python.engine.attr("decide");
  const size_t n = python.contexts.size();
  size_t i = 0;
  for (auto _ : state) {
    py::object decision = decide(python.contexts[i++ % n]);
    benchmark::DoNotOptimize(decision.ptr());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PythonDecide);

// engine.decide_many(batch, threads=T) for a batch of <range(0)> contexts;
// time per decision.
void BM_PythonDecideMany(benchmark::State& state) {
  Python& python = Shared();
  if (!python.error.empty()) return state.SkipWithError(python.error.c_str());
  py::list batch;
  for (int64_t k = 0; k < state.range(0); ++k) {
    batch.append(python.contexts[k % python.contexts.size()]);
  }
  py::object decide_many = python.engine.attr("decide_many");
  for (auto _ : state) {
    py::object decisions =
        decide_many(batch, py::arg("threads") = state.range(1));
    benchmark::DoNotOptimize(decisions.ptr());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PythonDecideMany)
    ->Args({14, 1})
    ->Args({1400, 1})
    ->Args({1400, 2})
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
