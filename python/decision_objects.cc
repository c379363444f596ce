// tact::python::DecisionToPython: see decision_objects.h for the contract.
//
// What decision.py used to do from the JSON, field by field: strings as
// str, int32 and int64 as int, doubles as float, a Timestamp as an aware UTC
// datetime truncated to microseconds, a Duration as a timedelta truncated to
// microseconds, an unset Value as None, a missing Reason as Reason(). The
// dataclasses get their __dict__ in one step (they are frozen, so their
// __init__ costs a setattr per field). A Decision holds only `_message` until
// an attribute is read: LazyGet builds it then and caches it in its slot.

#include "decision_objects.h"

// clang-format off
#include <Python.h>
#include <datetime.h>  // after Python.h
#include <structmember.h>  // T_OBJECT_EX
// clang-format on

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "src/common/civil_time.h"
#include "src/common/timestamp_bounds.h"
#include "tact/engine.h"

namespace py = pybind11;

namespace tact::python {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
using internal::FloorDiv;
using internal::kMaxTimestampSeconds;
using internal::kMinTimestampSeconds;

// Decision's attributes built from the message on first read (then cached
// in the instance's slot "_" + name): a caller that reads only `actions`
// pays only for those objects.
enum LazyField {
  kPolicyName,
  kPolicyVersion,
  kPolicyHash,
  kNow,
  kActions,
  kBlocked,
  kEffects,
  kTrace,
  kNeedsApproval,
  kFlags,
  kTotalCost,
  kTotalAgentMinutes,
  kConstructTrace,
  kServiceLevels,
  kLazyCount,
};
constexpr const char* kLazyNames[kLazyCount] = {
    "policy_name",     "policy_version", "policy_hash", "now",
    "actions",         "blocked",        "effects",     "trace",
    "needs_approval",  "flags",          "total_cost",  "total_agent_minutes",
    "construct_trace", "service_levels",
};

// The registered classes and interned attribute names. Created once and
// never freed: they must outlive the interpreter's teardown order.
struct Registry {
  py::object decision, reason, recommended_action, blocked_action, effect, flag,
      rule_trace;
  // Registered apart (RegisterConstructTraceType,
  // RegisterServiceLevelType); may be unset.
  py::object construct_trace_type;
  py::object service_level_type;
  py::object empty_tuple = py::tuple();
  // Where Decision's slots _message and _json_text sit in an instance, and
  // the cache slot ("_" + name) of each lazy attribute (kLazyNames).
  Py_ssize_t message_offset = 0;
  Py_ssize_t json_text_offset = 0;
  Py_ssize_t lazy_offsets[kLazyCount] = {};
#define TACT_NAME(n) \
  py::object n =     \
      py::reinterpret_steal<py::object>(PyUnicode_InternFromString(#n))
  TACT_NAME(_message);
  TACT_NAME(_json_text);
  TACT_NAME(policy_name);
  TACT_NAME(policy_version);
  TACT_NAME(policy_hash);
  TACT_NAME(now);
  TACT_NAME(actions);
  TACT_NAME(blocked);
  TACT_NAME(effects);
  TACT_NAME(trace);
  TACT_NAME(needs_approval);
  TACT_NAME(flags);
  TACT_NAME(source_kind);
  TACT_NAME(source_id);
  TACT_NAME(text);
  TACT_NAME(rank);
  TACT_NAME(action);
  TACT_NAME(title);
  TACT_NAME(params);
  TACT_NAME(priority);
  TACT_NAME(score);
  TACT_NAME(reasons);
  TACT_NAME(tags);
  TACT_NAME(required_authority);
  TACT_NAME(beyond_contract);
  TACT_NAME(code);
  TACT_NAME(blocked_by);
  TACT_NAME(wanted_by);
  TACT_NAME(kind);
  TACT_NAME(ref);
  TACT_NAME(amount);
  TACT_NAME(step);
  TACT_NAME(case_id);
  TACT_NAME(at);
  TACT_NAME(source);
  TACT_NAME(rule_id);
  TACT_NAME(fired);
  TACT_NAME(failed_condition);
  TACT_NAME(error);
  TACT_NAME(shadowed_by_final);
  TACT_NAME(values);
  TACT_NAME(cost);
  TACT_NAME(agent_minutes);
  TACT_NAME(total_cost);
  TACT_NAME(total_agent_minutes);
  TACT_NAME(construct_trace);
  TACT_NAME(id);
  TACT_NAME(summary);
  TACT_NAME(stopped);
  TACT_NAME(detail);
  TACT_NAME(service_levels);
  TACT_NAME(target);
  TACT_NAME(measure);
  TACT_NAME(tier);
  TACT_NAME(entitlement);
  TACT_NAME(within);
  TACT_NAME(state);
  TACT_NAME(started_at);
  TACT_NAME(stopped_at);
  TACT_NAME(due_at);
  TACT_NAME(elapsed);
  TACT_NAME(remaining);
  TACT_NAME(percent);
  TACT_NAME(threshold);
  TACT_NAME(paused);
#undef TACT_NAME
};

Registry* registry = nullptr;

const Registry& Types() {
  if (registry == nullptr || !registry->decision) {
    throw std::logic_error("tact.decision has not registered its types");
  }
  return *registry;
}

py::object Check(PyObject* o) {
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object Str(const std::string& s) {
  // Decisions quote input text; never fail on bad UTF-8.
  return Check(PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()),
                                    "replace"));
}

py::object Int(int64_t n) { return Check(PyLong_FromLongLong(n)); }

py::object Bool(bool b) {
  return py::reinterpret_borrow<py::object>(b ? Py_True : Py_False);
}

// tact._convert.parse_timestamp of the RFC 3339 text protobuf prints.
py::object DateTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() < kMinTimestampSeconds ||
      t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    return py::none();
  }
  const int64_t days = FloorDiv(t.seconds(), 86400);
  const int64_t second_of_day = t.seconds() - days * 86400;
  const internal::CivilDate date = internal::CivilFromDays(days);
  return Check(PyDateTimeAPI->DateTime_FromDateAndTime(
      static_cast<int>(date.year), date.month, date.day,
      static_cast<int>(second_of_day / 3600),
      static_cast<int>(second_of_day / 60 % 60),
      static_cast<int>(second_of_day % 60), t.nanos() / 1000,
      PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType));
}

