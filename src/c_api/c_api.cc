// The C API (include/tact/c_api.h): thin shims over tact::Engine.
//
// Every exported function catches everything at the boundary, so no C++
// exception (std::bad_alloc from a huge input, a bug) unwinds into C.
#include "tact/c_api.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "tact/decision_log.h"
#include "tact/engine.h"
#include "tact/engine_handle.h"
#include "tact/v1/context.pb.h"
#include "tact/v1/decision.pb.h"
#include "tact/version.h"

struct tact_engine_t {
  // Shared so that a tact_handle_t may keep serving it after
  // tact_engine_destroy.
  std::shared_ptr<const tact::Engine> engine;
};

struct tact_handle_t {
  tact::EngineHandle handle;
};

struct tact_decision_t {
  tact::v1::Decision decision;
};

struct tact_cancel_t {
  std::atomic<bool> flag{false};
};

struct tact_decide_options_t {
  tact::DecideOptions options;
  // tact_decide_options_set_timeout_ms; 0: none. Made a deadline per call.
  uint64_t timeout_ms = 0;
  // False when a setter ran out of memory: deciding with such options fails
  // rather than running with, say, no authority restriction.
  bool complete = true;
};

namespace tact {
namespace c_api_internal {
namespace {

// Copies `bytes` into a malloc()ed buffer with a trailing NUL (so JSON and
// messages are C strings). Returns nullptr when out of memory.
char* CopyToMalloc(absl::string_view bytes) {
  char* out = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (out == nullptr) return nullptr;
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  out[bytes.size()] = '\0';
  return out;
}

// leveldb's SaveError: replaces *errptr (when errptr is non-NULL).
void SaveError(char** errptr, absl::string_view message) {
  if (errptr == nullptr) return;
  std::free(*errptr);
  *errptr = CopyToMalloc(message);
}

tact_status_t Fail(char** errptr, tact_status_t code,
                   absl::string_view message) {
  SaveError(errptr, message);
  return code;
}

tact_status_t Fail(char** errptr, const absl::Status& status) {
  return Fail(errptr, static_cast<tact_status_t>(status.code()),
              status.message());
}

tact_status_t NullArgument(char** errptr, const char* function,
                           const char* argument) {
  return Fail(
      errptr, TACT_INVALID_ARGUMENT,
      absl::StrCat(function, ": argument `", argument, "` must not be NULL"));
}

tact_status_t TooLong(char** errptr, const char* function, size_t len) {
  return Fail(errptr, TACT_RESOURCE_EXHAUSTED,
              absl::StrCat(function, ": a context of ", len,
                           " bytes exceeds TACT_MAX_CONTEXT_BYTES (",
                           TACT_MAX_CONTEXT_BYTES, ")"));
}

// Runs `body` (which returns a tact_status_t) with every exception turned
// into a status, so none crosses into C.
template <typename Body>
tact_status_t Guard(char** errptr, const char* function, Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(errptr, TACT_RESOURCE_EXHAUSTED,
                absl::StrCat(function, ": out of memory"));
  } catch (const std::exception& e) {
    return Fail(errptr, TACT_INTERNAL,
                absl::StrCat(function, ": internal error: ", e.what()));
  } catch (...) {
    return Fail(errptr, TACT_INTERNAL,
                absl::StrCat(function, ": internal error"));
  }
}

tact_status_t StoreEngine(
    absl::StatusOr<std::unique_ptr<const Engine>> compiled,
    tact_engine_t** engine, char** errptr) {
  if (!compiled.ok()) return Fail(errptr, compiled.status());
  *engine =
      new tact_engine_t{std::shared_ptr<const Engine>(*std::move(compiled))};
  return TACT_OK;
}

// Decides with `decide(context, options)`: an Engine's or an
// EngineHandle's Decide.
template <typename Decide>
tact_status_t DecideOn(const char* function, Decide&& decide,
                       const tact_decide_options_t* options,
                       absl::StatusOr<v1::Context> context,
                       tact_decision_t** decision, char** errptr) {
  if (!context.ok()) {
    return Fail(errptr, static_cast<tact_status_t>(context.status().code()),
                absl::StrCat(function, ": ", context.status().message()));
  }
  if (options != nullptr && !options->complete) {
    return Fail(errptr, TACT_RESOURCE_EXHAUSTED,
                absl::StrCat(function,
                             ": options incomplete (out of memory while "
                             "setting them)"));
  }
  static const DecideOptions kDefaults;
  absl::StatusOr<v1::Decision> decided;
  if (options != nullptr && options->timeout_ms != 0) {
    // The timeout runs from this call's start.
    DecideOptions timed = options->options;
    timed.deadline =
        options->timeout_ms > static_cast<uint64_t>(INT64_MAX / 1000000)
            ? absl::InfiniteFuture()
            : absl::Now() +
                  absl::Milliseconds(static_cast<int64_t>(options->timeout_ms));
    decided = decide(*context, timed);
  } else {
    decided =
        decide(*context, options != nullptr ? options->options : kDefaults);
  }
  if (!decided.ok()) {
    return Fail(errptr, static_cast<tact_status_t>(decided.status().code()),
                absl::StrCat(function, ": ", decided.status().message()));
  }
  auto out = std::make_unique<tact_decision_t>();
  out->decision = *std::move(decided);
  *decision = out.release();
  return TACT_OK;
}

// The decide function of `engine` for DecideOn.
auto EngineDecide(const tact_engine_t* engine) {
  return [engine](const v1::Context& context, const DecideOptions& options) {
    return engine->engine->Decide(context, options);
  };
}

// Stores `bytes` as a malloc()ed buffer in *out and *len.
tact_status_t StoreBuffer(const char* function, absl::string_view bytes,
                          char** out, size_t* len, char** errptr) {
  char* buffer = CopyToMalloc(bytes);
  if (buffer == nullptr) {
    return Fail(errptr, TACT_RESOURCE_EXHAUSTED,
                absl::StrCat(function, ": out of memory"));
  }
  *out = buffer;
  *len = bytes.size();
  return TACT_OK;
}

}  // namespace
}  // namespace c_api_internal
}  // namespace tact

