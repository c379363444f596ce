// tact._tact: the thin pybind11 layer under the pure-Python `tact` package.
//
// Everything crosses this boundary as serialized data: policies as text,
// JSON or wire-format bytes; contexts as proto3 JSON or wire-format bytes;
// decisions as wire-format bytes (and JSON on request). Errors come back as
// values (diagnostics, or an (ok, payload) pair), never as C++ exceptions;
// the `tact` package turns them into Python exceptions. So the Python side
// never depends on how protobuf's Python runtime is implemented, and this
// file stays small.
//
// Engine is an immutable std::shared_ptr<const tact::Engine>: safe for
// concurrent use by multiple threads. decide() and decide_many() release the
// GIL while parsing the context and deciding.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "tact/tact.h"

namespace py = pybind11;

namespace tact::python {
namespace {

// The most worker threads decide_many() starts, whatever is asked.
constexpr int kMaxThreads = 256;

// How a context payload is encoded.
enum class ContextEncoding { kJson = 0, kBinary = 1 };

// A decision as wire-format bytes, or the reason there is none.
struct Outcome {
  bool ok = false;
  std::string payload;  // Decision bytes when ok, else the error message.
};

// A compiled policy, shared and immutable.
class PyEngine {
 public:
  explicit PyEngine(std::shared_ptr<const Engine> engine)
      : engine_(std::move(engine)) {}

  // Parses one context and decides on it. REQUIRES: the GIL is released
  // (it touches no Python object).
  Outcome DecideWithoutGil(ContextEncoding encoding, const std::string& payload,
                           const DecideOptions& options) const {
    Outcome outcome;
    try {
      absl::StatusOr<v1::Context> context = encoding == ContextEncoding::kJson
                                                ? ContextFromJson(payload)
                                                : ContextFromBinary(payload);
      if (!context.ok()) {
        outcome.payload = std::string(context.status().message());
        return outcome;
      }
      absl::StatusOr<v1::Decision> decision =
          engine_->Decide(*context, options);
      if (!decision.ok()) {
        outcome.payload = std::string(decision.status().message());
        return outcome;
      }
      if (!decision->SerializeToString(&outcome.payload)) {
        outcome.payload = "the decision could not be serialized";
        return outcome;
      }
      outcome.ok = true;
    } catch (const std::exception& e) {  // e.g. std::bad_alloc
      outcome.ok = false;
      outcome.payload = e.what();
    }
    return outcome;
  }

  const Engine& engine() const { return *engine_; }

 private:
  std::shared_ptr<const Engine> engine_;
};

DecideOptions MakeOptions(const std::string& authority, bool trace) {
  DecideOptions options;
  options.authority = authority;
  options.trace = trace;
  return options;
}

py::tuple ToPython(Outcome outcome) {
  if (outcome.ok) return py::make_tuple(true, py::bytes(outcome.payload));
  // Messages may quote arbitrary input bytes; never fail on bad UTF-8.
  py::str message = py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
      outcome.payload.data(), static_cast<Py_ssize_t>(outcome.payload.size()),
      "replace"));
  return py::make_tuple(false, message);
}

py::str DecodeReplacing(const std::string& text) {
  return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
      text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
}

py::dict DiagnosticToPython(const Diagnostic& d) {
  py::dict out;
  out["severity"] =
      d.severity == Diagnostic::Severity::kError ? "error" : "warning";
  out["file"] = DecodeReplacing(d.file);
  out["line"] = d.line;
  out["column"] = d.column;
  out["element"] = DecodeReplacing(d.element);
  out["message"] = DecodeReplacing(d.message);
  out["text"] = DecodeReplacing(d.ToString());
  return out;
}

// (engine or None, [diagnostic dicts]).
py::tuple CompileResultToPython(CompileResult result) {
  py::list diagnostics;
  for (const Diagnostic& d : result.diagnostics) {
    diagnostics.append(DiagnosticToPython(d));
  }
  if (result.engine == nullptr) return py::make_tuple(py::none(), diagnostics);
  auto engine = std::make_shared<PyEngine>(
      std::shared_ptr<const Engine>(std::move(result.engine)));
  return py::make_tuple(py::cast(engine), diagnostics);
}

PolicyFormat ToPolicyFormat(int format) {
  switch (format) {
    case 1:
      return PolicyFormat::kText;
    case 2:
      return PolicyFormat::kJson;
    case 3:
      return PolicyFormat::kBinary;
    default:
      throw py::value_error("format must be 1 (text), 2 (json) or 3 (binary)");
  }
}

ContextEncoding ToEncoding(int encoding) {
  if (encoding == 0) return ContextEncoding::kJson;
  if (encoding == 1) return ContextEncoding::kBinary;
  throw py::value_error("encoding must be 0 (json) or 1 (binary)");
}

