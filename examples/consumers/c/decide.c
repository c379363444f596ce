/* decide POLICY CONTEXT_JSON [AUTHORITY]: prints the decision as JSON
   (exactly `tact decide --format=json`), using only the C API. Exit status:
   0 decided, 1 tact reported an error (message on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tact/c_api.h"

static char* ReadFile(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long size;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1)) != NULL) {
    *len = fread(data, 1, (size_t)size, f);
    data[*len] = '\0';
  }
  fclose(f);
  return data;
}

int main(int argc, char** argv) {
  char* err = NULL;
  tact_engine_t* engine = NULL;
  tact_decide_options_t* options = NULL;
  tact_decision_t* decision = NULL;
  char* context = NULL;
  size_t context_len = 0;
  char* json = NULL;
  size_t json_len = 0;
  tact_status_t status;
  int exit_code = 1;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: decide POLICY CONTEXT_JSON [AUTHORITY]\n");
    return 2;
  }
  status = tact_engine_create_from_file(argv[1], &engine, &err);
  if (status != TACT_OK) goto fail;
  context = ReadFile(argv[2], &context_len);
  if (context == NULL) {
    fprintf(stderr, "%s: cannot read\n", argv[2]);
    goto done;
  }
  options = tact_decide_options_create();
  if (argc == 4)
    tact_decide_options_set_authority(options, argv[3], strlen(argv[3]));
  status = tact_engine_decide_json(engine, options, context, context_len,
                                   &decision, &err);
  if (status != TACT_OK) goto fail;
  status = tact_decision_to_json(decision, 1, &json, &json_len, &err);
  if (status != TACT_OK) goto fail;
  fwrite(json, 1, json_len, stdout);
  if (json_len == 0 || json[json_len - 1] != '\n') fputc('\n', stdout);
  exit_code = 0;
  goto done;

fail:
  fprintf(stderr, "tact %s: %s: %s\n", tact_version(), tact_status_name(status),
          err != NULL ? err : "");
done:
  tact_free(err);
  tact_free(json);
  free(context);
  tact_decision_destroy(decision);
  tact_decide_options_destroy(options);
  tact_engine_destroy(engine);
  return exit_code;
}