namespace ci = ::tact::c_api_internal;

extern "C" {

const char* tact_version(void) { return TACT_VERSION; }

void tact_free(void* ptr) { std::free(ptr); }

const char* tact_status_name(int status) {
  switch (status) {
    case TACT_OK:
      return "OK";
    case TACT_CANCELLED:
      return "CANCELLED";
    case TACT_UNKNOWN:
      return "UNKNOWN";
    case TACT_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case TACT_DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case TACT_NOT_FOUND:
      return "NOT_FOUND";
    case TACT_ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case TACT_PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case TACT_RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case TACT_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case TACT_ABORTED:
      return "ABORTED";
    case TACT_OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case TACT_UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case TACT_INTERNAL:
      return "INTERNAL";
    case TACT_UNAVAILABLE:
      return "UNAVAILABLE";
    case TACT_DATA_LOSS:
      return "DATA_LOSS";
    case TACT_UNAUTHENTICATED:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN_STATUS";
}

tact_status_t tact_engine_create(const char* policy, size_t policy_len,
                                 int format, const char* source_name,
                                 tact_engine_t** engine, char** errptr) {
  static constexpr char kFunction[] = "tact_engine_create";
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  *engine = nullptr;
  if (policy == nullptr && policy_len > 0) {
    return ci::NullArgument(errptr, kFunction, "policy");
  }
  static const tact::CompileOptions kCompileDefaults;
  if (policy_len > static_cast<uint64_t>(kCompileDefaults.max_policy_bytes)) {
    return ci::Fail(errptr, TACT_RESOURCE_EXHAUSTED,
                    absl::StrCat(kFunction, ": policy is ", policy_len,
                                 " bytes, more than the limit of ",
                                 kCompileDefaults.max_policy_bytes));
  }
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    tact::PolicyFormat cpp_format;
    switch (format) {
      case TACT_POLICY_AUTO:
        cpp_format = tact::PolicyFormat::kAuto;
        break;
      case TACT_POLICY_TEXT:
        cpp_format = tact::PolicyFormat::kText;
        break;
      case TACT_POLICY_JSON:
        cpp_format = tact::PolicyFormat::kJson;
        break;
      case TACT_POLICY_BINARY:
        cpp_format = tact::PolicyFormat::kBinary;
        break;
      default:
        return ci::Fail(errptr, TACT_INVALID_ARGUMENT,
                        absl::StrCat(kFunction, ": unknown policy format ",
                                     static_cast<int>(format)));
    }
    return ci::StoreEngine(
        tact::Engine::FromText(
            absl::string_view(policy == nullptr ? "" : policy, policy_len),
            cpp_format, source_name != nullptr ? source_name : "<policy>"),
        engine, errptr);
  });
}