// tact._convert.parse_duration of the text protobuf prints: the sign, then
// |seconds| and |nanos| truncated to microseconds.
py::object TimeDelta(const google::protobuf::Duration& duration) {
  const int64_t s =
      duration.seconds() < 0 ? -duration.seconds() : duration.seconds();
  const int64_t n = duration.nanos() < 0 ? -duration.nanos() : duration.nanos();
  int64_t micros = s * kMicrosPerSecond + n / 1000;
  if (duration.seconds() < 0 || duration.nanos() < 0) micros = -micros;
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const int64_t rest = micros - days * kMicrosPerDay;
  return Check(PyDelta_FromDSU(static_cast<int>(days),
                               static_cast<int>(rest / kMicrosPerSecond),
                               static_cast<int>(rest % kMicrosPerSecond)));
}

py::object ParamValue(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kBoolValue:
      return Bool(value.bool_value());
    case v1::Value::kIntValue:
      return Int(value.int_value());
    case v1::Value::kDoubleValue:
      return Check(PyFloat_FromDouble(value.double_value()));
    case v1::Value::kStringValue:
      return Str(value.string_value());
    case v1::Value::kTimestampValue:
      return DateTime(value.timestamp_value());
    case v1::Value::kDurationValue:
      return TimeDelta(value.duration_value());
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return py::none();
}

// An instance of a registered dataclass whose __dict__ is `fields`.
py::object Instance(const py::object& cls, py::dict fields) {
  const Registry& r = Types();
  py::object self =
      Check(PyBaseObject_Type.tp_new(reinterpret_cast<PyTypeObject*>(cls.ptr()),
                                     r.empty_tuple.ptr(), nullptr));
  if (PyObject_GenericSetDict(self.ptr(), fields.ptr(), nullptr) != 0) {
    throw py::error_already_set();
  }
  return self;
}

