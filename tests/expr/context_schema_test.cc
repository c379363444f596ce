#include "src/expr/context_schema.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace tact::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The type a descriptor field must have in the table, or kError when the
// field is not a readable fact (a nested message other than Timestamp).
ValueType Expected(const FieldDescriptor* f) {
  if (f->is_repeated()) return ValueType::kError;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      return ValueType::kBool;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_ENUM:
      return ValueType::kInt;
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return ValueType::kDouble;
    case FieldDescriptor::CPPTYPE_STRING:
      return ValueType::kString;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return f->message_type()->full_name() == "google.protobuf.Timestamp"
                 ? ValueType::kTimestamp
                 : ValueType::kError;
    default:
      return ValueType::kError;
  }
}

// Fails when a schema change adds a field the table does not cover.
void ExpectCovered(const Descriptor* d, absl::string_view prefix) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    ValueType want = Expected(f);
    if (want == ValueType::kError) {
      ADD_FAILURE() << d->full_name() << "." << f->name()
                    << " has a type the context schema cannot read";
      continue;
    }
    std::string path = absl::StrCat(prefix, f->name());
    int index = FindContextField(path);
    ASSERT_GE(index, 0) << path << " is missing from ContextFields()";
    EXPECT_EQ(ContextFields()[index].type, want) << path;
  }
}

TEST(ContextSchemaTest, CoversEveryCustomerField) {
  ExpectCovered(v1::Customer::descriptor(), "customer.");
}

TEST(ContextSchemaTest, CoversEveryCaseField) {
  ExpectCovered(v1::Case::descriptor(), "case.");
}

TEST(ContextSchemaTest, CoversEveryEventField) {
  const Descriptor* d = v1::Event::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    int index = FindEventField(f->name());
    ASSERT_GE(index, 0) << "Event." << f->name()
                        << " missing from EventFields()";
    EXPECT_EQ(EventFields()[index].type, Expected(f)) << f->name();
  }
  EXPECT_EQ(EventFields().size(), static_cast<size_t>(d->field_count()));
}

TEST(ContextSchemaTest, TableHasNoStaleEntries) {
  // Every entry names a real field (customer.*, case.*, or now).
  size_t expected = 1 + v1::Customer::descriptor()->field_count() +
                    v1::Case::descriptor()->field_count();
  EXPECT_EQ(ContextFields().size(), expected);
  ASSERT_NE(v1::Context::descriptor()->FindFieldByName("now"), nullptr);
}

TEST(ContextSchemaTest, GettersReadTheGeneratedProto) {
  v1::Context c;
  c.mutable_customer()->set_tier("gold");
  c.mutable_case_()->set_sentiment(-0.5);
  c.mutable_case_()->mutable_opened_at()->set_seconds(2);
  c.mutable_case_()->mutable_opened_at()->set_nanos(5);
  Value tier = ContextFields()[FindContextField("customer.tier")].get(c);
  EXPECT_EQ(tier.string_value, "gold");
  EXPECT_EQ(tier.string_value.data(), c.customer().tier().data());
  EXPECT_EQ(
      ContextFields()[FindContextField("case.sentiment")].get(c).double_value,
      -0.5);
  EXPECT_EQ(
      ContextFields()[FindContextField("case.opened_at")].get(c).int_value,
      2'000'000'005);
  Value unset = ContextFields()[FindContextField("case.incident_at")].get(c);
  EXPECT_TRUE(unset.is_error());
  EXPECT_EQ(unset.string_value, "case.incident_at is not set");
}

TEST(ContextSchemaTest, OutOfRangeTimestampIsAnError) {
  v1::Context c;
  c.mutable_now()->set_seconds(253402300799);  // 9999-12-31
  Value v = ContextFields()[FindContextField("now")].get(c);
  EXPECT_EQ(v.string_value, "now is out of range");
}

}  // namespace
}  // namespace tact::internal