tact_status_t tact_engine_create_from_file(const char* path,
                                           tact_engine_t** engine,
                                           char** errptr) {
  static constexpr char kFunction[] = "tact_engine_create_from_file";
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  *engine = nullptr;
  if (path == nullptr) return ci::NullArgument(errptr, kFunction, "path");
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::StoreEngine(tact::Engine::FromFile(path), engine, errptr);
  });
}

void tact_engine_destroy(tact_engine_t* engine) { delete engine; }

const char* tact_engine_policy_name(const tact_engine_t* engine) {
  return engine == nullptr ? "" : engine->engine->policy().name().c_str();
}

const char* tact_engine_policy_version(const tact_engine_t* engine) {
  return engine == nullptr ? "" : engine->engine->policy().version().c_str();
}

const char* tact_engine_policy_hash(const tact_engine_t* engine) {
  return engine == nullptr ? "" : engine->engine->policy_hash().c_str();
}

tact_decide_options_t* tact_decide_options_create(void) {
  return new (std::nothrow) tact_decide_options_t();
}

void tact_decide_options_destroy(tact_decide_options_t* options) {
  delete options;
}

tact_status_t tact_decide_options_set_authority(tact_decide_options_t* options,
                                                const char* authority,
                                                size_t len) {
  // Fail closed: a NULL or an absurd length leaves the options (and the
  // restriction already set) unchanged.
  if (options == nullptr || authority == nullptr ||
      len > TACT_MAX_AUTHORITY_BYTES) {
    return TACT_INVALID_ARGUMENT;
  }
  try {
    options->options.authority.assign(authority, len);
  } catch (...) {
    options->complete = false;  // out of memory; see tact_decide_options_t
    return TACT_RESOURCE_EXHAUSTED;
  }
  return TACT_OK;
}

tact_status_t tact_decide_options_set_trace(tact_decide_options_t* options,
                                            uint8_t trace) {
  if (options == nullptr) return TACT_INVALID_ARGUMENT;
  options->options.trace = false;
  options->options.trace_level =
      trace != 0 ? tact::v1::TRACE_FULL : tact::v1::TRACE_OFF;
  return TACT_OK;
}

tact_status_t tact_decide_options_set_trace_level(
    tact_decide_options_t* options, int level) {
  static_assert(static_cast<int>(TACT_TRACE_OFF) == tact::v1::TRACE_OFF &&
                static_cast<int>(TACT_TRACE_EVALUATED) ==
                    tact::v1::TRACE_EVALUATED &&
                static_cast<int>(TACT_TRACE_FULL) == tact::v1::TRACE_FULL);
  if (options == nullptr || !tact::v1::TraceLevel_IsValid(level)) {
    return TACT_INVALID_ARGUMENT;
  }
  options->options.trace = false;
  options->options.trace_level = static_cast<tact::v1::TraceLevel>(level);
  return TACT_OK;
}

tact_status_t tact_decide_options_set_max_evaluation_steps(
    tact_decide_options_t* options, int64_t steps) {
  if (options == nullptr || steps < 0) return TACT_INVALID_ARGUMENT;
  options->options.max_evaluation_steps = steps;
  return TACT_OK;
}

tact_status_t tact_decide_options_set_max_string_bytes_built(
    tact_decide_options_t* options, int64_t bytes) {
  if (options == nullptr || bytes < 0) return TACT_INVALID_ARGUMENT;
  options->options.max_string_bytes_built = bytes;
  return TACT_OK;
}

tact_status_t tact_decide_options_set_timeout_ms(tact_decide_options_t* options,
                                                 uint64_t timeout_ms) {
  if (options == nullptr) return TACT_INVALID_ARGUMENT;
  options->timeout_ms = timeout_ms;
  return TACT_OK;
}

