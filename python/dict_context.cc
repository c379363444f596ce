// tact::python::ContextFromDict: see dict_context.h for the contract.
//
// The walk mirrors protobuf 3.21's proto3 JSON parser (JsonStringToMessage,
// as tact::ContextFromJson calls it) on the output of tact._convert's
// json.dumps: a field is found under its JSON or its proto name; int64
// fields take a JSON number or a decimal string; Timestamp and Duration
// fields take their RFC 3339 / "<seconds>[.<fraction>]s" strings.
// python/tests/test_dict_context.py checks every case against that path.

#include "dict_context.h"

// clang-format off
#include <datetime.h>  // after Python.h
// clang-format on

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "src/common/civil_time.h"
#include "src/common/context_fields.h"

namespace tact::python {
namespace {

using google::protobuf::util::TimeUtil;
using internal::ContextFieldInfo;
using internal::ReadContextField;

// The RFC 3339 text tact._convert writes for a datetime has a four-digit
// year; outside [1000, 9999) its strftime and astimezone do things only
// that path reproduces, so such datetimes go there.
constexpr int kMinNativeYear = 1000;
constexpr int kMaxNativeYear = 9998;
// Integers a double holds exactly; beyond, protobuf's rounding decides.
constexpr int64_t kMaxExactDouble = int64_t{1} << 53;
constexpr int64_t kMicrosPerSecond = 1000000;
// -2^63 - 2^12: below it, no JSON literal rounds to an int64 double.
constexpr double kMinLenientInt64 = -9223372036854779904.0;

using internal::DaysFromCivil;
using internal::FloorDiv;

// Holds a new reference for the scope of one dict or list item, so that a
// callback (a tzinfo's utcoffset) mutating the container cannot free it.
class Ref {
 public:
  explicit Ref(PyObject* o) : o_(o) { Py_INCREF(o_); }
  ~Ref() { Py_DECREF(o_); }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  PyObject* get() const { return o_; }

 private:
  PyObject* o_;
};

// True for what json.dumps, with tact._convert's default, can write.
bool JsonWritable(PyObject* v) {
  return v == Py_None || PyUnicode_Check(v) || PyLong_Check(v) ||
         PyFloat_Check(v) || PyDict_Check(v) || PyList_Check(v) ||
         PyTuple_Check(v) || PyDateTime_Check(v) || PyDelta_Check(v);
}

// True for values whose JSON text is not what their exact builtin type
// would write, or that protobuf's parser may read leniently: None,
// subclasses of the builtins.
bool LeftToJsonPath(PyObject* v) {
  if (v == Py_None || PyBool_Check(v)) return v == Py_None;
  return (PyUnicode_Check(v) && !PyUnicode_CheckExact(v)) ||
         (PyLong_Check(v) && !PyLong_CheckExact(v)) ||
         (PyFloat_Check(v) && !PyFloat_CheckExact(v)) ||
         (PyDict_Check(v) && !PyDict_CheckExact(v)) ||
         (PyList_Check(v) && !PyList_CheckExact(v)) ||
         (PyTuple_Check(v) && !PyTuple_CheckExact(v)) ||
         (PyDateTime_Check(v) && !PyDateTime_CheckExact(v)) ||
         (PyDelta_Check(v) && !PyDelta_CheckExact(v));
}

// The RFC 3339 text tact._convert writes: "2026-01-05T10:00:00Z", or with
// 1 to 9 fraction digits before the Z, read in place into `out`. False for
// any other text (not written then), which the caller hands to
// TimeUtil::FromString: whatever this accepts, that parser reads the same
// way (fixed-width fields, year 1-9999, a real day of the month, hour 0-23,
// minute and second 0-59), so the result is the same, only cheaper.
bool CanonicalTimestamp(std::string_view s, google::protobuf::Timestamp* out) {
  if (s.size() < 20 || s.size() > 30 || s.back() != 'Z') return false;
  auto digits = [s](size_t at, size_t n, int* value) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || s[4] != '-' || !digits(5, 2, &month) ||
      s[7] != '-' || !digits(8, 2, &day) || s[10] != 'T' ||
      !digits(11, 2, &hour) || s[13] != ':' || !digits(14, 2, &minute) ||
      s[16] != ':' || !digits(17, 2, &second)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > internal::DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  int nanos = 0;
  if (s.size() > 20) {  // ".<1 to 9 digits>Z"
    const size_t n = s.size() - 21;
    if (s[19] != '.' || n < 1 || !digits(20, n, &nanos)) return false;
    for (size_t i = n; i < 9; ++i) nanos *= 10;
  }
  out->set_seconds(DaysFromCivil(year, month, day) * 86400 + hour * 3600 +
                   minute * 60 + second);
  out->set_nanos(nanos);
  return true;
}

// "bool", "list", ... as Python names the type.
std::string TypeName(PyObject* v) { return Py_TYPE(v)->tp_name; }

// The dict walk. One instance per conversion.
class Walker {
 public:
  DictConversion Convert(PyObject* dict, v1::Context* context) {
    return ContextMessage(dict, context);
  }
  const std::string& error() const { return error_; }

