// The field table of src/common/context_fields.h against the descriptor of
// proto/tact/v1/context.proto: a field added to the proto without its row
// (or a row that no longer matches its field) fails here.
#include "src/common/context_fields.h"

#include <set>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tact/v1/context.pb.h"

namespace tact::internal {
namespace {

struct Row {
  int number;
  std::string accessor;
  std::string proto_name;
  std::string json_name;
  std::string kind;
  std::string type;
};

#define TACT_TEST_ROW(rows, number, accessor, proto, json, KIND, Type) \
  rows.push_back(Row{number, #accessor, proto, json, #KIND, #Type});

// The messages with a list, each with its rows.
std::vector<std::pair<std::string, std::vector<Row>>> Lists() {
  std::vector<std::pair<std::string, std::vector<Row>>> lists;
#define TACT_TEST_LIST(Type)                     \
  lists.emplace_back(#Type, std::vector<Row>()); \
  TACT_V1_FIELDS_##Type(TACT_TEST_ROW, lists.back().second)
  TACT_TEST_LIST(Context)
  TACT_TEST_LIST(Customer)
  TACT_TEST_LIST(Case)
  TACT_TEST_LIST(Event)
  TACT_TEST_LIST(Value)
#undef TACT_TEST_LIST
  return lists;
}

// The KIND and Type a row should give for `field`.
std::pair<std::string, std::string> KindOf(
    const google::protobuf::FieldDescriptor* field) {
  using google::protobuf::FieldDescriptor;
  if (field->is_map()) {
    const FieldDescriptor* value = field->message_type()->map_value();
    EXPECT_EQ(field->message_type()->map_key()->type(),
              FieldDescriptor::TYPE_STRING)
        << field->full_name();
    return {"MAP", value->message_type() == nullptr
                       ? "(not a message)"
                       : value->message_type()->name()};
  }
  if (field->is_repeated()) {
    return {"REPEATED", field->message_type() == nullptr
                            ? "(not a message)"
                            : field->message_type()->name()};
  }
  switch (field->type()) {
    case FieldDescriptor::TYPE_STRING:
      return {"STRING", "_"};
    case FieldDescriptor::TYPE_INT64:
      return {"INT64", "_"};
    case FieldDescriptor::TYPE_DOUBLE:
      return {"DOUBLE", "_"};
    case FieldDescriptor::TYPE_BOOL:
      return {"BOOL", "_"};
    case FieldDescriptor::TYPE_MESSAGE: {
      const std::string& name = field->message_type()->full_name();
      if (name == "google.protobuf.Timestamp") return {"TIMESTAMP", "_"};
      if (name == "google.protobuf.Duration") return {"DURATION", "_"};
      return {"MESSAGE", field->message_type()->name()};
    }
    default:
      return {std::string("a kind the table has no KIND for: ") +
                  field->type_name(),
              "_"};
  }
}

TEST(ContextFieldsTest, EveryMessageOfContextProtoHasAList) {
  const google::protobuf::FileDescriptor* file =
      v1::Context::descriptor()->file();
  std::set<std::string> listed;
  for (const auto& [name, rows] : Lists()) listed.insert(name);
  for (int i = 0; i < file->message_type_count(); ++i) {
    EXPECT_TRUE(listed.count(file->message_type(i)->name()))
        << "add TACT_V1_FIELDS_" << file->message_type(i)->name()
        << " to src/common/context_fields.h";
  }
}

TEST(ContextFieldsTest, EveryListMatchesItsMessage) {
  for (const auto& [name, rows] : Lists()) {
    SCOPED_TRACE(name);
    const google::protobuf::Descriptor* message =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindMessageTypeByName("tact.v1." + name);
    ASSERT_NE(message, nullptr);
    ASSERT_EQ(static_cast<int>(rows.size()), message->field_count())
        << "TACT_V1_FIELDS_" << name
        << " in src/common/context_fields.h lacks or has extra rows";
    for (int i = 0; i < message->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = message->field(i);
      const Row& row = rows[i];
      SCOPED_TRACE(field->full_name());
      EXPECT_EQ(row.number, field->number());
      // The readers' seen-field sets are 32-bit masks.
      EXPECT_LT(row.number, 32);
      EXPECT_EQ(row.proto_name, field->name());
      EXPECT_EQ(row.json_name, field->json_name());
      // The generated accessor: the name, or the name and "_" where it is
      // a C++ keyword ("case" -> case_()).
      EXPECT_TRUE(row.accessor == field->name() ||
                  row.accessor == field->name() + "_")
          << row.accessor;
      const auto [kind, type] = KindOf(field);
      EXPECT_EQ(row.kind, kind);
      EXPECT_EQ(row.type, type);
      // Value's members are its oneof; no other field is in one.
      EXPECT_EQ(field->containing_oneof() != nullptr, name == "Value");
    }
  }
}

// The visitor sees every field once, in number order.
struct Recorder : ContextFieldVisitor {
  std::vector<int> numbers;
  bool String(ContextFieldInfo f, const std::string&) { return Add(f); }
  bool Int64(ContextFieldInfo f, int64_t) { return Add(f); }
  bool Double(ContextFieldInfo f, double) { return Add(f); }
  bool Bool(ContextFieldInfo f, bool) { return Add(f); }
  bool Timestamp(ContextFieldInfo f, bool, const google::protobuf::Timestamp&) {
    return Add(f);
  }
  bool Add(ContextFieldInfo f) {
    numbers.push_back(f.number);
    return true;
  }
};

TEST(ContextFieldsTest, VisitsFieldsInOrder) {
  v1::Case c;
  Recorder recorder;
  EXPECT_TRUE(VisitContextFields(c, recorder));
  EXPECT_EQ(recorder.numbers, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

// A reader that says how it was called, and writes what it reads.
struct Which {
  std::string Unknown(const std::string& key) { return "unknown " + key; }
  template <typename F>
  std::string Into(ContextFieldInfo f, F mutable_field) {
    *mutable_field() = "x";  // Customer's Into fields are strings
    return std::string("into ") + f.proto_name;
  }
  template <typename T, typename F>
  std::string Scalar(ContextFieldInfo f, F set) {
    set(static_cast<T>(42));
    return std::string("scalar ") + f.json_name;
  }
};

TEST(ContextFieldsTest, ReadsAFieldByEitherName) {
  v1::Customer customer;
  Which which;
  EXPECT_EQ(ReadContextField(&customer, std::string("spend12m"), which),
            "scalar spend12m");
  EXPECT_EQ(customer.spend_12m(), 42);
  EXPECT_EQ(ReadContextField(&customer, std::string("lifetime_value"), which),
            "scalar lifetimeValue");
  EXPECT_EQ(customer.lifetime_value(), 42);
  EXPECT_EQ(ReadContextField(&customer, std::string("tier"), which),
            "into tier");
  EXPECT_EQ(customer.tier(), "x");
  EXPECT_EQ(ReadContextField(&customer, std::string("Tier"), which),
            "unknown Tier");
}

}  // namespace
}  // namespace tact::internal