tact_cancel_t* tact_cancel_create(void) {
  return new (std::nothrow) tact_cancel_t();
}

void tact_cancel_destroy(tact_cancel_t* cancel) { delete cancel; }

void tact_cancel_set(tact_cancel_t* cancel) {
  if (cancel != nullptr) cancel->flag.store(true);
}

void tact_cancel_reset(tact_cancel_t* cancel) {
  if (cancel != nullptr) cancel->flag.store(false);
}

tact_status_t tact_decide_options_set_cancel(tact_decide_options_t* options,
                                             const tact_cancel_t* cancel) {
  if (options == nullptr) return TACT_INVALID_ARGUMENT;
  options->options.cancel = cancel == nullptr ? nullptr : &cancel->flag;
  return TACT_OK;
}

tact_status_t tact_engine_decide_json(const tact_engine_t* engine,
                                      const tact_decide_options_t* options,
                                      const char* context_json, size_t len,
                                      tact_decision_t** decision,
                                      char** errptr) {
  static constexpr char kFunction[] = "tact_engine_decide_json";
  if (decision == nullptr) {
    return ci::NullArgument(errptr, kFunction, "decision");
  }
  *decision = nullptr;
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  if (context_json == nullptr) {
    return ci::NullArgument(errptr, kFunction, "context_json");
  }
  if (len > TACT_MAX_CONTEXT_BYTES) return ci::TooLong(errptr, kFunction, len);
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::DecideOn(
        kFunction, ci::EngineDecide(engine), options,
        tact::ContextFromJson(absl::string_view(context_json, len)), decision,
        errptr);
  });
}

tact_status_t tact_engine_decide_proto(const tact_engine_t* engine,
                                       const tact_decide_options_t* options,
                                       const char* context_proto, size_t len,
                                       tact_decision_t** decision,
                                       char** errptr) {
  static constexpr char kFunction[] = "tact_engine_decide_proto";
  if (decision == nullptr) {
    return ci::NullArgument(errptr, kFunction, "decision");
  }
  *decision = nullptr;
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  if (context_proto == nullptr && len > 0) {
    return ci::NullArgument(errptr, kFunction, "context_proto");
  }
  if (len > TACT_MAX_CONTEXT_BYTES) return ci::TooLong(errptr, kFunction, len);
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::DecideOn(
        kFunction, ci::EngineDecide(engine), options,
        tact::ContextFromBinary(absl::string_view(
            context_proto == nullptr ? "" : context_proto, len)),
        decision, errptr);
  });
}

void tact_decision_destroy(tact_decision_t* decision) { delete decision; }

tact_status_t tact_decision_to_json(const tact_decision_t* decision,
                                    uint8_t pretty, char** json, size_t* len,
                                    char** errptr) {
  static constexpr char kFunction[] = "tact_decision_to_json";
  if (decision == nullptr) {
    return ci::NullArgument(errptr, kFunction, "decision");
  }
  if (json == nullptr) return ci::NullArgument(errptr, kFunction, "json");
  if (len == nullptr) return ci::NullArgument(errptr, kFunction, "len");
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::StoreBuffer(
        kFunction, tact::DecisionToJson(decision->decision, pretty != 0), json,
        len, errptr);
  });
}

tact_status_t tact_decision_to_proto(const tact_decision_t* decision,
                                     char** bytes, size_t* len, char** errptr) {
  static constexpr char kFunction[] = "tact_decision_to_proto";
  if (decision == nullptr) {
    return ci::NullArgument(errptr, kFunction, "decision");
  }
  if (bytes == nullptr) return ci::NullArgument(errptr, kFunction, "bytes");
  if (len == nullptr) return ci::NullArgument(errptr, kFunction, "len");
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    std::string wire;
    {
      google::protobuf::io::StringOutputStream stream(&wire);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      if (!decision->decision.SerializeToCodedStream(&coded)) {
        return ci::Fail(errptr, TACT_INTERNAL,
                        absl::StrCat(kFunction, ": serialization failed"));
      }
    }
    return ci::StoreBuffer(kFunction, wire, bytes, len, errptr);
  });
}

