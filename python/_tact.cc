// tact._tact: the thin pybind11 layer under the pure-Python `tact` package.
//
// Policies cross this boundary as text, JSON or wire-format bytes; contexts
// as proto3 JSON, wire-format bytes or, on the fast path, a Python dict
// walked in C++ (dict_context.h); decisions come back as tact.Decision
// objects built from the C++ message (decision_objects.h), which print their
// JSON only when asked. Errors come back as values (diagnostics, a message
// str, or an (ok, payload) pair), never as C++ exceptions; the `tact` package
// turns them into Python exceptions. The Python side never depends on how
// protobuf's Python runtime is implemented.
//
// Engine is an immutable std::shared_ptr<const tact::Engine>: safe for
// concurrent use by multiple threads. decide() and decide_many() release the
// GIL while parsing JSON or bytes and deciding; dicts are read with it held.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "decision_objects.h"
#include "dict_context.h"
#include "tact/batch.h"
#include "tact/tact.h"

namespace py = pybind11;

namespace tact::python {
namespace {

// How a context payload is encoded.
enum class ContextEncoding { kJson = 0, kBinary = 1, kParsed = 2 };

// A decision, or the reason there is none.
struct Outcome {
  bool ok = false;
  v1::Decision decision;  // When ok.
  std::string error;      // When not ok.
};

// A context already converted from a dict (context_from_dict()), handed to
// decide_many() as encoding 2. Immutable.
struct ParsedContext {
  v1::Context context;
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
        outcome.error = std::string(context.status().message());
        return outcome;
      }
      return DecideWithoutGil(*context, options);
    } catch (const std::exception& e) {  // e.g. std::bad_alloc
      outcome.ok = false;
      outcome.error = e.what();
    }
    return outcome;
  }

  // Decides on a parsed context. REQUIRES: the GIL is released.
  Outcome DecideWithoutGil(const v1::Context& context,
                           const DecideOptions& options) const {
    Outcome outcome;
    try {
      absl::StatusOr<v1::Decision> decision = engine_->Decide(context, options);
      if (!decision.ok()) {
        outcome.error = std::string(decision.status().message());
        return outcome;
      }
      outcome.decision = *std::move(decision);
      outcome.ok = true;
    } catch (const std::exception& e) {  // e.g. std::bad_alloc
      outcome.ok = false;
      outcome.error = e.what();
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

py::str DecodeReplacing(const std::string& text) {
  return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
      text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
}

// A decision as a tact.Decision object, an error as its message.
py::object ToPython(Outcome outcome) {
  if (outcome.ok) return DecisionToPython(std::move(outcome.decision));
  // Messages may quote arbitrary input bytes; never fail on bad UTF-8.
  return DecodeReplacing(outcome.error);
}

// (ok, tact.Decision or error message), as decide() returns.
py::tuple ToPythonPair(Outcome outcome) {
  const bool ok = outcome.ok;
  return py::make_tuple(ok, ToPython(std::move(outcome)));
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
  if (encoding == 2) return ContextEncoding::kParsed;
  throw py::value_error("encoding must be 0 (json), 1 (binary) or 2 (parsed)");
}

// decide() on a dict: the tact.Decision, the error message (str), or None
// when only the JSON path defines the dict's meaning (see dict_context.h).
py::object DecideDict(const PyEngine& self, py::handle dict,
                      const std::string& authority, bool trace) {
  v1::Context context;
  std::string error;
  switch (ContextFromDict(dict.ptr(), &context, &error)) {
    case DictConversion::kUnsupported:
      return py::none();
    case DictConversion::kInvalid:
      return DecodeReplacing(error);
    case DictConversion::kOk:
      break;
  }
  const DecideOptions options = MakeOptions(authority, trace);
  Outcome outcome;
  {
    py::gil_scoped_release release;
    outcome = self.DecideWithoutGil(context, options);
  }
  return ToPython(std::move(outcome));
}

// context_from_dict(): a ParsedContext, the error message, or None.
py::object ParseDict(py::handle dict) {
  auto parsed = std::make_shared<ParsedContext>();
  std::string error;
  switch (ContextFromDict(dict.ptr(), &parsed->context, &error)) {
    case DictConversion::kUnsupported:
      return py::none();
    case DictConversion::kInvalid:
      return DecodeReplacing(error);
    case DictConversion::kOk:
      break;
  }
  return py::cast(std::move(parsed));
}

// A decide_many() outcome as the (ok, tact.Decision or message) pair.
py::tuple ToPythonPair(absl::StatusOr<v1::Decision> decision) {
  Outcome outcome;
  outcome.ok = decision.ok();
  if (outcome.ok) {
    outcome.decision = *std::move(decision);
  } else {
    outcome.error = std::string(decision.status().message());
  }
  return ToPythonPair(std::move(outcome));
}

py::list DecideMany(const PyEngine& self, py::list inputs,
                    const std::string& authority, bool trace, int threads) {
  // Everything is read out of the Python objects here, with the GIL held
  // (the list keeps the parsed contexts alive); from there on no Python
  // object is touched until the results are built.
  const size_t n = inputs.size();
  std::vector<std::string> payloads(n);
  std::vector<BatchContext> batch;
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto [encoding, payload] = inputs[i].cast<std::pair<int, py::object>>();
    switch (ToEncoding(encoding)) {
      case ContextEncoding::kParsed:
        batch.push_back(
            BatchContext::Parsed(payload.cast<const ParsedContext&>().context));
        break;
      case ContextEncoding::kJson:
        payloads[i] = payload.cast<std::string>();
        batch.push_back(BatchContext::Json(payloads[i]));
        break;
      case ContextEncoding::kBinary:
        payloads[i] = payload.cast<std::string>();
        batch.push_back(BatchContext::Binary(payloads[i]));
        break;
    }
  }
  BatchOptions options;
  options.decide = MakeOptions(authority, trace);
  options.threads = threads;
  std::vector<absl::StatusOr<v1::Decision>> outcomes;
  {
    py::gil_scoped_release release;
    outcomes = tact::DecideMany(self.engine(), batch, options);
  }
  py::list results(n);
  for (size_t i = 0; i < n; ++i) {
    PyList_SET_ITEM(results.ptr(), static_cast<Py_ssize_t>(i),
                    ToPythonPair(std::move(outcomes[i])).release().ptr());
  }
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
            if (e == tp::ContextEncoding::kParsed) {
              throw py::value_error("decide() takes encoding 0 or 1");
            }
            tp::Outcome outcome;
            {
              py::gil_scoped_release release;
              outcome = self.DecideWithoutGil(e, payload, options);
            }
            return tp::ToPythonPair(std::move(outcome));
          },
          py::arg("encoding"), py::arg("payload"), py::arg("authority"),
          py::arg("trace"),
          "Decides on one context. Returns (True, tact.Decision) or "
          "(False, error message).")
      .def("decide_dict", &tp::DecideDict, py::arg("context"),
           py::arg("authority"), py::arg("trace"),
           "Decides on a context dict without JSON. Returns a tact.Decision, "
           "the error message (str), or None when the dict must go through "
           "the JSON path.")
      .def("decide_many", &tp::DecideMany, py::arg("inputs"),
           py::arg("authority"), py::arg("trace"), py::arg("threads"),
           "Decides on [(encoding, payload)] across `threads` C++ threads "
           "(0: one per core) with the GIL released; encoding 2 takes a "
           "ParsedContext from context_from_dict(). Returns a list of "
           "(ok, tact.Decision or error message).")
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
  py::class_<tp::ParsedContext, std::shared_ptr<tp::ParsedContext>>(
      m, "ParsedContext",
      "A tact.v1.Context converted from a dict by context_from_dict().")
      .def(
          "to_bytes",
          [](const tp::ParsedContext& self) {
            std::string bytes;
            self.context.SerializeToString(&bytes);
            return py::bytes(bytes);
          },
          "The context in protobuf wire format.");
  py::class_<tp::DecisionMessage, std::shared_ptr<tp::DecisionMessage>>(
      m, "DecisionMessage", "The C++ tact.v1.Decision behind a tact.Decision.")
      .def("to_json", &tp::DecisionMessage::ToJson, py::arg("pretty"),
           "tact::DecisionToJson(decision, pretty).")
      .def("to_bytes", &tp::DecisionMessage::ToBytes,
           "The decision in protobuf wire format.");

  m.def("context_from_dict", &tp::ParseDict, py::arg("context"),
        "Converts a context dict without JSON. Returns a ParsedContext, the "
        "error message (str), or None when the dict must go through the "
        "JSON path.");
  m.def("register_decision_types", &tp::RegisterDecisionTypes,
        py::arg("decision"), py::arg("reason"), py::arg("recommended_action"),
        py::arg("blocked_action"), py::arg("effect"), py::arg("flag"),
        py::arg("rule_trace"),
        "Called once by tact.decision: the classes decisions are built from.");
  m.def(
      "fill_decision",
      [](py::handle self, const std::string& decision_bytes) {
        tact::v1::Decision decision;
        if (!decision.ParseFromString(decision_bytes)) return false;
        tp::FillDecision(
            self, std::make_shared<tp::DecisionMessage>(std::move(decision)));
        return true;
      },
      py::arg("self"), py::arg("decision"),
      "Fills a tact.Decision from wire-format decision bytes. False if they "
      "do not parse.");
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
        if (!context.ok()) {
          return py::make_tuple(
              false,
              tp::DecodeReplacing(std::string(context.status().message())));
        }
        std::string bytes;
        context->SerializeToString(&bytes);
        return py::make_tuple(true, py::bytes(bytes));
      },
      py::arg("json"),
      "Parses a proto3 JSON context. Returns (True, context bytes) or "
      "(False, error message).");
}