void Set(py::dict& d, const py::object& name, py::object value) {
  if (PyDict_SetItem(d.ptr(), name.ptr(), value.ptr()) != 0) {
    throw py::error_already_set();
  }
}

py::object ReasonObject(const Registry& r, const v1::Reason& reason) {
  py::dict d;
  Set(d, r.source_kind, Str(reason.source_kind()));
  Set(d, r.source_id, Str(reason.source_id()));
  Set(d, r.text, Str(reason.text()));
  return Instance(r.reason, std::move(d));
}

template <typename Repeated>
py::list ReasonList(const Registry& r, const Repeated& reasons) {
  py::list out(reasons.size());
  for (int i = 0; i < reasons.size(); ++i) {
    PyList_SET_ITEM(out.ptr(), i,
                    ReasonObject(r, reasons.Get(i)).release().ptr());
  }
  return out;
}

py::object ActionObject(const Registry& r, const v1::RecommendedAction& a) {
  py::dict params;
  for (const v1::Param& p : a.params()) {
    if (PyDict_SetItem(params.ptr(), Str(p.name()).ptr(),
                       ParamValue(p.value()).ptr()) != 0) {
      throw py::error_already_set();
    }
  }
  py::list tags(a.tags_size());
  for (int i = 0; i < a.tags_size(); ++i) {
    PyList_SET_ITEM(tags.ptr(), i, Str(a.tags(i)).release().ptr());
  }
  py::dict d;
  Set(d, r.rank, Int(a.rank()));
  Set(d, r.action, Str(a.action()));
  Set(d, r.title, Str(a.title()));
  Set(d, r.params, std::move(params));
  Set(d, r.priority, Int(a.priority()));
  Set(d, r.score, Check(PyFloat_FromDouble(a.score())));
  Set(d, r.text, Str(a.text()));
  Set(d, r.reasons, ReasonList(r, a.reasons()));
  Set(d, r.tags, std::move(tags));
  Set(d, r.required_authority, Str(a.required_authority()));
  Set(d, r.beyond_contract, Bool(a.beyond_contract()));
  Set(d, r.cost, Int(a.cost()));
  Set(d, r.agent_minutes, Int(a.agent_minutes()));
  return Instance(r.recommended_action, std::move(d));
}

py::object BlockedObject(const Registry& r, const v1::BlockedAction& b) {
  py::dict d;
  Set(d, r.action, Str(b.action()));
  Set(d, r.code, Str(b.code()));
  Set(d, r.blocked_by, ReasonObject(r, b.blocked_by()));
  Set(d, r.wanted_by, ReasonList(r, b.wanted_by()));
  return Instance(r.blocked_action, std::move(d));
}

py::object EffectObject(const Registry& r, const v1::Effect& e) {
  py::dict d;
  Set(d, r.kind, Str(e.kind()));
  Set(d, r.ref, Str(e.ref()));
  Set(d, r.amount, Int(e.amount()));
  Set(d, r.step, Int(e.step()));
  Set(d, r.case_id, Str(e.case_id()));
  Set(d, r.at, e.has_at() ? DateTime(e.at()) : py::none());
  return Instance(r.effect, std::move(d));
}

py::object FlagObject(const Registry& r, const v1::Flag& f) {
  py::dict d;
  Set(d, r.code, Str(f.code()));
  Set(d, r.source, ReasonObject(r, f.source()));
  return Instance(r.flag, std::move(d));
}

