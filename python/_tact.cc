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

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "decision_objects.h"
#include "dict_context.h"
#include "google/protobuf/util/json_util.h"
#include "tact/batch.h"
#include "tact/codes.h"
#include "tact/coverage.h"
#include "tact/decision_log.h"
#include "tact/policy_test.h"
#include "tact/simulation.h"
#include "tact/tact.h"
#include "tact/version.h"

namespace py = pybind11;

namespace tact::python {
namespace {

// How a context payload is encoded.
enum class ContextEncoding { kJson = 0, kBinary = 1, kParsed = 2 };

// simulate()'s encoding for a case the Python side could not convert; its
// payload is the message.
constexpr int kFailedEncoding = 3;

// A decision, or the reason there is none.
struct Outcome {
  bool ok = false;
  v1::Decision decision;  // When ok.
  std::string error;      // When not ok.
  // When not ok, what kind of failure: kInvalidArgument for a malformed
  // context (ContextError in Python), kResourceExhausted for out of memory
  // or an evaluation budget (ResourceExhaustedError), kDeadlineExceeded
  // (DeadlineExceededError), kCancelled (a batch stopped by a signal).
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;
};

// A context already converted from a dict (context_from_dict()), handed to
// decide_many() as encoding 2. Immutable.
struct ParsedContext {
  v1::Context context;
};

// Decides on a parsed context with `decider` (an Engine or an
// EngineHandle). REQUIRES: the GIL is released.
template <typename Decider>
Outcome DecideParsed(const Decider& decider, const v1::Context& context,
                     const DecideOptions& options) {
  Outcome outcome;
  try {
    absl::StatusOr<v1::Decision> decision = decider.Decide(context, options);
    if (!decision.ok()) {
      outcome.error = std::string(decision.status().message());
      outcome.code = decision.status().code();
      return outcome;
    }
    outcome.decision = *std::move(decision);
    outcome.ok = true;
  } catch (const std::bad_alloc&) {
    outcome.ok = false;
    outcome.code = absl::StatusCode::kResourceExhausted;
    outcome.error = "out of memory while deciding";
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.error = e.what();
  }
  return outcome;
}

// Parses one context and decides on it with `decider`. REQUIRES: the GIL is
// released (it touches no Python object).
template <typename Decider>
Outcome DecidePayload(const Decider& decider, ContextEncoding encoding,
                      const std::string& payload,
                      const DecideOptions& options) {
  Outcome outcome;
  try {
    absl::StatusOr<v1::Context> context = encoding == ContextEncoding::kJson
                                              ? ContextFromJson(payload)
                                              : ContextFromBinary(payload);
    if (!context.ok()) {
      outcome.error = std::string(context.status().message());
      return outcome;
    }
    return DecideParsed(decider, *context, options);
  } catch (const std::bad_alloc&) {
    outcome.ok = false;
    outcome.code = absl::StatusCode::kResourceExhausted;
    outcome.error = "out of memory while reading the context";
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.error = e.what();
  }
  return outcome;
}

// A compiled policy, shared and immutable.
class PyEngine {
 public:
  explicit PyEngine(std::shared_ptr<const Engine> engine)
      : engine_(std::move(engine)) {}

  // Parses one context and decides on it. REQUIRES: the GIL is released
  // (it touches no Python object).
  Outcome DecideWithoutGil(ContextEncoding encoding, const std::string& payload,
                           const DecideOptions& options) const {
    return DecidePayload(*engine_, encoding, payload, options);
  }

  // Decides on a parsed context. REQUIRES: the GIL is released.
  Outcome DecideWithoutGil(const v1::Context& context,
                           const DecideOptions& options) const {
    return DecideParsed(*engine_, context, options);
  }

  const Engine& engine() const { return *engine_; }
  const std::shared_ptr<const Engine>& shared() const { return engine_; }

 private:
  std::shared_ptr<const Engine> engine_;
};

// tact::EngineHandle: a serving engine swapped whole, and an optional
// candidate shadowing it. Safe for concurrent use by multiple threads.
class PyEngineHandle {
 public:
  explicit PyEngineHandle(const PyEngine& engine) : handle_(engine.shared()) {}

  // As PyEngine's. REQUIRES: the GIL is released.
  Outcome DecideWithoutGil(ContextEncoding encoding, const std::string& payload,
                           const DecideOptions& options) const {
    return DecidePayload(handle_, encoding, payload, options);
  }
  Outcome DecideWithoutGil(const v1::Context& context,
                           const DecideOptions& options) const {
    return DecideParsed(handle_, context, options);
  }

  EngineHandle& handle() { return handle_; }
  const EngineHandle& handle() const { return handle_; }

 private:
  EngineHandle handle_;
};

// timeout_ms < 0: no deadline; otherwise the decision (or the whole batch)
// must be done within that many milliseconds from now.
absl::Time Deadline(int64_t timeout_ms) {
  return timeout_ms < 0 ? absl::InfiniteFuture()
                        : absl::Now() + absl::Milliseconds(timeout_ms);
}

// trace_level: a v1::TraceLevel number (tact/engine.py maps trace=
// "evaluated", True, ... to it).
DecideOptions MakeOptions(const std::string& authority, int trace_level,
                          int64_t timeout_ms, bool record = false) {
  if (!v1::TraceLevel_IsValid(trace_level)) {
    throw py::value_error(
        "trace_level must be 0 (off), 1 (evaluated) or 2 (full)");
  }
  DecideOptions options;
  options.authority = authority;
  options.trace_level = static_cast<v1::TraceLevel>(trace_level);
  options.record = record;
  options.deadline = Deadline(timeout_ms);
  return options;
}

// Lets Ctrl-C stop a batch: installed as the batch's progress callback
// (called from the calling thread about every 100 ms while the workers
// decide, with the GIL released), it takes the GIL briefly to run Python's
// signal handlers; when one raises (KeyboardInterrupt), it sets the
// cancellation flag so that the remaining decisions stop at once.
class SignalWatch {
 public:
  std::function<void(int64_t, int64_t)> Callback() {
    return [this](int64_t, int64_t) {
      if (cancel_.load()) return;
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {
        // The exception stays set in this thread until Rethrow.
        cancel_.store(true);
      }
    };
  }
  const std::atomic<bool>* flag() const { return &cancel_; }
  // REQUIRES: the GIL is held. Raises the signal handler's exception.
  void RethrowIfInterrupted() const {
    if (cancel_.load()) throw py::error_already_set();
  }

