/* tact C API: decisions from any language with a C FFI (Go, Rust, Python
   ctypes, Node, C#).

   Conventions (as leveldb's c.h):
   (1) Opaque handles: a tact_engine_t is a compiled policy, a
       tact_decision_t one decision, a tact_decide_options_t the options of
       a decision. Each is created by a tact_*_create* call and released by
       the matching tact_*_destroy call, which accepts NULL.
   (2) Every fallible call returns a tact_status_t: TACT_OK (0) on success,
       otherwise a code with the numbering of absl::StatusCode (and gRPC).
       Its last argument `char** errptr` may be NULL; when it is not, on
       failure the library frees the old *errptr (which must be NULL or a
       string it returned) and stores a NUL-terminated message that the
       caller releases with tact_free(). On success *errptr is untouched.
   (3) Bytes go in and out as pointer and length pairs; they need not be
       NUL-terminated and may hold NUL bytes (proto wire format). Buffers the
       library returns are allocated by it and released with tact_free();
       JSON output is also NUL-terminated.
   (4) All pointer arguments must be non-NULL unless a comment says
       otherwise; a NULL where one is required returns
       TACT_INVALID_ARGUMENT instead of crashing.
   (5) No C++ exception and no abort crosses this API: an out-of-memory
       condition returns TACT_RESOURCE_EXHAUSTED, anything unexpected
       TACT_INTERNAL, each with a message.
   (6) Threading: a tact_engine_t is immutable and safe for concurrent use by
       multiple threads (decide on one engine from as many threads as you
       like). tact_decision_t and tact_decide_options_t are
       thread-compatible: const calls may run concurrently, the others need
       external synchronization.

   The context, policy and decision formats are the tact.v1 protobuf messages
   (tact/v1/context.proto, policy.proto, decision.proto, installed beside this
   header), as JSON in the proto3 JSON mapping or as wire-format bytes. The C
   API never reads the clock and never persists anything: the host supplies
   `now` and the history in the context, and records the decision's effects.

   Example:

     char* err = NULL;
     tact_engine_t* engine = NULL;
     if (tact_engine_create_from_file("support.textproto", &engine, &err)
         != TACT_OK) {
       fprintf(stderr, "%s\n", err);
       tact_free(err);
       return 1;
     }
     const char* ctx = "{\"now\": \"2026-01-05T10:00:00Z\"}";
     tact_decision_t* decision = NULL;
     if (tact_engine_decide_json(engine, NULL, ctx, strlen(ctx), &decision,
                                 &err) == TACT_OK) {
       char* json = NULL;
       size_t json_len = 0;
       if (tact_decision_to_json(decision, 1, &json, &json_len, &err)
           == TACT_OK) {
         puts(json);
         tact_free(json);
       }
     }
     tact_free(err);  // NULL when nothing failed
     tact_decision_destroy(decision);
     tact_engine_destroy(engine);
*/
#ifndef TACT_C_API_H_
#define TACT_C_API_H_

#include <stddef.h>
#include <stdint.h>

#include "tact/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Types ---- */

typedef struct tact_engine_t tact_engine_t;
typedef struct tact_decision_t tact_decision_t;
typedef struct tact_decide_options_t tact_decide_options_t;
typedef struct tact_cancel_t tact_cancel_t;

/* The result of every fallible call. The values are those of
   absl::StatusCode; they are part of the ABI and never renumbered. */
typedef enum tact_status_t {
  TACT_OK = 0,
  TACT_CANCELLED = 1,
  TACT_UNKNOWN = 2,
  /* A malformed policy or context, an unknown authority, a NULL argument. */
  TACT_INVALID_ARGUMENT = 3,
  TACT_DEADLINE_EXCEEDED = 4,
  /* A policy file that cannot be read. */
  TACT_NOT_FOUND = 5,
  TACT_ALREADY_EXISTS = 6,
  TACT_PERMISSION_DENIED = 7,
  /* A configured limit exceeded (policy size), or out of memory. */
  TACT_RESOURCE_EXHAUSTED = 8,
  TACT_FAILED_PRECONDITION = 9,
  TACT_ABORTED = 10,
  TACT_OUT_OF_RANGE = 11,
  TACT_UNIMPLEMENTED = 12,
  /* A bug in tact; please report it with the message. */
  TACT_INTERNAL = 13,
  TACT_UNAVAILABLE = 14,
  TACT_DATA_LOSS = 15,
  TACT_UNAUTHENTICATED = 16
} tact_status_t;

/* How policy bytes are encoded. The values are part of the ABI. Parameters
   take them as `int` (as leveldb's c.h does for its enums), so that any
   value a caller passes is well defined: unknown ones are an error. */