 private:
  using R = DictConversion;

  // Appends `.key` (or `[index]`) to the path for the scope of one field.
  class Field {
   public:
    Field(Walker* w, std::string_view key) : w_(w), mark_(w->path_.size()) {
      if (!w_->path_.empty()) w_->path_.push_back('.');
      w_->path_.append(key);
    }
    Field(Walker* w, Py_ssize_t index) : w_(w), mark_(w->path_.size()) {
      w_->path_.append("[").append(std::to_string(index)).append("]");
    }
    ~Field() { w_->path_.resize(mark_); }
    Field(const Field&) = delete;
    Field& operator=(const Field&) = delete;

   private:
    Walker* w_;
    size_t mark_;
  };

  R Invalid(std::string_view what) {
    error_ = "invalid context: ";
    if (!path_.empty()) error_.append(path_).append(": ");
    error_.append(what);
    return R::kInvalid;
  }

  // The answer for a value of a type the field never takes.
  R WrongType(PyObject* v, std::string_view expected) {
    if (!JsonWritable(v)) {
      return Invalid(TypeName(v) + " is not JSON serializable");
    }
    if (LeftToJsonPath(v)) return R::kUnsupported;
    return Invalid(std::string("expected ")
                       .append(expected)
                       .append(", got ")
                       .append(TypeName(v)));
  }

  // Calls `on_item(key, value)` for every item of an exact dict, stopping
  // at the first result other than kOk.
  template <typename OnItem>
  R Items(PyObject* dict, OnItem on_item) {
    Py_ssize_t pos = 0;
    PyObject* key;
    PyObject* value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
      Ref key_ref(key);
      Ref value_ref(value);
      if (!PyUnicode_CheckExact(key)) {
        // json.dumps writes int, float, bool and None keys as strings, and
        // str subclasses (e.g. StrEnum) as their text: the JSON path's.
        if (key == Py_None || PyLong_Check(key) || PyFloat_Check(key) ||
            PyUnicode_Check(key)) {
          return R::kUnsupported;
        }
        return Invalid("a key of type " + TypeName(key) +
                       " is not JSON serializable; keys are strings");
      }
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(key, &size);
      if (text == nullptr) {
        PyErr_Clear();
        return Invalid("a key is not valid Unicode (lone surrogate)");
      }
      const R r =
          on_item(std::string_view(text, static_cast<size_t>(size)), value);
      if (r != R::kOk) return r;
    }
    return R::kOk;
  }

  R Unknown(std::string_view key) {
    Field f(this, key);
    return Invalid("unknown field");
  }

  // A field met twice (as "spend12m" and "spend_12m"): protobuf decides.
  static bool SeenBefore(uint32_t* seen, int field) {
    const uint32_t bit = uint32_t{1} << field;
    if (*seen & bit) return true;
    *seen |= bit;
    return false;
  }

  // --- Scalars ---------------------------------------------------------------