py::list DecideMany(const PyEngine& self,
                    std::vector<std::pair<int, std::string>> inputs,
                    const std::string& authority, bool trace, int threads) {
  // Copied out of Python objects above (the GIL is held for the arguments);
  // from here on no Python object is touched until the results are built.
  std::vector<ContextEncoding> encodings;
  encodings.reserve(inputs.size());
  for (const auto& input : inputs) encodings.push_back(ToEncoding(input.first));
  const DecideOptions options = MakeOptions(authority, trace);
  std::vector<Outcome> outcomes(inputs.size());
  {
    py::gil_scoped_release release;
    const size_t n = inputs.size();
    size_t workers = threads > 0
                         ? static_cast<size_t>(threads)
                         : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min({workers, n, static_cast<size_t>(kMaxThreads)});
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        outcomes[i] =
            self.DecideWithoutGil(encodings[i], inputs[i].second, options);
      }
    };
    std::vector<std::thread> pool;
    if (workers > 1) {
      pool.reserve(workers - 1);
      for (size_t t = 0; t + 1 < workers; ++t) {
        try {
          pool.emplace_back(work);
        } catch (const std::system_error&) {
          break;  // fewer threads than asked; this thread still works
        }
      }
    }
    work();
    for (std::thread& t : pool) t.join();
  }
  py::list results;
  for (Outcome& outcome : outcomes)
    results.append(ToPython(std::move(outcome)));
  return results;
}

}  // namespace
}  // namespace tact::python

PYBIND11_MODULE(_tact, m) {
  using tact::python::PyEngine;
  namespace tp = tact::python;
  m.doc() =
      "Thin bindings over the tact C++ library; use the `tact` package "
      "instead.";

  py::class_<PyEngine, std::shared_ptr<PyEngine>>(m, "Engine")
      .def(
          "decide",
          [](const PyEngine& self, int encoding, const std::string& payload,
             const std::string& authority, bool trace) {
            const tp::ContextEncoding e = tp::ToEncoding(encoding);
            const tact::DecideOptions options =
                tp::MakeOptions(authority, trace);
            tp::Outcome outcome;
            {
              py::gil_scoped_release release;
              outcome = self.DecideWithoutGil(e, payload, options);
            }
            return tp::ToPython(std::move(outcome));
          },
          py::arg("encoding"), py::arg("payload"), py::arg("authority"),
          py::arg("trace"),
          "Decides on one context. Returns (True, decision bytes) or "
          "(False, error message).")
      .def("decide_many", &tp::DecideMany, py::arg("inputs"),
           py::arg("authority"), py::arg("trace"), py::arg("threads"),
           "Decides on [(encoding, payload)] across `threads` C++ threads "
           "(0: one per core) with the GIL released. Returns a list of "
           "(ok, payload) as decide().")
      .def_property_readonly(
          "policy_name",
          [](const PyEngine& self) {
            return tp::DecodeReplacing(self.engine().policy().name());
          })
      .def_property_readonly(
          "policy_version",
          [](const PyEngine& self) {
            return tp::DecodeReplacing(self.engine().policy().version());
          })
      .def_property_readonly(
          "policy_hash",
          [](const PyEngine& self) { return self.engine().policy_hash(); })
      .def_property_readonly("authorities",
                             [](const PyEngine& self) {
                               std::vector<std::string> out(
                                   self.engine().policy().authorities().begin(),
                                   self.engine().policy().authorities().end());
                               return out;
                             })
      .def(
          "policy_bytes",
          [](const PyEngine& self) {
            std::string bytes;
            self.engine().policy().SerializeToString(&bytes);
            return py::bytes(bytes);
          },
          "The compiled policy in protobuf wire format.");

  m.def(
      "compile_file",
      [](const std::string& path) {
        tact::CompileResult result;
        {
          py::gil_scoped_release release;
          result = tact::Engine::Compile(path);
        }
        return tp::CompileResultToPython(std::move(result));
      },
      py::arg("path"),
      "Compiles a policy file. Returns (Engine or None, [diagnostic dict]).");
  m.def(
      "compile_text",
      [](const std::string& text, int format, const std::string& source_name) {
        const tact::PolicyFormat f = tp::ToPolicyFormat(format);
        tact::CompileResult result;
        {
          py::gil_scoped_release release;
          result = tact::Engine::CompileText(text, f, source_name);
        }
        return tp::CompileResultToPython(std::move(result));
      },
      py::arg("text"), py::arg("format"), py::arg("source_name"),
      "Compiles policy text (1 text, 2 json, 3 binary). Returns (Engine or "
      "None, [diagnostic dict]).");
  m.def(
      "decision_to_json",
      [](const std::string& decision_bytes, bool pretty) -> py::object {
        tact::v1::Decision decision;
        if (!decision.ParseFromString(decision_bytes)) return py::none();
        return py::str(tact::DecisionToJson(decision, pretty));
      },
      py::arg("decision"), py::arg("pretty"),
      "tact::DecisionToJson of wire-format decision bytes; None if they do "
      "not parse.");
  m.def(
      "context_from_json",
      [](const std::string& json) {
        absl::StatusOr<tact::v1::Context> context = tact::ContextFromJson(json);
        tp::Outcome outcome;
        if (context.ok()) {
          outcome.ok = context->SerializeToString(&outcome.payload);
        } else {
          outcome.payload = std::string(context.status().message());
        }
        return tp::ToPython(std::move(outcome));
      },
      py::arg("json"),
      "Parses a proto3 JSON context. Returns (True, context bytes) or "
      "(False, error message).");
}