typedef enum tact_policy_format_t {
  TACT_POLICY_AUTO = 0,  /* text format (files: from the extension) */
  TACT_POLICY_TEXT = 1,  /* protobuf text format */
  TACT_POLICY_JSON = 2,  /* proto3 JSON mapping */
  TACT_POLICY_BINARY = 3 /* protobuf wire format */
} tact_policy_format_t;

/* How much of its reasoning a decision records (tact.v1.TraceLevel). The
   values are part of the ABI; parameters take them as `int`. */
typedef enum tact_trace_level_t {
  TACT_TRACE_OFF = 0,
  /* For every rule the rule index evaluated (not every rule: rules it
     proved cannot hold have no entry), whether it fired and if not its
     first false condition. Cheap enough to keep on. */
  TACT_TRACE_EVALUATED = 1,
  /* Every rule, and every construct. */
  TACT_TRACE_FULL = 2
} tact_trace_level_t;

/* ---- Library ---- */

/* Returns tact's version, e.g. "0.1.0". The string is static: do not free. */
TACT_EXPORT const char* tact_version(void);

/* Releases a string or buffer returned by the library (error messages, JSON,
   proto bytes). NULL is a no-op. */
TACT_EXPORT void tact_free(void* ptr);

/* Returns a static, human-readable name for `status` ("INVALID_ARGUMENT"),
   a tact_status_t ("UNKNOWN_STATUS" for other values). Do not free. */
TACT_EXPORT const char* tact_status_name(int status);

/* ---- Engine: a compiled policy ---- */

/* Compiles the policy in policy[0, policy_len) into *engine.
   `format` is a tact_policy_format_t. `source_name` (may be NULL:
   "<policy>") names it in error messages.
   Returns TACT_INVALID_ARGUMENT listing every load or type error, one per
   line as "source:line:col: error: ...", TACT_RESOURCE_EXHAUSTED when
   policy_len is more than 64 MiB (the library's max_policy_bytes; checked
   before the bytes are read, whatever the length). On failure *engine is
   set to NULL.
   Release the engine with tact_engine_destroy(). */
TACT_EXPORT tact_status_t tact_engine_create(const char* policy,
                                             size_t policy_len, int format,
                                             const char* source_name,
                                             tact_engine_t** engine,
                                             char** errptr);

/* Reads and compiles the policy file at the NUL-terminated `path`; the
   format comes from the extension (.textproto/.txtpb/.pbtxt, .json,
   .binpb/.pb). Returns TACT_NOT_FOUND when the file cannot be read,
   TACT_RESOURCE_EXHAUSTED when it is larger than 64 MiB,
   TACT_INVALID_ARGUMENT for load and type errors. */
TACT_EXPORT tact_status_t tact_engine_create_from_file(const char* path,
                                                       tact_engine_t** engine,
                                                       char** errptr);

/* Releases an engine. NULL is a no-op. REQUIRES: no decide call on it is
   running. Decisions made by the engine stay valid. */
TACT_EXPORT void tact_engine_destroy(tact_engine_t* engine);

/* The policy's name, version and content hash ("sha256:<hex>").
   NUL-terminated, valid while the engine lives; do not free. */
TACT_EXPORT const char* tact_engine_policy_name(const tact_engine_t* engine);
TACT_EXPORT const char* tact_engine_policy_version(const tact_engine_t* engine);
TACT_EXPORT const char* tact_engine_policy_hash(const tact_engine_t* engine);

/* ---- Decide options ---- */

/* Returns new options with the defaults (no authority restriction, no
   trace), or NULL when out of memory. */
TACT_EXPORT tact_decide_options_t* tact_decide_options_create(void);
TACT_EXPORT void tact_decide_options_destroy(tact_decide_options_t* options);

/* The authority the caller acts with, one of the policy's `authorities`
   (e.g. "bot" for a chatbot): actions needing more, or granting more money
   than its limit, come back in `needs_approval` instead of `actions`.
   authority[0, len), copied. Empty ("" with len 0) means unrestricted.
   Default: "". Returns TACT_INVALID_ARGUMENT and leaves the options
   unchanged when `options` or `authority` is NULL (to lift a restriction,
   pass "" and 0: a NULL never silently means unrestricted) or `len` is more
   than TACT_MAX_AUTHORITY_BYTES. Should the copy fail (out of memory), it
   returns TACT_RESOURCE_EXHAUSTED and every decide with these options
   returns TACT_RESOURCE_EXHAUSTED: a failed restriction never leaves a
   caller with more authority than it asked for. */