  // The UTF-8 text of the str `v`, or the error of a lone surrogate.
  R Text(PyObject* v, std::string_view* text) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(v, &size);
    if (data == nullptr) {
      PyErr_Clear();
      return Invalid("not valid Unicode (lone surrogate)");
    }
    *text = std::string_view(data, static_cast<size_t>(size));
    return R::kOk;
  }

  R String(PyObject* v, std::string* out) {
    if (!PyUnicode_CheckExact(v)) {
      if (PyDateTime_CheckExact(v) || PyDelta_CheckExact(v)) {
        return R::kUnsupported;  // json.dumps writes them as strings
      }
      return WrongType(v, "a string");
    }
    std::string_view text;
    if (R r = Text(v, &text); r != R::kOk) return r;
    out->assign(text.data(), text.size());
    return R::kOk;
  }

  R Int64(PyObject* v, int64_t* out) {
    if (PyLong_CheckExact(v)) {
      int overflow = 0;
      const long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
      if (overflow > 0) return Invalid("out of range for a 64-bit integer");
      if (overflow < 0) {
        // protobuf reads a long JSON literal as a double and takes it when
        // that double is an int64: a little below INT64_MIN still passes.
        const double d = PyLong_AsDouble(v);
        if (d == -1.0 && PyErr_Occurred()) PyErr_Clear();
        if (d >= kMinLenientInt64) return R::kUnsupported;
        return Invalid("out of range for a 64-bit integer");
      }
      if (x == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return R::kUnsupported;
      }
      *out = x;
      return R::kOk;
    }
    if (PyFloat_CheckExact(v)) {
      if (!std::isfinite(PyFloat_AS_DOUBLE(v))) {
        return Invalid("NaN and infinity are not JSON numbers");
      }
      return R::kUnsupported;  // protobuf reads integral JSON numbers
    }
    if (PyUnicode_CheckExact(v)) {
      std::string_view text;
      if (R r = Text(v, &text); r != R::kOk) return r;
      return DecimalString(text, out);
    }
    if (PyBool_Check(v)) {
      return Invalid("expected an integer, got bool");
    }
    return WrongType(v, "an integer or a decimal string");
  }