size_t tact_decision_action_count(const tact_decision_t* decision) {
  return decision == nullptr
             ? 0
             : static_cast<size_t>(decision->decision.actions_size());
}

const char* tact_decision_action_id(const tact_decision_t* decision,
                                    size_t index) {
  if (decision == nullptr ||
      index >= static_cast<size_t>(decision->decision.actions_size())) {
    return nullptr;
  }
  return decision->decision.actions(static_cast<int>(index)).action().c_str();
}

size_t tact_decision_needs_approval_count(const tact_decision_t* decision) {
  return decision == nullptr
             ? 0
             : static_cast<size_t>(decision->decision.needs_approval_size());
}

const char* tact_decision_needs_approval_id(const tact_decision_t* decision,
                                            size_t index) {
  if (index >= tact_decision_needs_approval_count(decision)) return nullptr;
  return decision->decision.needs_approval(static_cast<int>(index))
      .action()
      .c_str();
}

const char* tact_decision_needs_approval_authority(
    const tact_decision_t* decision, size_t index) {
  if (index >= tact_decision_needs_approval_count(decision)) return nullptr;
  return decision->decision.needs_approval(static_cast<int>(index))
      .required_authority()
      .c_str();
}

size_t tact_decision_flag_count(const tact_decision_t* decision) {
  return decision == nullptr
             ? 0
             : static_cast<size_t>(decision->decision.flags_size());
}

const char* tact_decision_flag_code(const tact_decision_t* decision,
                                    size_t index) {
  if (index >= tact_decision_flag_count(decision)) return nullptr;
  return decision->decision.flags(static_cast<int>(index)).code().c_str();
}

tact_status_t tact_engine_why_not_json(const tact_engine_t* engine,
                                       const tact_decide_options_t* options,
                                       const char* context_json, size_t len,
                                       const char* action, char** json,
                                       size_t* json_len, char** errptr) {
  static constexpr char kFunction[] = "tact_engine_why_not_json";
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  if (context_json == nullptr) {
    return ci::NullArgument(errptr, kFunction, "context_json");
  }
  if (action == nullptr) return ci::NullArgument(errptr, kFunction, "action");
  if (json == nullptr) return ci::NullArgument(errptr, kFunction, "json");
  if (json_len == nullptr) {
    return ci::NullArgument(errptr, kFunction, "json_len");
  }
  if (len > TACT_MAX_CONTEXT_BYTES) return ci::TooLong(errptr, kFunction, len);
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    absl::StatusOr<tact::v1::Context> context =
        tact::ContextFromJson(absl::string_view(context_json, len));
    if (!context.ok()) {
      return ci::Fail(
          errptr, static_cast<tact_status_t>(context.status().code()),
          absl::StrCat(kFunction, ": ", context.status().message()));
    }
    if (options != nullptr && !options->complete) {
      return ci::Fail(errptr, TACT_RESOURCE_EXHAUSTED,
                      absl::StrCat(kFunction,
                                   ": options incomplete (out of memory while "
                                   "setting them)"));
    }
    tact::DecideOptions decide;
    if (options != nullptr) {
      decide = options->options;
      if (options->timeout_ms != 0 &&
          options->timeout_ms <= static_cast<uint64_t>(INT64_MAX / 1000000)) {
        decide.deadline =
            absl::Now() +
            absl::Milliseconds(static_cast<int64_t>(options->timeout_ms));
      }
    }
    absl::StatusOr<tact::v1::WhyNot> why =
        engine->engine->WhyNot(*context, action, decide);
    if (!why.ok()) {
      return ci::Fail(errptr, static_cast<tact_status_t>(why.status().code()),
                      absl::StrCat(kFunction, ": ", why.status().message()));
    }
    std::string out = tact::WhyNotToJson(*why, /*pretty=*/true);
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
    return ci::StoreBuffer(kFunction, out, json, json_len, errptr);
  });
}

tact_handle_t* tact_handle_create(void) {
  return new (std::nothrow) tact_handle_t();
}

void tact_handle_destroy(tact_handle_t* handle) { delete handle; }