#define TACT_MAX_AUTHORITY_BYTES 1024
TACT_EXPORT tact_status_t tact_decide_options_set_authority(
    tact_decide_options_t* options, const char* authority, size_t len);

/* Non-zero records, for every rule, whether it fired and if not the first
   condition that failed: the same as tact_decide_options_set_trace_level
   with TACT_TRACE_FULL, and 0 as with TACT_TRACE_OFF (the last of the two
   calls wins). Default: 0. Returns TACT_INVALID_ARGUMENT when `options` is
   NULL. */
TACT_EXPORT tact_status_t
tact_decide_options_set_trace(tact_decide_options_t* options, uint8_t trace);

/* The trace level, a tact_trace_level_t. Default: TACT_TRACE_OFF. Returns
   TACT_INVALID_ARGUMENT and leaves the options unchanged when `options` is
   NULL or `level` is not a tact_trace_level_t. */
TACT_EXPORT tact_status_t
tact_decide_options_set_trace_level(tact_decide_options_t* options, int level);

/* Evaluation budgets (DecideOptions in tact/engine.h): a decision that
   exceeds one fails with TACT_RESOURCE_EXHAUSTED, naming the budget and the
   rule. Most evaluation steps; default 10000000. Most bytes of strings
   built; default 64 MiB. Return TACT_INVALID_ARGUMENT and leave the options
   unchanged when `options` is NULL or the value is below 0. */
TACT_EXPORT tact_status_t tact_decide_options_set_max_evaluation_steps(
    tact_decide_options_t* options, int64_t steps);
TACT_EXPORT tact_status_t tact_decide_options_set_max_string_bytes_built(
    tact_decide_options_t* options, int64_t bytes);

/* Each decide with these options must finish within `timeout_ms`
   milliseconds of its start, or it fails with TACT_DEADLINE_EXCEEDED.
   0 means no timeout (the default). Returns TACT_INVALID_ARGUMENT when
   `options` is NULL. */
TACT_EXPORT tact_status_t tact_decide_options_set_timeout_ms(
    tact_decide_options_t* options, uint64_t timeout_ms);

/* A cancellation flag a host may set from any thread to stop the decisions
   using it: they fail with TACT_CANCELLED. Create returns NULL when out of
   memory. Set and reset are thread-safe. */
TACT_EXPORT tact_cancel_t* tact_cancel_create(void);
TACT_EXPORT void tact_cancel_destroy(tact_cancel_t* cancel);
TACT_EXPORT void tact_cancel_set(tact_cancel_t* cancel);
TACT_EXPORT void tact_cancel_reset(tact_cancel_t* cancel);
/* Decisions with these options watch `cancel` (NULL: none, the default),
   which must outlive them. Returns TACT_INVALID_ARGUMENT when `options` is
   NULL. */
TACT_EXPORT tact_status_t tact_decide_options_set_cancel(
    tact_decide_options_t* options, const tact_cancel_t* cancel);

/* ---- Decide ---- */

/* Decides on the context given as JSON (proto3 JSON mapping of
   tact.v1.Context) in context_json[0, len). `options` may be NULL (the
   defaults). Returns TACT_INVALID_ARGUMENT when the context is malformed
   (naming the field) or the authority is not one of the policy's. On
   failure *decision is set to NULL. Release it with tact_decision_destroy().
   Identical inputs give byte-identical decisions. A context longer than
   TACT_MAX_CONTEXT_BYTES (the most protobuf parses, 2 GiB - 1) returns
   TACT_RESOURCE_EXHAUSTED without reading it. */
#define TACT_MAX_CONTEXT_BYTES ((size_t)2147483647)
TACT_EXPORT tact_status_t tact_engine_decide_json(
    const tact_engine_t* engine, const tact_decide_options_t* options,
    const char* context_json, size_t len, tact_decision_t** decision,
    char** errptr);

/* As tact_engine_decide_json, for a context in protobuf wire format. */
TACT_EXPORT tact_status_t tact_engine_decide_proto(
    const tact_engine_t* engine, const tact_decide_options_t* options,
    const char* context_proto, size_t len, tact_decision_t** decision,
    char** errptr);

/* Releases a decision. NULL is a no-op. */
TACT_EXPORT void tact_decision_destroy(tact_decision_t* decision);

/* ---- Reading a decision ---- */

/* Stores in *json the decision as JSON (proto3 JSON mapping of
   tact.v1.Decision, fields in schema order; two-space indented when `pretty`
   is non-zero), NUL-terminated, and its length without the NUL in *len.
   Byte for byte the output of `tact decide --format=json`. Release *json
   with tact_free(). */
