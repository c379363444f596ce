/* Exercises the C API from C (compiled as C99; CMake links it against
   libtact.so), as leveldb's db/c_test.c does: every call, success and
   failure paths.
   Run from the source root (reads examples/). Exit status 0 on success. */
#include "tact/c_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* phase = "";

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: %s: CHECK failed: %s\n", __FILE__, __LINE__, \
              phase, #cond);                                               \
      abort();                                                             \
    }                                                                      \
  } while (0)

#define CHECK_OK(call, err)                                             \
  do {                                                                  \
    tact_status_t s_ = (call);                                          \
    if (s_ != TACT_OK) {                                                \
      fprintf(stderr, "%s:%d: %s: %s: %s\n", __FILE__, __LINE__, phase, \
              tact_status_name(s_), (err) ? (err) : "(no message)");    \
      abort();                                                          \
    }                                                                   \
  } while (0)

static void StartPhase(const char* name) {
  fprintf(stderr, "=== %s\n", name);
  phase = name;
}

static const char kContext[] =
    "{\"now\": \"2026-03-10T12:00:00Z\","
    " \"customer\": {\"id\": \"cus_1\", \"tier\": \"standard\","
    " \"spend12m\": \"60000\"},"
    " \"case\": {\"id\": \"case_1\", \"category\": \"delivery\","
    " \"sentiment\": -0.6, \"ourFault\": true,"
    " \"openedAt\": \"2026-03-10T09:00:00Z\"}}";

static const char kBadPolicy[] =
    "name: \"bad\"\nrules { id: \"r\" when: \"customer.teir == 'gold'\" }\n";

int main(void) {
  char* err = NULL;
  tact_engine_t* engine = NULL;
  tact_decision_t* decision = NULL;
  tact_decide_options_t* options = NULL;
  char* json = NULL;
  size_t json_len = 0;
  char* bytes = NULL;
  size_t bytes_len = 0;
  char* json_again = NULL;
  size_t json_again_len = 0;
  tact_decision_t* from_proto = NULL;
  tact_engine_t* bad = NULL;

  StartPhase("version");
  CHECK(strcmp(tact_version(), "") != 0);
  CHECK(strcmp(tact_status_name(TACT_INVALID_ARGUMENT), "INVALID_ARGUMENT") ==
        0);

  StartPhase("create_from_file");
  CHECK_OK(tact_engine_create_from_file(
               "examples/policies/service_playbook.textproto", &engine, &err),
           err);
  CHECK(engine != NULL);
  CHECK(err == NULL);
  CHECK(strcmp(tact_engine_policy_name(engine), "service_playbook") == 0);
  CHECK(strncmp(tact_engine_policy_hash(engine), "sha256:", 7) == 0);

  StartPhase("decide_json");
  options = tact_decide_options_create();
  CHECK(options != NULL);
  tact_decide_options_set_authority(options, "bot", 3);
  tact_decide_options_set_trace(options, 1);
  CHECK_OK(tact_engine_decide_json(engine, options, kContext, strlen(kContext),
                                   &decision, &err),
           err);
  CHECK(tact_decision_action_count(decision) > 0);
  /* Apology first: the recovery playbook ranks it above everything. */
  CHECK(strcmp(tact_decision_action_id(decision, 0), "apologize") == 0);
  CHECK(tact_decision_action_id(decision, 1000) == NULL);

  StartPhase("to_json");
  CHECK_OK(tact_decision_to_json(decision, 1, &json, &json_len, &err), err);
  CHECK(json_len == strlen(json));
  CHECK(strstr(json, "\"policyName\": \"service_playbook\"") != NULL);

  StartPhase("proto_round_trip");
  CHECK_OK(tact_decision_to_proto(decision, &bytes, &bytes_len, &err), err);
  CHECK(bytes_len > 0);
  tact_free(bytes);
  bytes = NULL;

  StartPhase("decide_proto");
  /* An empty message is a context without `now`: a malformed context. */
  CHECK(tact_engine_decide_proto(engine, NULL, "", 0, &from_proto, &err) ==
        TACT_INVALID_ARGUMENT);
  CHECK(from_proto == NULL);
  CHECK(err != NULL && strstr(err, "now") != NULL);
  tact_free(err);
  err = NULL;

  StartPhase("deterministic");
  tact_decision_destroy(decision);
  decision = NULL;
  CHECK_OK(tact_engine_decide_json(engine, options, kContext, strlen(kContext),
                                   &decision, &err),
           err);
  CHECK_OK(
      tact_decision_to_json(decision, 1, &json_again, &json_again_len, &err),
      err);
  CHECK(json_len == json_again_len && memcmp(json, json_again, json_len) == 0);

  StartPhase("errors");
  CHECK(tact_engine_decide_json(engine, NULL, "{", 1, &from_proto, &err) ==
        TACT_INVALID_ARGUMENT);
  CHECK(err != NULL);
  /* A second failure replaces (and frees) the first message. */
  CHECK(tact_engine_create(kBadPolicy, strlen(kBadPolicy), TACT_POLICY_TEXT,
                           "bad.textproto", &bad,
                           &err) == TACT_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  CHECK(strstr(err, "bad.textproto:2:") != NULL);
  CHECK(strstr(err, "customer.tier") != NULL); /* the suggestion */
  CHECK(tact_engine_create_from_file("/nonexistent/policy.textproto", &bad,
                                     &err) == TACT_NOT_FOUND);
  CHECK(bad == NULL);
  CHECK(strstr(err, "/nonexistent/policy.textproto") != NULL);
  /* errptr may be NULL. */
  CHECK(tact_engine_create_from_file(NULL, &bad, NULL) ==
        TACT_INVALID_ARGUMENT);

  StartPhase("handle");
  {
    tact_handle_t* handle = tact_handle_create();
    char* report = NULL;
    size_t report_len = 0;
    tact_decision_t* served = NULL;
    CHECK(handle != NULL);
    CHECK_OK(tact_handle_set_engine(handle, engine, &err), err);
    CHECK_OK(tact_handle_set_candidate(handle, engine, 1.0, &err), err);
    CHECK_OK(tact_handle_decide_json(handle, NULL, kContext, strlen(kContext),
                                     &served, &err),
             err);
    CHECK(tact_decision_action_count(served) ==
          tact_decision_action_count(decision));
    CHECK_OK(tact_handle_shadow_report_json(handle, &report, &report_len, &err),
             err);
    CHECK(report_len == strlen(report));
    CHECK(strstr(report, "\"sampled\": 1, \"identical\": 1") != NULL);
    tact_free(report);
    CHECK(tact_handle_set_candidate(handle, engine, 2.0, &err) ==
          TACT_INVALID_ARGUMENT);
    CHECK(strstr(err, "share") != NULL);
    tact_handle_clear_candidate(handle);
    tact_decision_destroy(served);
    tact_handle_destroy(handle);
    tact_handle_destroy(NULL);
  }

  StartPhase("cleanup");
  tact_free(err);
  tact_free(json);
  tact_free(json_again);
  tact_decision_destroy(decision);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
  tact_engine_destroy(NULL);
  tact_decision_destroy(NULL);
  tact_free(NULL);

  fprintf(stderr, "PASS\n");
  return 0;
}