py::object TraceObject(const Registry& r, const v1::RuleTrace& t) {
  py::dict d;
  Set(d, r.rule_id, Str(t.rule_id()));
  Set(d, r.fired, Bool(t.fired()));
  Set(d, r.failed_condition, Str(t.failed_condition()));
  Set(d, r.error, Str(t.error()));
  Set(d, r.shadowed_by_final, Bool(t.shadowed_by_final()));
  py::dict values;  // expression -> its value as a CEL literal, in order
  for (const v1::Binding& b : t.values()) {
    if (PyDict_SetItem(values.ptr(), Str(b.expression()).ptr(),
                       Str(b.value()).ptr()) != 0) {
      throw py::error_already_set();
    }
  }
  Set(d, r.values, std::move(values));
  return Instance(r.rule_trace, std::move(d));
}

py::object ServiceLevelObject(const Registry& r,
                              const v1::ServiceLevelStatus& s) {
  py::dict d;
  Set(d, r.target, Str(s.target()));
  Set(d, r.measure, Str(s.measure()));
  Set(d, r.tier, Str(s.tier()));
  Set(d, r.entitlement, Str(s.entitlement()));
  Set(d, r.within, Str(s.within()));
  Set(d, r.state, Str(s.state()));
  Set(d, r.started_at,
      s.has_started_at() ? DateTime(s.started_at()) : py::none());
  Set(d, r.stopped_at,
      s.has_stopped_at() ? DateTime(s.stopped_at()) : py::none());
  Set(d, r.due_at, s.has_due_at() ? DateTime(s.due_at()) : py::none());
  Set(d, r.elapsed, TimeDelta(s.elapsed()));
  Set(d, r.remaining, TimeDelta(s.remaining()));
  Set(d, r.percent, Int(s.percent()));
  Set(d, r.threshold, Int(s.threshold()));
  Set(d, r.paused, Bool(s.paused()));
  return Instance(r.service_level_type, std::move(d));
}

py::object MessageDict(const Registry& r,
                       const google::protobuf::Message& message);

// One field value of a construct trace's detail: nested messages as dicts
// (a Timestamp as a datetime, a Duration as a timedelta, a held action as a
// RecommendedAction).
py::object FieldValue(const Registry& r, const google::protobuf::Message& m,
                      const google::protobuf::FieldDescriptor* f, int index) {
  using FD = google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* refl = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return Int(rep ? refl->GetRepeatedInt32(m, f, index)
                     : refl->GetInt32(m, f));
    case FD::CPPTYPE_INT64:
      return Int(rep ? refl->GetRepeatedInt64(m, f, index)
                     : refl->GetInt64(m, f));
    case FD::CPPTYPE_BOOL:
      return Bool(rep ? refl->GetRepeatedBool(m, f, index)
                      : refl->GetBool(m, f));
    case FD::CPPTYPE_STRING:
      return Str(rep ? refl->GetRepeatedString(m, f, index)
                     : refl->GetString(m, f));
    case FD::CPPTYPE_MESSAGE: {
      const google::protobuf::Message& sub =
          rep ? refl->GetRepeatedMessage(m, f, index) : refl->GetMessage(m, f);
      const std::string& type = sub.GetDescriptor()->full_name();
      if (type == "google.protobuf.Timestamp") {
        return DateTime(static_cast<const google::protobuf::Timestamp&>(sub));
      }
      if (type == "google.protobuf.Duration") {
        return TimeDelta(static_cast<const google::protobuf::Duration&>(sub));
      }
      if (type == "tact.v1.RecommendedAction") {
        return ActionObject(r, static_cast<const v1::RecommendedAction&>(sub));
      }
      return MessageDict(r, sub);
    }
    default:  // no other types in the trace details
      return py::none();
  }
}

// Every field of `message` by its proto name, defaults filled in (an unset
// Timestamp or Duration is None).
py::object MessageDict(const Registry& r,
                       const google::protobuf::Message& message) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const google::protobuf::Reflection* refl = message.GetReflection();
  py::dict d;
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = type->field(i);
    py::object value;
    if (f->is_repeated()) {
      const int n = refl->FieldSize(message, f);
      py::list items(n);
      for (int k = 0; k < n; ++k) {
        PyList_SET_ITEM(items.ptr(), k,
                        FieldValue(r, message, f, k).release().ptr());
      }
      value = std::move(items);
    } else if (f->cpp_type() ==
                   google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
               !refl->HasField(message, f)) {
      value = py::none();
    } else {
      value = FieldValue(r, message, f, 0);
    }
    if (PyDict_SetItem(d.ptr(), Str(f->name()).ptr(), value.ptr()) != 0) {
      throw py::error_already_set();
    }
  }
  return std::move(d);
}