  // int64 in proto3 JSON's string form: "-?[0-9]+" converts here; other
  // numeric-looking text goes to protobuf; anything else is an error.
  R DecimalString(std::string_view s, int64_t* out) {
    const bool negative = !s.empty() && s[0] == '-';
    std::string_view digits = s.substr(negative ? 1 : 0);
    bool all_digits = !digits.empty();
    bool numeric_looking = !s.empty();
    for (char c : s) {
      if (c < '0' || c > '9') all_digits = false;
      if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
            c == 'e' || c == 'E' || c == ' ')) {
        numeric_looking = false;
      }
    }
    if (negative) {
      all_digits = !digits.empty();
      for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
    }
    if (!all_digits) {
      if (numeric_looking) return R::kUnsupported;
      return Invalid("expected an integer, got the string \"" +
                     std::string(s.substr(0, 40)) + "\"");
    }
    // Accumulate negatively so that INT64_MIN fits.
    int64_t value = 0;
    for (char c : digits) {
      const int d = c - '0';
      if (value < (INT64_MIN + d) / 10) {
        return Invalid("out of range for a 64-bit integer");
      }
      value = value * 10 - d;
    }
    if (!negative) {
      if (value == INT64_MIN) {
        return Invalid("out of range for a 64-bit integer");
      }
      value = -value;
    }
    *out = value;
    return R::kOk;
  }

  R Double(PyObject* v, double* out) {
    if (PyFloat_CheckExact(v)) {
      const double x = PyFloat_AS_DOUBLE(v);
      if (!std::isfinite(x)) {
        return Invalid("NaN and infinity are not JSON numbers");
      }
      *out = x;
      return R::kOk;
    }
    if (PyLong_CheckExact(v)) {
      int overflow = 0;
      const long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
      if (overflow != 0 || x > kMaxExactDouble || x < -kMaxExactDouble) {
        return R::kUnsupported;  // protobuf's rounding of long literals
      }
      *out = static_cast<double>(x);
      return R::kOk;
    }
    if (PyUnicode_CheckExact(v)) return R::kUnsupported;  // "1.5", "NaN"
    if (PyBool_Check(v)) return Invalid("expected a number, got bool");
    return WrongType(v, "a number");
  }

  R Bool(PyObject* v, bool* out) {
    if (PyBool_Check(v)) {
      *out = v == Py_True;
      return R::kOk;
    }
    if (PyUnicode_CheckExact(v) || PyLong_CheckExact(v) ||
        PyFloat_CheckExact(v)) {
      return R::kUnsupported;  // protobuf may read "true", 1
    }
    return WrongType(v, "a bool");
  }

  R Timestamp(PyObject* v, google::protobuf::Timestamp* out) {
    if (PyUnicode_CheckExact(v)) {
      std::string_view text;
      if (R r = Text(v, &text); r != R::kOk) return r;
      if (!CanonicalTimestamp(text, out) &&
          !TimeUtil::FromString(std::string(text), out)) {
        return Invalid("\"" + std::string(text.substr(0, 40)) +
                       "\" is not an RFC 3339 timestamp such as "
                       "\"2026-01-05T10:00:00Z\"");
      }
      return R::kOk;
    }
    if (PyDateTime_CheckExact(v)) return DateTime(v, out);
    // protobuf also reads {"seconds": ..., "nanos": ...}.
    if (PyDict_CheckExact(v)) return R::kUnsupported;
    if (PyDelta_CheckExact(v)) {
      return Invalid("expected a timestamp, got timedelta");
    }
    if (PyBool_Check(v) || PyLong_CheckExact(v) || PyFloat_CheckExact(v)) {
      if (PyFloat_CheckExact(v) && !std::isfinite(PyFloat_AS_DOUBLE(v))) {
        return Invalid("NaN and infinity are not JSON numbers");
      }
      return Invalid("expected an RFC 3339 string or a datetime, got " +
                     TypeName(v));
    }
    return WrongType(v, "an RFC 3339 string or a datetime");
  }

  // As tact._convert: naive datetimes are UTC; aware ones are converted.
  R DateTime(PyObject* v, google::protobuf::Timestamp* out) {
    const int year = PyDateTime_GET_YEAR(v);
    if (year < kMinNativeYear || year > kMaxNativeYear) return R::kUnsupported;
    int64_t offset_micros = 0;
    PyObject* tz = PyDateTime_DATE_GET_TZINFO(v);
    if (tz != Py_None) {
      PyObject* offset = PyObject_CallMethod(v, "utcoffset", nullptr);
      if (offset == nullptr) {
        PyErr_Clear();
        return R::kUnsupported;  // the JSON path raises the same
      }
      Ref offset_ref(offset);
      Py_DECREF(offset);  // Ref holds the one reference now
      if (!PyDelta_CheckExact(offset)) return R::kUnsupported;
      offset_micros = (int64_t{PyDateTime_DELTA_GET_DAYS(offset)} * 86400 +
                       PyDateTime_DELTA_GET_SECONDS(offset)) *
                          kMicrosPerSecond +
                      PyDateTime_DELTA_GET_MICROSECONDS(offset);
    }
    const int64_t local_seconds =
        DaysFromCivil(year, PyDateTime_GET_MONTH(v), PyDateTime_GET_DAY(v)) *
            86400 +
        PyDateTime_DATE_GET_HOUR(v) * 3600 +
        PyDateTime_DATE_GET_MINUTE(v) * 60 + PyDateTime_DATE_GET_SECOND(v);
    const int64_t utc_micros = local_seconds * kMicrosPerSecond +
                               PyDateTime_DATE_GET_MICROSECOND(v) -
                               offset_micros;
    const int64_t seconds = FloorDiv(utc_micros, kMicrosPerSecond);
    if (seconds < DaysFromCivil(kMinNativeYear, 1, 1) * 86400 ||
        seconds >= DaysFromCivil(kMaxNativeYear + 1, 1, 1) * 86400) {
      return R::kUnsupported;
    }
    out->set_seconds(seconds);
    out->set_nanos(
        static_cast<int32_t>((utc_micros - seconds * kMicrosPerSecond) * 1000));
    return R::kOk;
  }

  R Duration(PyObject* v, google::protobuf::Duration* out) {
    int64_t micros = 0;
    if (PyDelta_CheckExact(v)) {
      micros = (int64_t{PyDateTime_DELTA_GET_DAYS(v)} * 86400 +
                PyDateTime_DELTA_GET_SECONDS(v)) *
                   kMicrosPerSecond +
               PyDateTime_DELTA_GET_MICROSECONDS(v);
      const int64_t magnitude = micros < 0 ? -micros : micros;
      const int64_t sign = micros < 0 ? -1 : 1;
      if (magnitude / kMicrosPerSecond > TimeUtil::kDurationMaxSeconds) {
        return R::kUnsupported;
      }
      out->set_seconds(sign * (magnitude / kMicrosPerSecond));
      out->set_nanos(
          static_cast<int32_t>(sign * (magnitude % kMicrosPerSecond) * 1000));
      return R::kOk;
    }
    if (PyUnicode_CheckExact(v)) return R::kUnsupported;  // "1.5s"
    if (PyDateTime_CheckExact(v)) {
      return Invalid("expected a duration, got datetime");
    }
    if (PyBool_Check(v) || PyLong_CheckExact(v) || PyFloat_CheckExact(v)) {
      if (PyFloat_CheckExact(v) && !std::isfinite(PyFloat_AS_DOUBLE(v))) {
        return Invalid("NaN and infinity are not JSON numbers");
      }
      return Invalid(
          "expected a duration string such as \"3600s\" or a "
          "timedelta, got " +
          TypeName(v));
    }
    return WrongType(v, "a duration string or a timedelta");
  }

  // --- Messages --------------------------------------------------------------

  // The dict of a message field, or the reason there is none.
  R Object(PyObject* v) {
    if (PyDict_CheckExact(v)) return R::kOk;
    if (PyBool_Check(v) || PyLong_CheckExact(v) || PyFloat_CheckExact(v) ||
        PyUnicode_CheckExact(v) || PyList_CheckExact(v) ||
        PyTuple_CheckExact(v)) {
      if (PyFloat_CheckExact(v) && !std::isfinite(PyFloat_AS_DOUBLE(v))) {
        return Invalid("NaN and infinity are not JSON numbers");
      }
      return Invalid("expected an object (dict), got " + TypeName(v));
    }
    return WrongType(v, "an object (dict)");
  }

  // Converts one field's value: ReadContextField (src/common/
  // context_fields.h) finds the field for a key and calls the member for
  // its kind. A member of a message may be given at most once (under either
  // name, `seen`); of a oneof's members (`oneof`) only one may be given.
  class FieldReader {
   public:
    FieldReader(Walker* w, uint32_t* seen, bool oneof)
        : w_(w), seen_(seen), oneof_(oneof) {}

    // The item being converted.
    void Set(std::string_view key, PyObject* value) {
      key_ = key;
      value_ = value;
    }

    R Unknown(std::string_view key) { return w_->Unknown(key); }

    template <typename Mutable>
    R Into(ContextFieldInfo f, Mutable mutable_field) {
      return Field(f, [&] { return w_->Convert(value_, mutable_field()); });
    }
    template <typename T, typename Set>
    R Scalar(ContextFieldInfo f, Set set) {
      return Field(f, [&] {
        T x{};
        const R r = w_->Convert(value_, &x);
        if (r == R::kOk) set(x);
        return r;
      });
    }

   private:
    template <typename Convert>
    R Field(ContextFieldInfo f, Convert convert) {
      if (oneof_) {
        // A second member of the oneof: protobuf decides.
        if (*seen_ != 0) return R::kUnsupported;
        *seen_ = 1;
      } else if (SeenBefore(seen_, f.number)) {
        return R::kUnsupported;
      }
      Walker::Field scope(w_, key_);
      return convert();
    }

    Walker* const w_;
    uint32_t* const seen_;
    const bool oneof_;
    std::string_view key_;
    PyObject* value_ = nullptr;
  };

  // The conversion of a field's value, by the type of its destination.
  R Convert(PyObject* v, std::string* out) { return String(v, out); }
  R Convert(PyObject* v, int64_t* out) { return Int64(v, out); }
  R Convert(PyObject* v, double* out) { return Double(v, out); }
  R Convert(PyObject* v, bool* out) { return Bool(v, out); }
  R Convert(PyObject* v, google::protobuf::Timestamp* out) {
    return Timestamp(v, out);
  }
  R Convert(PyObject* v, google::protobuf::Duration* out) {
    return Duration(v, out);
  }
  template <typename M>
  R Convert(PyObject* v, M* out) {
    return Message(v, out);
  }
  template <typename M>
  R Convert(PyObject* v, google::protobuf::RepeatedPtrField<M>* out) {
    return List(v, out);
  }
  template <typename M>
  R Convert(PyObject* v, google::protobuf::Map<std::string, M>* out) {
    return Map(v, out);
  }

  // The items of the dict `v` as the fields of `out`.
  template <typename M>
  R Fields(PyObject* v, M* out, bool oneof = false) {
    uint32_t seen = 0;
    FieldReader fields(this, &seen, oneof);
    return Items(v, [&](std::string_view key, PyObject* value) -> R {
      fields.Set(key, value);
      return ReadContextField(out, key, fields);
    });
  }

  template <typename M>
  R Message(PyObject* v, M* out) {
    if (R r = Object(v); r != R::kOk) return r;
    return Fields(v, out);
  }

  R Message(PyObject* v, v1::Value* out) {
    if (R r = Object(v); r != R::kOk) return r;
    return Fields(v, out, /*oneof=*/true);
  }

  template <typename M>
  R List(PyObject* v, google::protobuf::RepeatedPtrField<M>* out) {
    if (!PyList_CheckExact(v) && !PyTuple_CheckExact(v)) {
      // protobuf reads a lone object as a one-element list.
      if (PyDict_CheckExact(v)) return R::kUnsupported;
      if (PyBool_Check(v) || PyLong_CheckExact(v) || PyFloat_CheckExact(v) ||
          PyUnicode_CheckExact(v)) {
        if (PyFloat_CheckExact(v) && !std::isfinite(PyFloat_AS_DOUBLE(v))) {
          return Invalid("NaN and infinity are not JSON numbers");
        }
        return Invalid("expected a list of events, got " + TypeName(v));
      }
      return WrongType(v, "a list of events");
    }
    const bool is_list = PyList_CheckExact(v);
    for (Py_ssize_t i = 0;
         i < (is_list ? PyList_GET_SIZE(v) : PyTuple_GET_SIZE(v)); ++i) {
      Ref item(is_list ? PyList_GET_ITEM(v, i) : PyTuple_GET_ITEM(v, i));
      Field f(this, i);
      if (R r = Message(item.get(), out->Add()); r != R::kOk) return r;
    }
    return R::kOk;
  }

  template <typename M>
  R Map(PyObject* v, google::protobuf::Map<std::string, M>* out) {
    if (R r = Object(v); r != R::kOk) return r;
    return Items(v, [&](std::string_view key, PyObject* value) -> R {
      Field f(this, key);
      return Message(value, &(*out)[std::string(key)]);
    });
  }

  R ContextMessage(PyObject* v, v1::Context* out) {
    if (!PyDict_CheckExact(v)) return R::kUnsupported;
    return Fields(v, out);
  }

  std::string path_;
  std::string error_;
};

}  // namespace

DictConversion ContextFromDict(PyObject* dict, v1::Context* context,
                               std::string* error) {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) {
      PyErr_Clear();
      return DictConversion::kUnsupported;
    }
  }
  Walker walker;
  const DictConversion result = walker.Convert(dict, context);
  if (result == DictConversion::kInvalid) *error = walker.error();
  return result;
}

}  // namespace tact::python