 private:
  std::atomic<bool> cancel_{false};
};

py::str DecodeReplacing(const std::string& text) {
  return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
      text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
}

// A decision as a tact.Decision object, an error as its message (a str),
// or another failure as (kind, message): kind "resource_exhausted",
// "deadline_exceeded" or "cancelled".
py::object ToPython(Outcome outcome) {
  if (outcome.ok) return DecisionToPython(std::move(outcome.decision));
  // Messages may quote arbitrary input bytes; never fail on bad UTF-8.
  switch (outcome.code) {
    case absl::StatusCode::kResourceExhausted:
      return py::make_tuple("resource_exhausted",
                            DecodeReplacing(outcome.error));
    case absl::StatusCode::kDeadlineExceeded:
      return py::make_tuple("deadline_exceeded",
                            DecodeReplacing(outcome.error));
    case absl::StatusCode::kCancelled:
      return py::make_tuple("cancelled", DecodeReplacing(outcome.error));
    default:
      return DecodeReplacing(outcome.error);
  }
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
  out["check"] = DecodeReplacing(d.check);
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

// CompileOptions' fields by name, for tact.CompileOptions (engine.py):
// every limit is an int. The one list of them, so Python's defaults come
// from C++.
struct CompileOptionField {
  const char* name;
  int64_t (*get)(const CompileOptions&);
  void (*set)(CompileOptions&, int64_t);
};

#define TACT_COMPILE_OPTION(field)                                    \
  CompileOptionField {                                                \
#field, [](const CompileOptions& o) -> int64_t { return o.field; }, \
        [](CompileOptions& o, int64_t v) {                              \
          o.field = static_cast<decltype(o.field)>(v);                  \
        } \
  }
const CompileOptionField kCompileOptionFields[] = {
    TACT_COMPILE_OPTION(max_rules),
    TACT_COMPILE_OPTION(max_expression_bytes),
    TACT_COMPILE_OPTION(max_nesting_depth),
    TACT_COMPILE_OPTION(max_regex_memory),
    TACT_COMPILE_OPTION(max_policy_bytes),
    TACT_COMPILE_OPTION(max_evaluation_depth),
    TACT_COMPILE_OPTION(max_actions),
    TACT_COMPILE_OPTION(max_definitions),
    TACT_COMPILE_OPTION(max_repeated_field),
};
#undef TACT_COMPILE_OPTION

py::dict CompileOptionsToPython(const CompileOptions& options) {
  py::dict out;
  for (const CompileOptionField& f : kCompileOptionFields) {
    out[f.name] = f.get(options);
  }
  return out;
}

// {name: int} as CompileOptions: the defaults for names not given;
// ValueError for an unknown name or a value that is not a positive int of
// the field's width.
CompileOptions CompileOptionsFromPython(const py::dict& given) {
  CompileOptions options;
  for (const auto& item : given) {
    const std::string name = py::cast<std::string>(item.first);
    const CompileOptionField* field = nullptr;
    for (const CompileOptionField& f : kCompileOptionFields) {
      if (name == f.name) field = &f;
    }
    if (field == nullptr) {
      throw py::value_error("unknown compile option '" + name + "'");
    }
    const int64_t value = py::cast<int64_t>(item.second);
    field->set(options, value);
    if (value < 1 || field->get(options) != value) {
      throw py::value_error("compile option " + name + " = " +
                            std::to_string(value) + " is out of range");
    }
  }
  return options;
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

// A context message each thread converts its dicts into, cleared and
// reused (its storage kept) by DecideDict. Taken by one call at a time:
// a call made while it is taken (a tzinfo's utcoffset() deciding, say) gets
// a message of its own.
class ReusedContext {
 public:
  ReusedContext() {
    if (!in_use_) {
      in_use_ = true;
      taken_ = &shared_;
      shared_.Clear();
    } else {
      own_ = std::make_unique<v1::Context>();
      taken_ = own_.get();
    }
  }
  ~ReusedContext() {
    if (own_ != nullptr) return;
    in_use_ = false;
    // A context of a hostile size (a huge history or attribute map) is not
    // kept for the thread's lifetime.
    if (shared_.history_size() > kMaxKeptEntries ||
        shared_.attributes_size() > kMaxKeptEntries) {
      v1::Context().Swap(&shared_);
    }
  }
  ReusedContext(const ReusedContext&) = delete;
  ReusedContext& operator=(const ReusedContext&) = delete;

  v1::Context* get() { return taken_; }

 private:
  static constexpr int kMaxKeptEntries = 1024;
  static thread_local v1::Context shared_;
  static thread_local bool in_use_;
  std::unique_ptr<v1::Context> own_;
  v1::Context* taken_;
};
thread_local v1::Context ReusedContext::shared_;
thread_local bool ReusedContext::in_use_ = false;

// Decides on `context` for DecideDict. The engine decides into `*out`, a
// recycled message (TakeRecycledDecision, taken with the GIL held), reusing
// a dropped decision's storage; a handle decides as usual, into a new one.
// REQUIRES: the GIL is released.
Outcome DecideForDict(const PyEngine& self, const v1::Context& context,
                      const DecideOptions& options,
                      std::unique_ptr<v1::Decision>* out) {
  Outcome outcome;
  try {
    const absl::Status status =
        self.engine().DecideInto(context, options, out->get());
    if (!status.ok()) {
      outcome.error = std::string(status.message());
      outcome.code = status.code();
      return outcome;
    }
    outcome.ok = true;
  } catch (const std::bad_alloc&) {
    outcome.code = absl::StatusCode::kResourceExhausted;
    outcome.error = "out of memory while deciding";
  } catch (const std::exception& e) {
    outcome.error = e.what();
  }
  return outcome;
}
Outcome DecideForDict(const PyEngineHandle& self, const v1::Context& context,
                      const DecideOptions& options,
                      std::unique_ptr<v1::Decision>* out) {
  Outcome outcome = self.DecideWithoutGil(context, options);
  if (outcome.ok) (*out)->Swap(&outcome.decision);
  return outcome;
}

// decide() on a dict: the tact.Decision, the error message (str), or None
// when only the JSON path defines the dict's meaning (see dict_context.h).
template <typename Self>
py::object DecideDict(const Self& self, py::handle dict,
                      const std::string& authority, int trace_level,
                      int64_t timeout_ms, bool record) {
  ReusedContext context;
  std::string error;
  switch (ContextFromDict(dict.ptr(), context.get(), &error)) {
    case DictConversion::kUnsupported:
      return py::none();
    case DictConversion::kInvalid:
      return DecodeReplacing(error);
    case DictConversion::kOk:
      break;
  }
  const DecideOptions options =
      MakeOptions(authority, trace_level, timeout_ms, record);
  Outcome outcome;
  // Taken here, with the GIL held, as every dropped decision is given back:
  // the pool's lock is never held while Python runs without the GIL (a
  // fork then cannot copy it locked).
  std::unique_ptr<v1::Decision> decision = TakeRecycledDecision();
  {
    py::gil_scoped_release release;
    outcome = DecideForDict(self, *context.get(), options, &decision);
  }
  if (outcome.ok) return DecisionToPython(std::move(decision));
  return ToPython(std::move(outcome));
}

// decide_dict_default(engine, context): engine.decide_dict(context, "", 0)
// called without pybind11's argument handling (about 0.3 us), for
// Engine.decide with every option at its default.
PyObject* DecideDictDefault(PyObject* /*module*/, PyObject* const* args,
                            Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_SetString(PyExc_TypeError,
                    "decide_dict_default takes (engine, context)");
    return nullptr;
  }
  try {
    static const std::string* const kNoAuthority = new std::string();
    const auto& engine = py::handle(args[0]).cast<const PyEngine&>();
    return DecideDict(engine, args[1], *kNoAuthority, 0, -1, false)
        .release()
        .ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::cast_error&) {
    PyErr_SetString(PyExc_TypeError,
                    "decide_dict_default takes a _tact.Engine first");
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
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

// One (encoding, payload) input as a BatchContext. JSON and bytes are copied
// into `*storage`, which must outlive the batch; a parsed context is kept
// alive by the caller's list. REQUIRES: the GIL is held.
BatchContext ToBatchContext(ContextEncoding encoding, const py::object& payload,
                            std::string* storage) {
  switch (encoding) {
    case ContextEncoding::kParsed:
      return BatchContext::Parsed(payload.cast<const ParsedContext&>().context);
    case ContextEncoding::kJson:
      *storage = payload.cast<std::string>();
      return BatchContext::Json(*storage);
    case ContextEncoding::kBinary:
      *storage = payload.cast<std::string>();
      return BatchContext::Binary(*storage);
  }
  throw py::value_error("unknown encoding");
}

// The strings of one codes.h enum, in declaration order.
template <typename Enum, size_t N>
py::tuple CodeNames(const Enum (&all)[N]) {
  py::tuple out(N);
  for (size_t i = 0; i < N; ++i) {
    const absl::string_view name = Name(all[i]);
    out[i] = py::str(name.data(), name.size());
  }
  return out;
}

// A decide_many() outcome as the (ok, tact.Decision or message) pair.
py::tuple ToPythonPair(absl::StatusOr<v1::Decision> decision) {
  Outcome outcome;
  outcome.ok = decision.ok();
  if (outcome.ok) {
    outcome.decision = *std::move(decision);
  } else {
    outcome.error = std::string(decision.status().message());
    outcome.code = decision.status().code();
  }
  return ToPythonPair(std::move(outcome));
}

py::list DecideMany(const PyEngine& self, py::list inputs,
                    const std::string& authority, int trace_level, int threads,
                    int64_t timeout_ms) {
  // Everything is read out of the Python objects here, with the GIL held
  // (the list keeps the parsed contexts alive); from there on no Python
  // object is touched until the results are built.
  const size_t n = inputs.size();
  std::vector<std::string> payloads(n);
  std::vector<BatchContext> batch;
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto [encoding, payload] = inputs[i].cast<std::pair<int, py::object>>();
    batch.push_back(
        ToBatchContext(ToEncoding(encoding), payload, &payloads[i]));
  }
  BatchOptions options;
  options.decide = MakeOptions(authority, trace_level, timeout_ms);
  options.threads = threads;
  SignalWatch watch;
  options.decide.cancel = watch.flag();
  options.progress = watch.Callback();
  std::vector<absl::StatusOr<v1::Decision>> outcomes;
  {
    py::gil_scoped_release release;
    outcomes = tact::DecideMany(self.engine(), batch, options);
  }
  watch.RethrowIfInterrupted();
  py::list results(n);
  for (size_t i = 0; i < n; ++i) {
    PyList_SET_ITEM(results.ptr(), static_cast<Py_ssize_t>(i),
                    ToPythonPair(std::move(outcomes[i])).release().ptr());
  }
  return results;
}

// The cost-to-serve totals of `s` into `out`, keys as `tact simulate --json`.
void AddCostsToPython(const SimulationSummary& s, py::dict& out) {
  auto counts = [](const std::map<std::string, int64_t>& m) {
    py::dict d;
    for (const auto& [k, v] : m) d[DecodeReplacing(k)] = v;
    return d;
  };
  out["cost_to_serve_total"] = s.cost_to_serve_total;
  out["agent_minutes_total"] = s.agent_minutes_total;
  out["cases_with_cost"] = s.cases_with_cost;
  out["cost_to_serve_by_tier"] = counts(s.cost_to_serve_by_tier);
  out["cost_to_serve_by_value_band"] = counts(s.cost_to_serve_by_value_band);
}

// A share in tenths of a percent as a float with one decimal, or None.
py::object TenthsToPython(int64_t tenths) {
  if (tenths < 0) return py::none();
  return py::float_(static_cast<double>(tenths) / 10.0);
}

// A row of the service levels (a tier or the total), keys as `tact simulate
// --json`.
py::dict ServiceLevelRowToPython(const TierServiceLevels& row,
                                 const std::vector<std::string>& targets) {
  py::dict by_target;
  for (const std::string& target : targets) {
    auto it = row.targets.find(target);
    const ServiceLevelTally t =
        it == row.targets.end() ? ServiceLevelTally{} : it->second;
    py::dict d;
    d["measured"] = t.measured;
    d["met"] = t.met;
    d["ok"] = t.ok;
    d["at_risk"] = t.at_risk;
    d["breached"] = t.breached;
    d["missed"] = t.missed;
    d["attainment"] = TenthsToPython(PercentTenths(t.within(), t.measured));
    by_target[DecodeReplacing(target)] = d;
  }
  py::dict out;
  out["cases"] = row.cases;
  out["beyond_contract_cases"] = row.beyond_contract_cases;
  out["beyond_contract_share"] =
      TenthsToPython(PercentTenths(row.beyond_contract_cases, row.cases));
  out["targets"] = by_target;
  return out;
}

// The service levels of a summary, as `tact simulate --json`'s
// "service_levels" (present only when a decision carried service levels).
py::dict ServiceLevelsToPython(const ServiceLevelSummary& s) {
  py::list targets;
  for (const std::string& t : s.targets) targets.append(DecodeReplacing(t));
  py::dict by_tier;
  for (const auto& [tier, row] : s.by_tier) {
    by_tier[DecodeReplacing(tier)] = ServiceLevelRowToPython(row, s.targets);
  }
  py::dict out;
  out["targets"] = targets;
  out["by_tier"] = by_tier;
  out["total"] = ServiceLevelRowToPython(s.total, s.targets);
  return out;
}

// A SimulationSummary as the dict python/tact/simulation.py returns (keys as
// `tact simulate --json`; rung steps as str keys, as JSON has them).
py::dict SummaryToPython(const SimulationSummary& s) {
  auto counts = [](const std::map<std::string, int64_t>& m) {
    py::dict out;
    for (const auto& [key, n] : m) out[DecodeReplacing(key)] = n;
    return out;
  };
  py::dict actions;
  for (const auto& [action, tally] : s.actions) {
    py::dict t;
    t["recommended"] = tally.recommended;
    t["needs_approval"] = tally.needs_approval;
    t["blocked"] = counts(tally.blocked);
    actions[DecodeReplacing(action)] = t;
  }
  py::dict rungs;
  for (const auto& [ladder, steps] : s.rungs) {
    py::dict by_step;
    for (const auto& [step, n] : steps)
      by_step[py::str(std::to_string(step))] = n;
    rungs[DecodeReplacing(ladder)] = by_step;
  }
  py::dict out;
  out["policy"] = DecodeReplacing(s.policy_name);
  out["version"] = DecodeReplacing(s.policy_version);
  out["currency"] = DecodeReplacing(s.currency);
  out["cases"] = s.cases;
  out["actions"] = actions;
  out["goodwill_total"] = s.goodwill_total;
  out["goodwill_by_tier"] = counts(s.goodwill_by_tier);
  out["goodwill_by_value_band"] = counts(s.goodwill_by_value_band);
  out["cases_with_goodwill"] = s.cases_with_goodwill;
  out["budget_exhausted_cases"] = s.budget_exhausted_cases;
  out["strikes_recorded"] = s.strikes_recorded;
  out["strike_warnings"] = s.strike_warnings;
  out["strike_outs"] = s.strike_outs;
  out["rungs"] = rungs;
  out["recovery_cases"] = s.recovery_cases;
  out["recovery_steps"] = counts(s.recovery_steps);
  out["recovery_window_missed"] = s.recovery_window_missed;
  out["beyond_contract_actions"] = s.beyond_contract_actions;
  out["beyond_contract_cost"] = s.beyond_contract_cost;
  out["beyond_contract_by_action"] = counts(s.beyond_contract_by_action);
  AddCostsToPython(s, out);
  if (!s.service_levels.targets.empty()) {
    out["service_levels"] = ServiceLevelsToPython(s.service_levels);
  }
  return out;
}

// The cost-share list (Simulation::costly), as `tact simulate --json` has it.
py::dict CostShareToPython(const Simulation& sim) {
  py::list first;
  for (const CostlyCustomer& c : sim.costly) {
    py::dict costly;
    costly["line"] = c.line;
    costly["customer_id"] = DecodeReplacing(c.customer_id);
    costly["case_id"] = DecodeReplacing(c.case_id);
    costly["spend"] = c.spend;
    costly["decision_cost"] = c.decision_cost;
    costly["history_cost"] = c.history_cost;
    costly["cost_to_serve"] = c.cost_to_serve;
    first.append(costly);
  }
  py::dict out;
  out["percent"] = sim.cost_share_percent;
  out["count"] = sim.costly_count;
  out["first"] = first;
  return out;
}

// The diff of a Simulation with a baseline as the dict of `tact simulate
// --json`'s "changed" (keys as there).
py::dict ChangedToPython(const Simulation& sim) {
  auto strings = [](const std::vector<std::string>& v) {
    py::list out;
    for (const std::string& s : v) out.append(DecodeReplacing(s));
    return out;
  };
  py::dict by_kind;
  for (const auto& [kind, tally] : sim.changes_by_kind) {
    py::dict t;
    t["cases"] = tally.cases;
    t["money"] = tally.money;
    if (tally.money_overflow) t["money_overflow"] = true;
    by_kind[ChangeKindName(kind)] = t;
  }
  py::list first;
  for (const ChangedCase& c : sim.changed) {
    py::list kinds, changes;
    for (ChangeKind kind : c.kinds) kinds.append(ChangeKindName(kind));
    for (const Change& change : c.changes) {
      py::dict d;
      d["kind"] = ChangeKindName(change.kind);
      d["text"] = DecodeReplacing(change.text);
      d["money"] = change.money;
      changes.append(d);
    }
    py::dict d;
    d["line"] = c.line;
    d["case_id"] = DecodeReplacing(c.case_id);
    d["before"] = strings(c.before);
    d["after"] = strings(c.after);
    d["reasons"] = strings(c.reasons);
    d["kinds"] = kinds;
    d["changes"] = changes;
    d["goodwill_delta"] = c.goodwill_delta;
    first.append(d);
  }
  py::dict out;
  out["count"] = sim.changed_count;
  out["policy_label"] = DecodeReplacing(sim.policy_label);
  out["baseline_label"] = DecodeReplacing(sim.baseline_label);
  out["goodwill_delta"] = sim.goodwill_delta;
  out["money_changed"] = sim.money_changed_count;
  out["actions_changed"] = sim.actions_changed_count;
  // As `tact simulate --json`: only when set.
  if (sim.undecidable_count > 0) out["undecidable"] = sim.undecidable_count;
  if (sim.goodwill_delta_overflow) out["goodwill_delta_overflow"] = true;
  if (sim.currency_changed) out["currency_changed"] = true;
  out["by_kind"] = by_kind;
  out["first"] = first;
  return out;
}

// simulate(): tact::Simulate over decide_many()'s inputs, where encoding 3
// is a case the Python side could not convert (payload: the message); with
// `baseline` (None: none), compared with it.
py::dict Simulate(const PyEngine& self, py::list inputs, py::list positions,
                  const std::string& authority, int threads,
                  int max_listed_errors, int64_t timeout_ms,
                  const PyEngine* baseline, const std::string& policy_label,
                  const std::string& baseline_label, int max_listed_changes,
                  double cost_share_percent, int max_listed_costly) {
  const size_t n = inputs.size();
  if (positions.size() != n) {
    throw py::value_error("inputs and positions differ in length");
  }
  std::vector<std::string> payloads(n);
  std::vector<SimulationCase> cases;
  cases.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto [encoding, payload] = inputs[i].cast<std::pair<int, py::object>>();
    const int64_t line = positions[i].cast<int64_t>();
    if (encoding == kFailedEncoding) {
      cases.push_back({line, BatchContext::Failed(absl::InvalidArgumentError(
                                 payload.cast<std::string>()))});
      continue;
    }
    cases.push_back(
        {line, ToBatchContext(ToEncoding(encoding), payload, &payloads[i])});
  }
  SimulationOptions options;
  options.threads = threads;
  options.authority = authority;
  options.max_listed_errors = max_listed_errors;
  options.max_listed_changes = max_listed_changes;
  options.policy_label = policy_label;
  options.baseline_label = baseline_label;
  options.cost_share_percent = cost_share_percent;
  options.max_listed_costly = max_listed_costly;
  options.deadline = Deadline(timeout_ms);
  SignalWatch watch;
  options.cancel = watch.flag();
  options.progress = watch.Callback();
  Simulation sim;
  {
    py::gil_scoped_release release;
    sim = tact::Simulate(self.engine(),
                         baseline == nullptr ? nullptr : &baseline->engine(),
                         cases, options);
  }
  watch.RethrowIfInterrupted();
  py::list first;
  for (const CaseError& e : sim.errors) {
    py::dict error;
    error["line"] = e.line;
    error["message"] = DecodeReplacing(e.message);
    error["stage"] = e.stage == CaseError::Stage::kParse    ? "parse"
                     : e.stage == CaseError::Stage::kDecide ? "decide"
                                                            : "baseline_decide";
    first.append(error);
  }
  py::dict errors;
  errors["count"] = sim.error_count;
  errors["first"] = first;
  py::dict out;
  out["lines"] = sim.lines;
  out["errors"] = errors;
  out["summary"] = SummaryToPython(sim.summary);
  if (sim.has_baseline) {
    out["baseline"] = SummaryToPython(sim.baseline);
    out["changed"] = ChangedToPython(sim);
  }
  if (sim.has_cost_share) out["cost_share"] = CostShareToPython(sim);
  return out;
}

py::dict CoverageItemToPython(const CoverageItem& item) {
  py::dict out;
  out["id"] = DecodeReplacing(item.id);
  out["step"] = item.step;
  out["outcome"] = item.outcome;
  out["label"] = DecodeReplacing(item.label);
  out["decisions"] = item.decisions;
  return out;
}

py::list CoverageItemsToPython(const std::vector<CoverageItem>& items) {
  py::list out;
  for (const CoverageItem& item : items) out.append(CoverageItemToPython(item));
  return out;
}

// A CoverageReport as the dict python/tact/coverage.py returns: percentages
// as floats of one decimal.
py::dict CoverageToPython(const CoverageReport& report) {
  py::dict categories;
  for (const CategoryCoverage& cat : report.categories) {
    py::dict c;
    c["reached"] = CoverageItemsToPython(cat.reached);
    c["not_reached"] = CoverageItemsToPython(cat.not_reached);
    c["unknown"] = CoverageItemsToPython(cat.unknown);
    c["reached_count"] = cat.reached_count;
    c["total"] = cat.total;
    c["percent"] = static_cast<double>(cat.percent_tenths) / 10;
    const absl::string_view name = Name(cat.category);
    categories[py::str(name.data(), name.size())] = c;
  }
  py::dict out;
  out["policy_name"] = DecodeReplacing(report.policy_name);
  out["policy_version"] = DecodeReplacing(report.policy_version);
  out["decisions"] = report.decisions;
  out["untraced_decisions"] = report.untraced_decisions;
  out["reached_count"] = report.reached_count;
  out["total"] = report.total;
  out["percent"] = static_cast<double>(report.percent_tenths) / 10;
  out["categories"] = categories;
  return out;
}

// tact::PolicyCoverage for python/tact/coverage.py. Thread-compatible, as
// the C++ class: the Python side holds the GIL around every call.
class PyCoverage {
 public:
  explicit PyCoverage(const PyEngine& engine) : coverage_(engine.engine()) {}

  // None, or the error message when the decision is another policy's.
  py::object Add(const DecisionMessage& decision) {
    absl::Status status = coverage_.Add(decision.decision());
    if (status.ok()) return py::none();
    return DecodeReplacing(std::string(status.message()));
  }
  py::dict Report() const { return CoverageToPython(coverage_.Report()); }
  py::str Format() const {
    return DecodeReplacing(FormatCoverage(coverage_.Report()));
  }
  bool Meets(double min_percent) const {
    return MeetsCoverage(coverage_.Report(), min_percent);
  }

 private:
  PolicyCoverage coverage_;
};

// ShadowReport as the dict tact/handle.py reads: decisions as tact.Decision,
// contexts as wire-format bytes (None when omitted). REQUIRES: the GIL.
py::dict ShadowReportToPython(ShadowReport report) {
  py::dict out;
  out["active"] = report.active;
  out["candidate_name"] = DecodeReplacing(report.candidate_name);
  out["candidate_version"] = DecodeReplacing(report.candidate_version);
  out["candidate_hash"] = report.candidate_hash;
  out["share"] = static_cast<double>(report.share_millionths) / 1e6;
  out["since"] = report.active
                     ? absl::ToDoubleSeconds(report.since - absl::UnixEpoch())
                     : 0.0;
  out["serving_swaps"] = report.serving_swaps;
  out["decided"] = report.decided;
  out["sampled"] = report.sampled;
  out["identical"] = report.identical;
  out["differing"] = report.differing;
  out["candidate_errors"] = report.candidate_errors;
  out["currency"] = DecodeReplacing(report.currency);
  out["currency_changed"] = report.currency_changed;
  out["goodwill_delta"] = report.goodwill_delta;
  out["goodwill_delta_overflow"] = report.goodwill_delta_overflow;
  py::dict kinds;
  for (const auto& [kind, tally] : report.changes_by_kind) {
    py::dict t;
    t["cases"] = tally.cases;
    t["money"] = tally.money;
    t["money_overflow"] = tally.money_overflow;
    kinds[ChangeKindName(kind)] = t;
  }
  out["changes_by_kind"] = kinds;
  auto examples = [](std::vector<ShadowExample>& list) {
    py::list out_list;
    for (ShadowExample& e : list) {
      py::dict one;
      one["number"] = e.number;
      if (e.context_omitted) {
        one["context"] = py::none();
      } else {
        std::string bytes;
        e.context.SerializeToString(&bytes);
        one["context"] = py::bytes(bytes);
      }
      one["context_bytes"] = e.context_bytes;
      const bool has_candidate = e.error.empty() && !e.decisions_omitted;
      one["serving"] = e.decisions_omitted
                           ? py::object(py::none())
                           : DecisionToPython(std::move(e.serving));
      one["candidate"] = has_candidate
                             ? DecisionToPython(std::move(e.candidate))
                             : py::object(py::none());
      py::list changes;
      for (const Change& c : e.changes) {
        changes.append(py::make_tuple(ChangeKindName(c.kind),
                                      DecodeReplacing(c.text), c.money));
      }
      one["changes"] = changes;
      one["error"] = e.error.empty() ? py::object(py::none())
                                     : py::object(DecodeReplacing(e.error));
      out_list.append(one);
    }
    return out_list;
  };
  out["examples"] = examples(report.examples);
  out["error_examples"] = examples(report.error_examples);
  return out;
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
             const std::string& authority, int trace_level, int64_t timeout_ms,
             bool record) {
            const tp::ContextEncoding e = tp::ToEncoding(encoding);
            const tact::DecideOptions options =
                tp::MakeOptions(authority, trace_level, timeout_ms, record);
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
          py::arg("trace_level"), py::arg("timeout_ms") = -1,
          py::arg("record") = false,
          "Decides on one context. Returns (True, tact.Decision) or "
          "(False, error message).")
      .def(
          "why_not",
          [](const PyEngine& self, int encoding, const std::string& payload,
             const std::string& action, const std::string& authority,
             int64_t timeout_ms) -> py::tuple {
            const tp::ContextEncoding e = tp::ToEncoding(encoding);
            if (e == tp::ContextEncoding::kParsed) {
              throw py::value_error("why_not() takes encoding 0 or 1");
            }
            const tact::DecideOptions options =
                tp::MakeOptions(authority, false, timeout_ms);
            absl::Status status;
            std::string json;
            {
              py::gil_scoped_release release;
              absl::StatusOr<tact::v1::Context> context =
                  e == tp::ContextEncoding::kJson
                      ? tact::ContextFromJson(payload)
                      : tact::ContextFromBinary(payload);
              if (!context.ok()) {
                status = context.status();
              } else {
                absl::StatusOr<tact::v1::WhyNot> why =
                    self.engine().WhyNot(*context, action, options);
                if (why.ok()) {
                  json = tact::WhyNotToJson(*why, /*pretty=*/false);
                } else {
                  status = why.status();
                }
              }
            }
            if (status.ok()) return py::make_tuple(true, py::str(json));
            tp::Outcome outcome;
            outcome.error = std::string(status.message());
            outcome.code = status.code();
            if (status.code() == absl::StatusCode::kNotFound) {
              return py::make_tuple(
                  false, py::make_tuple("not_found",
                                        tp::DecodeReplacing(outcome.error)));
            }
            return py::make_tuple(false, tp::ToPython(std::move(outcome)));
          },
          py::arg("encoding"), py::arg("payload"), py::arg("action"),
          py::arg("authority"), py::arg("timeout_ms") = -1,
          "tact::Engine::WhyNot. Returns (True, the tact.v1.WhyNot as JSON) "
          "or (False, error as decide() gives it; (\"not_found\", message) "
          "for an unknown action).")
      .def("decide_dict", &tp::DecideDict<PyEngine>, py::arg("context"),
           py::arg("authority"), py::arg("trace_level"),
           py::arg("timeout_ms") = -1, py::arg("record") = false,
           "Decides on a context dict without JSON. Returns a tact.Decision, "
           "the error message (str), or None when the dict must go through "
           "the JSON path.")
      .def("decide_many", &tp::DecideMany, py::arg("inputs"),
           py::arg("authority"), py::arg("trace_level"), py::arg("threads"),
           py::arg("timeout_ms") = -1,
           "Decides on [(encoding, payload)] across `threads` C++ threads "
           "(0: one per core) with the GIL released; encoding 2 takes a "
           "ParsedContext from context_from_dict(). Returns a list of "
           "(ok, tact.Decision or error message).")
      .def("simulate", &tp::Simulate, py::arg("inputs"), py::arg("positions"),
           py::arg("authority"), py::arg("threads"),
           py::arg("max_listed_errors"), py::arg("timeout_ms") = -1,
           py::arg("baseline") = nullptr, py::arg("policy_label") = "",
           py::arg("baseline_label") = "", py::arg("max_listed_changes") = 1000,
           py::arg("cost_share_percent") = -1.0,
           py::arg("max_listed_costly") = 100,
           "tact::Simulate over decide_many()'s inputs (encoding 3: a case "
           "that could not be converted, payload its message), case i "
           "reported at positions[i], compared with `baseline` unless None. "
           "Returns {\"lines\", \"errors\": {\"count\", \"first\"}, "
           "\"summary\"} and with a baseline \"baseline\" and \"changed\", "
           "as `tact simulate --json` (summary keys unsorted).")
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
          "same_engine",
          [](const PyEngine& self, const PyEngine& other) {
            return &self.engine() == &other.engine();
          },
          py::arg("other"), "Whether both hold the same compiled engine.")
      .def(
          "policy_bytes",
          [](const PyEngine& self) {
            std::string bytes;
            self.engine().policy().SerializeToString(&bytes);
            return py::bytes(bytes);
          },
          "The compiled policy in protobuf wire format.");