py::object ConstructTraceObject(const Registry& r,
                                const v1::ConstructTrace& t) {
  py::dict d;
  Set(d, r.kind, Str(t.kind()));
  Set(d, r.id, Str(t.id()));
  Set(d, r.summary, Str(t.summary()));
  Set(d, r.stopped, Bool(t.stopped()));
  const google::protobuf::Message* detail = nullptr;
  switch (t.detail_case()) {
    case v1::ConstructTrace::kLadder:
      detail = &t.ladder();
      break;
    case v1::ConstructTrace::kStrikeLimit:
      detail = &t.strike_limit();
      break;
    case v1::ConstructTrace::kBudget:
      detail = &t.budget();
      break;
    case v1::ConstructTrace::kPlaybook:
      detail = &t.playbook();
      break;
    case v1::ConstructTrace::kEntitlement:
      detail = &t.entitlement();
      break;
    case v1::ConstructTrace::kAuthority:
      detail = &t.authority();
      break;
    case v1::ConstructTrace::kServiceLevel:
      detail = &t.service_level();
      break;
    case v1::ConstructTrace::DETAIL_NOT_SET:
      break;
  }
  Set(d, r.detail, detail != nullptr ? MessageDict(r, *detail) : py::dict());
  return Instance(r.construct_trace_type, std::move(d));
}

template <typename Repeated, typename Build>
py::tuple Tuple(const Registry& r, const Repeated& items, Build build) {
  py::tuple out(items.size());
  for (int i = 0; i < items.size(); ++i) {
    PyTuple_SET_ITEM(out.ptr(), i, build(r, items.Get(i)).release().ptr());
  }
  return out;
}

PyObject** Slot(PyObject* self, Py_ssize_t offset) {
  return reinterpret_cast<PyObject**>(reinterpret_cast<char*>(self) + offset);
}

// Stores `value` (a new reference) in the slot at `offset`, dropping what
// it held.
void Store(PyObject* self, Py_ssize_t offset, PyObject* value) {
  PyObject* old = *Slot(self, offset);
  *Slot(self, offset) = value;
  Py_XDECREF(old);
}

// Decision's lazy attribute `index` of `d`.
py::object BuildField(const Registry& r, const v1::Decision& d, int index) {
  switch (index) {
    case kPolicyName:
      return Str(d.policy_name());
    case kPolicyVersion:
      return Str(d.policy_version());
    case kPolicyHash:
      return Str(d.policy_hash());
    case kNow:
      return d.has_now() ? DateTime(d.now()) : py::none();
    case kActions:
      return Tuple(r, d.actions(), ActionObject);
    case kBlocked:
      return Tuple(r, d.blocked(), BlockedObject);
    case kEffects:
      return Tuple(r, d.effects(), EffectObject);
    case kTrace:
      return Tuple(r, d.trace(), TraceObject);
    case kNeedsApproval:
      return Tuple(r, d.needs_approval(), ActionObject);
    case kFlags:
      return Tuple(r, d.flags(), FlagObject);
    case kTotalCost:
      return Int(d.total_cost());
    case kTotalAgentMinutes:
      return Int(d.total_agent_minutes());
    case kConstructTrace:
      return r.construct_trace_type
                 ? Tuple(r, d.construct_trace(), ConstructTraceObject)
                 : r.empty_tuple;
    case kServiceLevels:
      return r.service_level_type
                 ? Tuple(r, d.service_levels(), ServiceLevelObject)
                 : r.empty_tuple;
    default:
      throw std::logic_error("no such lazy Decision attribute");
  }
}