tact_status_t tact_handle_set_engine(tact_handle_t* handle,
                                     const tact_engine_t* engine,
                                     char** errptr) {
  static constexpr char kFunction[] = "tact_handle_set_engine";
  if (handle == nullptr) return ci::NullArgument(errptr, kFunction, "handle");
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  handle->handle.Swap(engine->engine);
  return TACT_OK;
}

tact_status_t tact_handle_set_candidate(tact_handle_t* handle,
                                        const tact_engine_t* candidate,
                                        double share, char** errptr) {
  static constexpr char kFunction[] = "tact_handle_set_candidate";
  if (handle == nullptr) return ci::NullArgument(errptr, kFunction, "handle");
  if (candidate == nullptr) {
    return ci::NullArgument(errptr, kFunction, "candidate");
  }
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    tact::ShadowOptions options;
    options.share = share;
    absl::Status status =
        handle->handle.SetCandidate(candidate->engine, options);
    if (!status.ok()) {
      return ci::Fail(errptr, static_cast<tact_status_t>(status.code()),
                      absl::StrCat(kFunction, ": ", status.message()));
    }
    return TACT_OK;
  });
}

void tact_handle_clear_candidate(tact_handle_t* handle) {
  if (handle != nullptr) handle->handle.ClearCandidate();
}

tact_status_t tact_handle_decide_json(const tact_handle_t* handle,
                                      const tact_decide_options_t* options,
                                      const char* context_json, size_t len,
                                      tact_decision_t** decision,
                                      char** errptr) {
  static constexpr char kFunction[] = "tact_handle_decide_json";
  if (decision == nullptr) {
    return ci::NullArgument(errptr, kFunction, "decision");
  }
  *decision = nullptr;
  if (handle == nullptr) return ci::NullArgument(errptr, kFunction, "handle");
  if (context_json == nullptr) {
    return ci::NullArgument(errptr, kFunction, "context_json");
  }
  if (len > TACT_MAX_CONTEXT_BYTES) return ci::TooLong(errptr, kFunction, len);
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::DecideOn(
        kFunction,
        [handle](const tact::v1::Context& context,
                 const tact::DecideOptions& decide_options) {
          return handle->handle.Decide(context, decide_options);
        },
        options, tact::ContextFromJson(absl::string_view(context_json, len)),
        decision, errptr);
  });
}

tact_status_t tact_handle_shadow_report_json(const tact_handle_t* handle,
                                             char** json, size_t* len,
                                             char** errptr) {
  static constexpr char kFunction[] = "tact_handle_shadow_report_json";
  if (handle == nullptr) return ci::NullArgument(errptr, kFunction, "handle");
  if (json == nullptr) return ci::NullArgument(errptr, kFunction, "json");
  if (len == nullptr) return ci::NullArgument(errptr, kFunction, "len");
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    return ci::StoreBuffer(kFunction,
                           tact::ShadowReportToJson(handle->handle.Shadow()),
                           json, len, errptr);
  });
}

tact_status_t tact_decide_options_set_record(tact_decide_options_t* options,
                                             uint8_t record) {
  if (options == nullptr) return TACT_INVALID_ARGUMENT;
  options->options.record = record != 0;
  return TACT_OK;
}

tact_status_t tact_replay_json(const tact_engine_t* engine,
                               const char* log_path, uint8_t pretty,
                               char** json, size_t* len, char** errptr) {
  static constexpr char kFunction[] = "tact_replay_json";
  if (engine == nullptr) return ci::NullArgument(errptr, kFunction, "engine");
  if (log_path == nullptr) {
    return ci::NullArgument(errptr, kFunction, "log_path");
  }
  if (json == nullptr) return ci::NullArgument(errptr, kFunction, "json");
  if (len == nullptr) return ci::NullArgument(errptr, kFunction, "len");
  return ci::Guard(errptr, kFunction, [&]() -> tact_status_t {
    absl::StatusOr<tact::ReplayReport> report =
        tact::Replay(*engine->engine, log_path);
    if (!report.ok()) return ci::Fail(errptr, report.status());
    return ci::StoreBuffer(kFunction,
                           tact::ReplayReportToJson(*report, pretty != 0), json,
                           len, errptr);
  });
}

}  // extern "C"