  using tact::python::PyEngineHandle;
  py::class_<PyEngineHandle, std::shared_ptr<PyEngineHandle>>(
      m, "EngineHandle",
      "tact::EngineHandle: a serving engine and an optional shadowing "
      "candidate.")
      .def(py::init<const PyEngine&>(), py::arg("engine"))
      .def(
          "decide",
          [](const PyEngineHandle& self, int encoding,
             const std::string& payload, const std::string& authority,
             int trace_level, int64_t timeout_ms, bool record) {
            const tp::ContextEncoding e = tp::ToEncoding(encoding);
            const tact::DecideOptions options =
                tp::MakeOptions(authority, trace_level, timeout_ms, record);
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
          py::arg("trace_level"), py::arg("timeout_ms") = -1,
          py::arg("record") = false,
          "As Engine.decide, on the serving engine (the candidate decides "
          "on the side).")
      .def("decide_dict", &tp::DecideDict<PyEngineHandle>, py::arg("context"),
           py::arg("authority"), py::arg("trace_level"),
           py::arg("timeout_ms") = -1, py::arg("record") = false,
           "As Engine.decide_dict, on the serving engine.")
      .def(
          "swap",
          [](PyEngineHandle& self, const PyEngine& engine) {
            self.handle().Swap(engine.shared());
          },
          py::arg("engine"), "Makes `engine` the serving engine.")
      .def(
          "engine",
          [](const PyEngineHandle& self) -> py::object {
            std::shared_ptr<const tact::Engine> e = self.handle().Get();
            if (e == nullptr) return py::none();
            return py::cast(std::make_shared<PyEngine>(std::move(e)));
          },
          "The serving engine.")
      .def(
          "set_candidate",
          [](PyEngineHandle& self, const PyEngine& candidate, double share,
             int max_examples, int64_t max_example_bytes) -> py::object {
            tact::ShadowOptions options;
            options.share = share;
            options.max_examples = max_examples;
            options.max_example_bytes = max_example_bytes;
            absl::Status status =
                self.handle().SetCandidate(candidate.shared(), options);
            if (status.ok()) return py::none();
            return tp::DecodeReplacing(std::string(status.message()));
          },
          py::arg("candidate"), py::arg("share"), py::arg("max_examples"),
          py::arg("max_example_bytes"),
          "EngineHandle::SetCandidate. Returns None or the error message.")
      .def(
          "clear_candidate",
          [](PyEngineHandle& self) { self.handle().ClearCandidate(); },
          "EngineHandle::ClearCandidate.")
      .def(
          "candidate",
          [](const PyEngineHandle& self) -> py::object {
            std::shared_ptr<const tact::Engine> e = self.handle().Candidate();
            if (e == nullptr) return py::none();
            return py::cast(std::make_shared<PyEngine>(std::move(e)));
          },
          "The candidate engine, or None.")
      .def(
          "shadow_report",
          [](const PyEngineHandle& self) {
            tact::ShadowReport report;
            {
              py::gil_scoped_release release;
              report = self.handle().Shadow();
            }
            return tp::ShadowReportToPython(std::move(report));
          },
          "EngineHandle::Shadow as a dict (tact/handle.py reads it).");

  m.def(
      "compile_file",
      [](const std::string& path, const py::dict& options) {
        const tact::CompileOptions o = tp::CompileOptionsFromPython(options);
        tact::CompileResult result;
        {
          py::gil_scoped_release release;
          result = tact::Engine::Compile(path, o);
        }
        return tp::CompileResultToPython(std::move(result));
      },
      py::arg("path"), py::arg("options") = py::dict(),
      "Compiles a policy file with CompileOptions given as {name: int}. "
      "Returns (Engine or None, [diagnostic dict]).");
  m.def(
      "default_compile_options",
      []() { return tp::CompileOptionsToPython(tact::CompileOptions{}); },
      "tact::CompileOptions' defaults as {name: int}, in declaration "
      "order.");
  m.def(
      "compile_text",
      [](const std::string& text, int format, const std::string& source_name,
         const py::dict& options) {
        const tact::PolicyFormat f = tp::ToPolicyFormat(format);
        const tact::CompileOptions o = tp::CompileOptionsFromPython(options);
        tact::CompileResult result;
        {
          py::gil_scoped_release release;
          result = tact::Engine::CompileText(text, f, source_name, o);
        }
        return tp::CompileResultToPython(std::move(result));
      },
      py::arg("text"), py::arg("format"), py::arg("source_name"),
      py::arg("options") = py::dict(),
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
  py::class_<tp::PyCoverage>(
      m, "Coverage",
      "tact::PolicyCoverage: what decisions of one policy reached.")
      .def(py::init<const PyEngine&>(), py::arg("engine"))
      .def("add", &tp::PyCoverage::Add, py::arg("decision"),
           "Counts a DecisionMessage. Returns None, or the error message when "
           "it is another policy's decision (nothing counted).")
      .def("report", &tp::PyCoverage::Report,
           "tact::CoverageReport as a dict (percentages as floats).")
      .def("format", &tp::PyCoverage::Format, "tact::FormatCoverage.")
      .def("meets", &tp::PyCoverage::Meets, py::arg("min_percent"),
           "tact::MeetsCoverage.");
  m.def(
      "parse_coverage_percent",
      [](const std::string& text) -> py::object {
        absl::StatusOr<double> percent = tact::ParseCoveragePercent(text);
        if (!percent.ok()) {
          return py::make_tuple(
              false,
              tp::DecodeReplacing(std::string(percent.status().message())));
        }
        return py::make_tuple(true, *percent);
      },
      py::arg("text"),
      "tact::ParseCoveragePercent. Returns (True, percent) or (False, error "
      "message).");
  py::class_<tp::DecisionMessage, std::shared_ptr<tp::DecisionMessage>>(
      m, "DecisionMessage", "The C++ tact.v1.Decision behind a tact.Decision.")
      .def("to_json", &tp::DecisionMessage::ToJson, py::arg("pretty"),
           "tact::DecisionToJson(decision, pretty).")
      .def("to_bytes", &tp::DecisionMessage::ToBytes,
           "The decision in protobuf wire format.")
      .def(
          "record",
          [](const tp::DecisionMessage& self) {
            const tact::v1::Decision& d = self.decision();
            return py::make_tuple(tp::DecodeReplacing(d.decision_id()),
                                  tp::DecodeReplacing(d.context_digest()),
                                  tp::DecodeReplacing(d.authority()),
                                  static_cast<int>(d.trace_level()),
                                  tp::DecodeReplacing(d.tact_version()));
          },
          "(decision_id, context_digest, authority, trace_level number, "
          "tact_version).");

  // tact/codes.h: the strings of each machine vocabulary (tact.codes builds
  // its enums from them).
  py::module_ codes = m.def_submodule(
      "codes", "The strings of include/tact/codes.h, in declaration order.");
  codes.attr("blocked_codes") = tp::CodeNames(tact::kBlockedCodes);
  codes.attr("effect_kinds") = tp::CodeNames(tact::kEffectKinds);
  codes.attr("flag_codes") = tp::CodeNames(tact::kFlagCodes);
  codes.attr("playbook_stages") = tp::CodeNames(tact::kPlaybookStages);
  codes.attr("source_kinds") = tp::CodeNames(tact::kSourceKinds);
  codes.attr("sla_states") = tp::CodeNames(tact::kSlaStates);
  m.def(
      "value_bands",
      [] {
        py::list bands;
        for (const tact::ValueBand& band : tact::kValueBands) {
          bands.append(py::make_tuple(band.lower, band.key));
        }
        return bands;
      },
      "tact::kValueBands: [(lower bound in minor units, key)].");
  m.def("percent_tenths", &tact::PercentTenths, py::arg("part"),
        py::arg("whole"),
        "tact::PercentTenths: part * 100 / whole in tenths of a percent, "
        "rounded half up; -1 when whole is 0.");
  static PyMethodDef decide_dict_default = {
      "decide_dict_default",
      reinterpret_cast<PyCFunction>(
          reinterpret_cast<void (*)()>(&tp::DecideDictDefault)),
      METH_FASTCALL,
      "decide_dict_default(engine, context): engine.decide_dict(context, "
      "'', 0), faster."};
  PyObject* decide_dict_default_function = PyCFunction_NewEx(
      &decide_dict_default, nullptr, m.attr("__name__").ptr());
  if (decide_dict_default_function == nullptr) throw py::error_already_set();
  m.add_object("decide_dict_default",
               py::reinterpret_steal<py::object>(decide_dict_default_function));
  m.def("context_from_dict", &tp::ParseDict, py::arg("context"),
        "Converts a context dict without JSON. Returns a ParsedContext, the "
        "error message (str), or None when the dict must go through the "
        "JSON path.");
  m.def("register_decision_types", &tp::RegisterDecisionTypes,
        py::arg("decision"), py::arg("reason"), py::arg("recommended_action"),
        py::arg("blocked_action"), py::arg("effect"), py::arg("flag"),
        py::arg("rule_trace"),
        "Called once by tact.decision: the classes decisions are built from.");
  m.def("register_construct_trace_type", &tp::RegisterConstructTraceType,
        py::arg("construct_trace"),
        "Called once by tact.decision: the class of "
        "Decision.construct_trace's entries.");
  m.def("register_service_level_type", &tp::RegisterServiceLevelType,
        py::arg("service_level"),
        "Called once by tact.decision: the class of "
        "Decision.service_levels' entries.");
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
  // tact/policy_test.h: `tact test` from Python (tact.testing).
  m.def(
      "find_policy_test_files",
      [](const std::string& path) {
        absl::StatusOr<std::vector<std::string>> files;
        {
          py::gil_scoped_release release;
          files = tact::FindPolicyTestFiles(path);
        }
        if (!files.ok()) {
          return py::make_tuple(
              false,
              tp::DecodeReplacing(std::string(files.status().message())));
        }
        py::list out;
        for (const std::string& f : *files) out.append(tp::DecodeReplacing(f));
        return py::make_tuple(true, out);
      },
      py::arg("path"),
      "tact::FindPolicyTestFiles. Returns (True, [file]) or (False, error "
      "message).");
  m.def(
      "run_policy_test_file",
      [](const std::string& path, const std::string& authority,
         bool keep_decisions) {
        tact::PolicyTestOptions options;
        options.authority = authority;
        options.keep_decisions = keep_decisions;
        tact::PolicyTestSuiteResult suite;
        {
          py::gil_scoped_release release;
          suite = tact::RunPolicyTestFile(path, options);
        }
        py::dict out;
        out["file"] = tp::DecodeReplacing(suite.file);
        out["policy_file"] = tp::DecodeReplacing(suite.policy_file);
        out["error"] = suite.status.ok()
                           ? py::object(py::none())
                           : py::object(tp::DecodeReplacing(
                                 std::string(suite.status.message())));
        out["engine"] =
            suite.engine == nullptr
                ? py::object(py::none())
                : py::cast(std::make_shared<tp::PyEngine>(suite.engine));
        py::list cases;
        for (tact::PolicyTestCaseResult& c : suite.cases) {
          py::dict one;
          one["name"] = tp::DecodeReplacing(c.name);
          one["description"] = tp::DecodeReplacing(c.description);
          one["passed"] = c.passed;
          py::list failures;
          for (const std::string& line : c.failures) {
            failures.append(tp::DecodeReplacing(line));
          }
          one["failures"] = failures;
          py::list decisions;
          for (tact::v1::Decision& d : c.decisions) {
            decisions.append(tp::DecisionToPython(std::move(d)));
          }
          one["decisions"] = decisions;
          cases.append(one);
        }
        out["cases"] = cases;
        return out;
      },
      py::arg("path"), py::arg("authority"), py::arg("keep_decisions") = true,
      "tact::RunPolicyTestFile, GIL released. Returns {file, policy_file, "
      "error (str or None), engine (Engine or None), cases: [{name, "
      "description, passed, failures, decisions}]}.");
  m.def(
      "apply_change",
      [](int encoding, const std::string& payload,
         const std::string& change_json) -> py::tuple {
        const tp::ContextEncoding e = tp::ToEncoding(encoding);
        if (e == tp::ContextEncoding::kParsed) {
          throw py::value_error("apply_change() takes encoding 0 or 1");
        }
        absl::StatusOr<tact::v1::Context> context =
            e == tp::ContextEncoding::kJson ? tact::ContextFromJson(payload)
                                            : tact::ContextFromBinary(payload);
        if (!context.ok()) {
          return py::make_tuple(
              false,
              tp::DecodeReplacing(std::string(context.status().message())));
        }
        tact::v1::ContextChange change;
        google::protobuf::util::JsonParseOptions parse;
        absl::Status parsed(
            google::protobuf::util::JsonStringToMessage(change_json, &change,
                                                        parse)
                    .ok()
                ? absl::OkStatus()
                : absl::InvalidArgumentError(
                      "the change is not a tact.v1.ContextChange"));
        if (!parsed.ok()) {
          return py::make_tuple(
              false, py::make_tuple("change", tp::DecodeReplacing(std::string(
                                                  parsed.message()))));
        }
        tact::DecideOptions options;
        absl::Status applied = tact::ApplyChange(change, &*context, &options);
        if (!applied.ok()) {
          return py::make_tuple(
              false, py::make_tuple("change", tp::DecodeReplacing(std::string(
                                                  applied.message()))));
        }
        std::string json;
        google::protobuf::util::JsonPrintOptions print;
        (void)google::protobuf::util::MessageToJsonString(*context, &json,
                                                          print);
        return py::make_tuple(true, py::str(json));
      },
      py::arg("encoding"), py::arg("payload"), py::arg("change"),
      "tact::ApplyChange on a context (encoding 0: JSON, 1: wire format) and "
      "a tact.v1.ContextChange in proto3 JSON. Returns (True, the changed "
      "context as proto3 JSON) or (False, a context error message, or "
      "(\"change\", message) when the change is at fault).");
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
  m.attr("__version__") = TACT_VERSION;  // tact/version.h

  // tact/decision_log.h.
  py::class_<tact::DecisionLogWriter, std::shared_ptr<tact::DecisionLogWriter>>(
      m, "DecisionLogWriter", "tact::DecisionLogWriter.")
      .def_static(
          "open",
          [](const std::string& path) {
            auto writer = tact::DecisionLogWriter::Open(path);
            if (!writer.ok()) {
              return py::make_tuple(
                  false, static_cast<int>(writer.status().code()),
                  tp::DecodeReplacing(std::string(writer.status().message())));
            }
            return py::make_tuple(
                true, 0,
                std::shared_ptr<tact::DecisionLogWriter>(std::move(*writer)));
          },
          py::arg("path"),
          "Opens a log for appending. Returns (True, 0, writer) or (False, "
          "absl status code, error message).")
      .def(
          "append",
          [](tact::DecisionLogWriter& self, int encoding,
             const std::string& context,
             const tp::DecisionMessage& decision) -> py::object {
            absl::Status status;
            {
              py::gil_scoped_release release;
              absl::StatusOr<tact::v1::Context> parsed =
                  encoding == 0 ? tact::ContextFromJson(context)
                                : tact::ContextFromBinary(context);
              status = parsed.ok() ? self.Append(*parsed, decision.decision())
                                   : parsed.status();
            }
            if (status.ok()) return py::none();
            return py::make_tuple(
                static_cast<int>(status.code()),
                tp::DecodeReplacing(std::string(status.message())));
          },
          py::arg("encoding"), py::arg("context"), py::arg("decision"),
          "Appends a record; the context as JSON (encoding 0) or wire bytes "
          "(1). Returns None, or (absl status code, error message).")
      .def(
          "flush",
          [](tact::DecisionLogWriter& self) -> py::object {
            absl::Status status = self.Flush();
            if (status.ok()) return py::none();
            return py::make_tuple(
                static_cast<int>(status.code()),
                tp::DecodeReplacing(std::string(status.message())));
          },
          "Flushes. Returns None, or (absl status code, error message).");
  m.def(
      "replay",
      [](const PyEngine& engine, const std::string& path) {
        absl::StatusOr<tact::ReplayReport> report;
        {
          py::gil_scoped_release release;
          report = tact::Replay(engine.engine(), path);
        }
        if (!report.ok()) {
          return py::make_tuple(
              false, static_cast<int>(report.status().code()),
              tp::DecodeReplacing(std::string(report.status().message())));
        }
        return py::make_tuple(
            true, 0,
            tp::DecodeReplacing(tact::ReplayReportToJson(*report, false)));
      },
      py::arg("engine"), py::arg("path"),
      "tact::Replay, GIL released. Returns (True, 0, report JSON) or (False, "
      "absl status code, error message).");
}