// The descriptor of one lazy attribute, installed on the Decision class by
// RegisterDecisionTypes: reading it returns the instance's cache slot, or
// builds the value from `_message` (with the GIL held throughout, so every
// reader, in any thread, gets the same object) and caches it. Setting or
// deleting it raises AttributeError, as Decision.__setattr__ does.
struct LazyAttribute {
  PyObject_HEAD int index;
  PyObject* name;  // The attribute's name, for error messages.
};

PyObject* LazyGet(PyObject* descriptor, PyObject* self, PyObject* /*type*/) {
  if (self == nullptr || self == Py_None) {
    Py_INCREF(descriptor);
    return descriptor;
  }
  const auto* lazy = reinterpret_cast<LazyAttribute*>(descriptor);
  if (registry == nullptr || !registry->decision ||
      !PyObject_TypeCheck(
          self, reinterpret_cast<PyTypeObject*>(registry->decision.ptr()))) {
    PyErr_Format(PyExc_TypeError, "%U reads only tact.Decision objects",
                 lazy->name);
    return nullptr;
  }
  const Registry& r = *registry;
  PyObject* cached = *Slot(self, r.lazy_offsets[lazy->index]);
  if (cached != nullptr) {
    Py_INCREF(cached);
    return cached;
  }
  PyObject* message = *Slot(self, r.message_offset);
  if (message == nullptr) {
    PyErr_Format(PyExc_AttributeError,
                 "this Decision holds no decision (no %U)", lazy->name);
    return nullptr;
  }
  try {
    // Held for the whole build: building allocates, so a collector's
    // finalizer or another thread may re-initialise this Decision (dropping
    // the message it held) meanwhile.
    const py::object keep = py::reinterpret_borrow<py::object>(message);
    const auto& held = keep.cast<const DecisionMessage&>();
    py::object value = BuildField(r, held.decision(), lazy->index);
    // Stored only if the Decision still holds the message it was built
    // from, and nothing was stored meanwhile.
    PyObject** slot = Slot(self, r.lazy_offsets[lazy->index]);
    if (*slot == nullptr && *Slot(self, r.message_offset) == message) {
      *slot = value.release().ptr();
    }
    if (*slot == nullptr) return value.release().ptr();
    Py_INCREF(*slot);
    return *slot;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::cast_error&) {
    PyErr_Format(PyExc_TypeError, "Decision._message is not a %s",
                 "tact._tact.DecisionMessage");
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

int LazySet(PyObject* /*descriptor*/, PyObject* /*self*/, PyObject* /*value*/) {
  PyErr_SetString(PyExc_AttributeError, "Decision is immutable");
  return -1;
}

void LazyDealloc(PyObject* descriptor) {
  auto* lazy = reinterpret_cast<LazyAttribute*>(descriptor);
  Py_XDECREF(lazy->name);
  PyTypeObject* type = Py_TYPE(descriptor);
  type->tp_free(descriptor);
  Py_DECREF(type);
}

PyObject* LazyRepr(PyObject* descriptor) {
  return PyUnicode_FromFormat(
      "<attribute '%U' of 'Decision' objects>",
      reinterpret_cast<LazyAttribute*>(descriptor)->name);
}

PyObject* LazyAttributeType() {
  static PyObject* type = [] {
    static PyType_Slot slots[] = {
        {Py_tp_descr_get, reinterpret_cast<void*>(&LazyGet)},
        {Py_tp_descr_set, reinterpret_cast<void*>(&LazySet)},
        {Py_tp_dealloc, reinterpret_cast<void*>(&LazyDealloc)},
        {Py_tp_repr, reinterpret_cast<void*>(&LazyRepr)},
        {Py_tp_doc,
         const_cast<char*>("A tact.Decision attribute, built from the C++ "
                           "decision on first read and cached.")},
        {0, nullptr},
    };
    static PyType_Spec spec = {"tact._tact.LazyDecisionAttribute",
                               sizeof(LazyAttribute), 0, Py_TPFLAGS_DEFAULT,
                               slots};
    return PyType_FromSpec(&spec);
  }();
  if (type == nullptr) throw py::error_already_set();
  return type;
}

// The offset in an instance of `cls`'s slot `name` (a __slots__ entry of
// the class itself). Throws std::invalid_argument when there is none.
Py_ssize_t SlotOffset(py::handle cls, const std::string& name) {
  PyObject* dict = reinterpret_cast<PyTypeObject*>(cls.ptr())->tp_dict;
  PyObject* member = PyDict_GetItemString(dict, name.c_str());  // borrowed
  if (member == nullptr || !PyObject_TypeCheck(member, &PyMemberDescr_Type)) {
    throw std::invalid_argument("tact.Decision needs the slot " + name);
  }
  const PyMemberDef* def =
      reinterpret_cast<PyMemberDescrObject*>(member)->d_member;
  if (def->type != T_OBJECT_EX) {
    throw std::invalid_argument("tact.Decision's " + name +
                                " is not an object slot");
  }
  return def->offset;
}

// Records where `decision`'s slots are and installs its lazy attributes.
void InstallLazyAttributes(Registry& r, py::handle decision) {
  r.message_offset = SlotOffset(decision, "_message");
  r.json_text_offset = SlotOffset(decision, "_json_text");
  PyObject* type = LazyAttributeType();
  for (int i = 0; i < kLazyCount; ++i) {
    r.lazy_offsets[i] = SlotOffset(decision, std::string("_") + kLazyNames[i]);
    py::object descriptor =
        Check(PyType_GenericAlloc(reinterpret_cast<PyTypeObject*>(type), 0));
    auto* lazy = reinterpret_cast<LazyAttribute*>(descriptor.ptr());
    lazy->index = i;
    lazy->name = PyUnicode_InternFromString(kLazyNames[i]);
    if (lazy->name == nullptr) throw py::error_already_set();
    if (PyObject_SetAttrString(decision.ptr(), kLazyNames[i],
                               descriptor.ptr()) != 0) {
      throw py::error_already_set();
    }
  }
}

// Points `self` (a tact.Decision) at `message`, its lazy attributes unread.
void Attach(const Registry& r, PyObject* self, py::object message) {
  for (int i = 0; i < kLazyCount; ++i) Store(self, r.lazy_offsets[i], nullptr);
  Store(self, r.message_offset, message.release().ptr());
  Py_INCREF(Py_None);
  Store(self, r.json_text_offset, Py_None);
}

// Messages of dropped decisions, kept for TakeRecycledDecision: a few, so
// that a caller deciding in a loop always finds a warm one, without
// holding much memory.
constexpr size_t kMaxRecycled = 4;
// The most entries (actions, blocked, effects, ... together) a recycled
// decision may hold.
constexpr int kMaxRecycledEntries = 512;
// Created once and never freed (see Registry). Guarded by
// recycled_mutex.
std::mutex recycled_mutex;
std::vector<std::unique_ptr<v1::Decision>>* recycled = nullptr;

}  // namespace

DecisionMessage::DecisionMessage(v1::Decision decision)
    : decision_(std::make_unique<v1::Decision>(std::move(decision))) {}

DecisionMessage::~DecisionMessage() {
  if (decision_ == nullptr || !recyclable_) return;
  // A decision of a hostile size (thousands of entries) is freed, not kept
  // for the process's lifetime; its strings are bounded by the writer.
  const v1::Decision& d = *decision_;
  const int entries = d.actions_size() + d.blocked_size() +
                      d.needs_approval_size() + d.effects_size() +
                      d.flags_size() + d.trace_size() +
                      d.construct_trace_size() + d.service_levels_size();
  if (entries > kMaxRecycledEntries) return;
  const std::lock_guard<std::mutex> lock(recycled_mutex);
  if (recycled == nullptr) {
    recycled = new std::vector<std::unique_ptr<v1::Decision>>();
  }
  if (recycled->size() < kMaxRecycled)
    recycled->push_back(std::move(decision_));
}

std::unique_ptr<v1::Decision> TakeRecycledDecision() {
  {
    const std::lock_guard<std::mutex> lock(recycled_mutex);
    if (recycled != nullptr && !recycled->empty()) {
      std::unique_ptr<v1::Decision> decision = std::move(recycled->back());
      recycled->pop_back();
      return decision;
    }
  }
  return std::make_unique<v1::Decision>();
}

py::str DecisionMessage::ToJson(bool pretty) const {
  return py::reinterpret_steal<py::str>(
      Str(DecisionToJson(*decision_, pretty)).release());
}

py::bytes DecisionMessage::ToBytes() const {
  std::string bytes;
  decision_->SerializeToString(&bytes);
  return py::bytes(bytes);
}

void RegisterDecisionTypes(py::handle decision, py::handle reason,
                           py::handle recommended_action,
                           py::handle blocked_action, py::handle effect,
                           py::handle flag, py::handle rule_trace) {
  for (py::handle t : {decision, reason, recommended_action, blocked_action,
                       effect, flag, rule_trace}) {
    // Instances are made by object.__new__ (see Instance()), which is only
    // right for classes that inherit it.
    if (!PyType_Check(t.ptr()) ||
        reinterpret_cast<PyTypeObject*>(t.ptr())->tp_new !=
            PyBaseObject_Type.tp_new) {
      throw std::invalid_argument(
          "register_decision_types takes classes built by object.__new__");
    }
  }
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
  if (registry == nullptr) registry = new Registry();
  auto borrow = [](py::handle h) {
    return py::reinterpret_borrow<py::object>(h);
  };
  InstallLazyAttributes(*registry, decision);
  registry->decision = borrow(decision);
  registry->reason = borrow(reason);
  registry->recommended_action = borrow(recommended_action);
  registry->blocked_action = borrow(blocked_action);
  registry->effect = borrow(effect);
  registry->flag = borrow(flag);
  registry->rule_trace = borrow(rule_trace);
}

void RegisterConstructTraceType(py::handle construct_trace) {
  if (!PyType_Check(construct_trace.ptr()) ||
      reinterpret_cast<PyTypeObject*>(construct_trace.ptr())->tp_new !=
          PyBaseObject_Type.tp_new) {
    throw std::invalid_argument(
        "register_construct_trace_type takes a class built by "
        "object.__new__");
  }
  if (registry == nullptr) registry = new Registry();
  registry->construct_trace_type =
      py::reinterpret_borrow<py::object>(construct_trace);
}

void RegisterServiceLevelType(py::handle service_level) {
  if (!PyType_Check(service_level.ptr()) ||
      reinterpret_cast<PyTypeObject*>(service_level.ptr())->tp_new !=
          PyBaseObject_Type.tp_new) {
    throw std::invalid_argument(
        "register_service_level_type takes a class built by object.__new__");
  }
  if (registry == nullptr) registry = new Registry();
  registry->service_level_type =
      py::reinterpret_borrow<py::object>(service_level);
}

void FillDecision(py::handle self, std::shared_ptr<DecisionMessage> message) {
  const Registry& r = Types();
  if (!PyObject_TypeCheck(self.ptr(),
                          reinterpret_cast<PyTypeObject*>(r.decision.ptr()))) {
    throw py::type_error("fill_decision fills only a tact.Decision");
  }
  Attach(r, self.ptr(), py::cast(std::move(message)));
}

py::object DecisionToPython(std::unique_ptr<v1::Decision> decision) {
  const Registry& r = Types();
  py::object self = Check(PyBaseObject_Type.tp_new(
      reinterpret_cast<PyTypeObject*>(r.decision.ptr()), r.empty_tuple.ptr(),
      nullptr));
  Attach(r, self.ptr(),
         py::cast(std::make_shared<DecisionMessage>(std::move(decision))));
  return self;
}

py::object DecisionToPython(v1::Decision decision) {
  return DecisionToPython(std::make_unique<v1::Decision>(std::move(decision)));
}

}  // namespace tact::python