TACT_EXPORT tact_status_t tact_decision_to_json(const tact_decision_t* decision,
                                                uint8_t pretty, char** json,
                                                size_t* len, char** errptr);

/* Stores in *bytes the decision in protobuf wire format (deterministic
   serialization) and its length in *len. Release *bytes with tact_free(). */
TACT_EXPORT tact_status_t tact_decision_to_proto(
    const tact_decision_t* decision, char** bytes, size_t* len, char** errptr);

/* The number of recommended actions, and the id of the one at `index`
   (0 = best); NULL when index is out of range. The string is valid while the
   decision lives; do not free. */
TACT_EXPORT size_t tact_decision_action_count(const tact_decision_t* decision);
TACT_EXPORT const char* tact_decision_action_id(const tact_decision_t* decision,
                                                size_t index);

/* The number of actions that need a higher authority's approval
   (tact.v1.Decision.needs_approval), the id of the one at `index`, and the
   lowest authority that may approve it; NULL when index is out of range.
   The strings are valid while the decision lives; do not free. */
TACT_EXPORT size_t
tact_decision_needs_approval_count(const tact_decision_t* decision);
TACT_EXPORT const char* tact_decision_needs_approval_id(
    const tact_decision_t* decision, size_t index);
TACT_EXPORT const char* tact_decision_needs_approval_authority(
    const tact_decision_t* decision, size_t index);

/* The number of flags the decision raised (tact.v1.Decision.flags, e.g.
   "recovery_window_missed", "restriction_errored": conditions the agent
   should know), and the code of the one at `index`; NULL when index is out
   of range. Valid while the decision lives; do not free. */
TACT_EXPORT size_t tact_decision_flag_count(const tact_decision_t* decision);
TACT_EXPORT const char* tact_decision_flag_code(const tact_decision_t* decision,
                                                size_t index);

/* ---- Why not ---- */

/* Why the action `action` (a NUL-terminated action id of the policy) is not
   recommended on the context given as JSON in context_json[0, len), decided
   with `options` (may be NULL), and what would change that: stores in *json
   the tact.v1.WhyNot message as JSON (proto3 JSON mapping, two-space
   indented), NUL-terminated, and its length in *len; release *json with
   tact_free(). Byte for byte the output of `tact decide --format=json
   --why-not=ACTION`. Every path is checked by deciding again on the
   changed context (docs/explanations.md). Returns TACT_NOT_FOUND naming the
   nearest action id when the policy has no such action, otherwise as
   tact_engine_decide_json. */
TACT_EXPORT tact_status_t tact_engine_why_not_json(
    const tact_engine_t* engine, const tact_decide_options_t* options,
    const char* context_json, size_t len, const char* action, char** json,
    size_t* json_len, char** errptr);
/* ---- Handle: the serving engine of a long-running process, and a
   candidate shadowing it (tact::EngineHandle in tact/engine_handle.h) ----

   A tact_handle_t holds the engine decisions come from, swapped whole by
   tact_handle_set_engine while other threads decide, and optionally a
   candidate engine that decides a share of the same contexts on the side:
   the caller always receives the serving engine's decision, byte for byte
   the one it would get without a candidate; the candidate's differences
   (and its errors) are only counted and reported by
   tact_handle_shadow_report_json. A tact_handle_t is safe for concurrent
   use by multiple threads: every call below may run on many at once.

   Example:

     tact_handle_t* handle = tact_handle_create();
     tact_handle_set_engine(handle, serving, &err);    // serving engine
     tact_handle_set_candidate(handle, next, 0.1, &err);  // shadow 10%
     tact_engine_destroy(next);  // the handle keeps its own reference
     ...  tact_handle_decide_json(handle, NULL, ctx, len, &decision, &err);
     char* report = NULL;
     size_t report_len = 0;
     tact_handle_shadow_report_json(handle, &report, &report_len, &err);
     tact_free(report);
     tact_handle_destroy(handle);
*/
typedef struct tact_handle_t tact_handle_t;

/* Returns a new handle without an engine (deciding fails with
   TACT_FAILED_PRECONDITION until tact_handle_set_engine), or NULL when out
   of memory. Release it with tact_handle_destroy(), which accepts NULL.
   REQUIRES for destroy: no call on the handle is running. */
TACT_EXPORT tact_handle_t* tact_handle_create(void);
TACT_EXPORT void tact_handle_destroy(tact_handle_t* handle);

/* Makes `engine` the serving engine. The handle shares it: `engine` may be
   destroyed right after. Decisions already running finish on the previous
   engine; the candidate and its report stay (the report counts the swap).
   Returns TACT_INVALID_ARGUMENT when an argument is NULL. */
