// A tact.v1.Context straight from a Python dict, without JSON in between.
//
// The dict has the proto3 JSON shape the `tact` package documents: snake_case
// or lowerCamelCase keys, int64 as int or decimal string, timestamps as
// RFC 3339 strings or datetime objects, durations as timedelta objects.
// Whatever this file converts, it converts to exactly the context that
// json.dumps (with tact._convert's datetime/timedelta rules) followed by
// tact::ContextFromJson gives; it rejects only what that path rejects too.
// Values whose meaning only protobuf's JSON parser defines precisely (None,
// numbers written as floats or strings where ints go, subclasses of the
// builtin types, a field given twice...) are left to that path: the caller
// falls back to it.
//
// Thread-compatible; every function here REQUIRES the GIL.

#ifndef TACT_PYTHON_DICT_CONTEXT_H_
#define TACT_PYTHON_DICT_CONTEXT_H_

#include <Python.h>

#include <string>

#include "tact/v1/context.pb.h"

namespace tact::python {

// How ContextFromDict ended.
enum class DictConversion {
  kOk,           // `context` holds the converted dict.
  kInvalid,      // The dict is not a valid context; `error` says where.
  kUnsupported,  // Only the JSON path defines this dict's meaning exactly.
};

// Converts `dict` (any object; only an exact dict converts) into `context`,
// which must be empty. On kInvalid, `error` is a message that names the
// field, e.g. "customer.spend12m: expected an integer, got bool". On
// kInvalid and kUnsupported `context` is left in an unspecified state.
// Never leaves a Python exception set. REQUIRES: the GIL is held.
DictConversion ContextFromDict(PyObject* dict, v1::Context* context,
                               std::string* error);

}  // namespace tact::python

#endif  // TACT_PYTHON_DICT_CONTEXT_H_