TACT_EXPORT tact_status_t tact_handle_set_engine(tact_handle_t* handle,
                                                 const tact_engine_t* engine,
                                                 char** errptr);

/* Makes `candidate` shadow the serving engine, replacing any candidate and
   starting its report afresh. After each successful serving decision that
   is sampled, the candidate decides the same context with the same
   options on the calling thread, before tact_handle_decide_json returns
   (that is the only cost added). `share` in [0, 1] is the share of the
   decisions sampled, counted in millionths: the serving decisions are
   numbered n = 0, 1, ... and n is sampled when floor((n + 1) * share) >
   floor(n * share), so exactly floor(N * share) of N are. The report keeps
   the first 20 differing cases and the first 20 candidate errors as
   examples, each context and decision up to 64 KiB. The handle shares the
   candidate. Returns TACT_INVALID_ARGUMENT, leaving any current candidate,
   when an argument is NULL or `share` is not in [0, 1] (or NaN). */
TACT_EXPORT tact_status_t
tact_handle_set_candidate(tact_handle_t* handle, const tact_engine_t* candidate,
                          double share, char** errptr);

/* Stops shadowing and drops the candidate and its report. NULL is a
   no-op. */
TACT_EXPORT void tact_handle_clear_candidate(tact_handle_t* handle);

/* As tact_engine_decide_json, on the handle's serving engine (see
   tact_handle_set_candidate for the candidate). Returns
   TACT_FAILED_PRECONDITION when no engine has been set. A candidate's
   failure never changes the result. */
TACT_EXPORT tact_status_t tact_handle_decide_json(
    const tact_handle_t* handle, const tact_decide_options_t* options,
    const char* context_json, size_t len, tact_decision_t** decision,
    char** errptr);

/* Stores in *json the candidate's report as one JSON object (NUL-terminated;
   its length without the NUL in *len; release with tact_free()):
   {"active": false} without a candidate, else
   {"active": true, "candidate": {"name", "version", "hash"},
    "share_millionths", "since" (RFC 3339: when the counts began),
    "serving_swaps" (tact_handle_set_engine calls since), "decided"
    (successful serving decisions), "sampled", "identical", "differing",
    "candidate_errors", "currency", "currency_changed", "goodwill_delta",
    "goodwill_delta_overflow", "changes_by_kind": {kind: {"cases", "money",
    "money_overflow"}} for every kind of `tact simulate --baseline`,
    "examples": [{"number", "context" (proto3 JSON, or null when omitted),
    "context_omitted", "context_bytes", "serving", "candidate" (decisions,
    or null when omitted), "decisions_omitted", "changes": [{"kind", "text",
    "money"}]}], "error_examples": [{"number", "context", "context_omitted",
    "context_bytes", "serving", "decisions_omitted", "error"}]}.
   Money is candidate - serving in minor units of the serving currency. */
TACT_EXPORT tact_status_t tact_handle_shadow_report_json(
    const tact_handle_t* handle, char** json, size_t* len, char** errptr);

/* ---- Decision record and replay (tact/decision_log.h) ---- */

/* Non-zero fills each decision's record for audit and replay: its
   decision_id (a deterministic id of the policy hash, the context digest,
   the authority and the trace level), context_digest and tact_version.
   Default: 0 (those fields empty). Returns TACT_INVALID_ARGUMENT when
   `options` is NULL. */
TACT_EXPORT tact_status_t
tact_decide_options_set_record(tact_decide_options_t* options, uint8_t record);

/* Re-decides every record of the decision log at the NUL-terminated path
   `log_path` (JSON Lines of tact.v1.DecisionLogRecord, as `tact decide
   --log` writes) with `engine`, and stores in *json the report as JSON
   (two-space indented when `pretty` is non-zero), NUL-terminated, its
   length without the NUL in *len: {"log", "policyHash", "records",
   "identical", "otherPolicy", "unchanged", "differing", "differences":
   [...], "malformedCount", "malformed": [...], "ok"}; "ok" is true when
   every record replays identically (against another policy: nothing a host
   acts on changes). A record that differs or a malformed line is in the
   report, not an error. Returns TACT_NOT_FOUND or TACT_PERMISSION_DENIED
   naming the file when it cannot be opened, TACT_DATA_LOSS when reading
   fails; then *json is untouched. Release *json with tact_free(). */
TACT_EXPORT tact_status_t tact_replay_json(const tact_engine_t* engine,
                                           const char* log_path, uint8_t pretty,
                                           char** json, size_t* len,
                                           char** errptr);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TACT_C_API_H_ */
