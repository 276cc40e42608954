// Every generated type, through the registry: a document with every field set (made from the
// schema files) and an empty one round-trip exactly; and captured dockerd documents round-trip
// exactly, with no member the schema does not name.
#include "model/registry.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/json.h"

namespace berth::model {
namespace {

// The schema files, read independently of the generator: type name -> its wire fields (embedded
// ones flattened, the outer one winning a name as in Go) or its enum values.
struct SchemaType {
  std::vector<std::pair<std::string, std::string>> fields;  // wire name, type
  std::vector<std::string> values;                          // an enum's
  bool is_enum = false;
};

class Schema {
 public:
  Schema() {
    auto names = list_dir(BERTH_MODEL_SCHEMA_DIR);
    EXPECT_TRUE(names.ok());
    if (!names.ok()) return;
    for (const auto& name : *names) {
      if (name.size() < 5 || name.substr(name.size() - 5) != ".json") continue;
      auto text = read_file(std::string(BERTH_MODEL_SCHEMA_DIR) + "/" + name);
      EXPECT_TRUE(text.ok()) << name;
      auto doc = parse_json(text.ok() ? *text : "", name);
      EXPECT_TRUE(doc.ok()) << name;
      if (doc.ok())
        for (const auto& t : (*doc)["types"]) raw_[t["name"].get<std::string>()] = t;
    }
    for (const auto& [name, raw] : raw_) types_[name] = flatten(raw);
  }

  const SchemaType* find(const std::string& name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
  }

  // A document of `type` with every field set to a non-zero value and, in every object, a
  // member the schema does not name.
  Json sample(const std::string& type) const {
    if (auto inner = element(type, "list<"); !inner.empty()) return Json::array({sample(inner)});
    if (auto inner = element(type, "map<"); !inner.empty()) return Json{{"k", sample(inner)}};
    if (type == "string") return "text";
    if (type == "bool") return true;
    if (type == "int64") return -7;
    if (type == "uint64") return 7;
    if (type == "double") return 1.5;
    if (type == "json") return Json{{"free", Json::array({1, "form", nullptr})}};
    if (type == "strslice") return Json::array({"a", "b"});
    const SchemaType* t = find(type);
    EXPECT_NE(t, nullptr) << type;
    if (!t) return nullptr;
    if (t->is_enum) return t->values.back();
    Json out = Json::object();
    for (const auto& [name, field_type] : t->fields) out[name] = sample(field_type);
    out["XNotInSchema"] = Json{{"kept", true}};
    return out;
  }

  // Members of `doc` that `type` does not name, by path.
  void unknown_members(const std::string& type, const Json& doc, const std::string& path,
                       std::vector<std::string>* out) const {
    if (doc.is_null()) return;
    if (auto inner = element(type, "list<"); !inner.empty()) {
      for (size_t i = 0; i < doc.size(); ++i)
        unknown_members(inner, doc[i], path + "[" + std::to_string(i) + "]", out);
      return;
    }
    if (auto inner = element(type, "map<"); !inner.empty()) {
      for (const auto& [key, value] : doc.items())
        unknown_members(inner, value, path + "." + key, out);
      return;
    }
    const SchemaType* t = find(type);
    if (!t || t->is_enum) return;
    for (const auto& [key, value] : doc.items()) {
      bool known = false;
      for (const auto& [name, field_type] : t->fields) {
        if (name != key) continue;
        known = true;
        unknown_members(field_type, value, path + "." + key, out);
      }
      if (!known) out->push_back(path + "." + key);
    }
  }

 private:
  static std::string element(const std::string& type, const std::string& prefix) {
    if (type.rfind(prefix, 0) != 0 || type.back() != '>') return "";
    return type.substr(prefix.size(), type.size() - prefix.size() - 1);
  }

  SchemaType flatten(const Json& raw) const {
    SchemaType t;
    if (raw.contains("enum")) {
      t.is_enum = true;
      for (const auto& v : raw["enum"])
        t.values.push_back(v.is_string() ? v.get<std::string>() : v["wire"].get<std::string>());
      return t;
    }
    auto add = [&t](const std::string& name, const std::string& type) {
      for (const auto& f : t.fields)
        if (f.first == name) return;
      t.fields.emplace_back(name, type);
    };
    for (const auto& f : raw.value("fields", Json::array()))
      add(f["json"].get<std::string>(), f["type"].get<std::string>());
    for (const auto& base : raw.value("embed", Json::array())) {
      auto it = raw_.find(base.get<std::string>());
      EXPECT_NE(it, raw_.end()) << base;
      if (it == raw_.end()) continue;
      for (const auto& [name, type] : flatten(it->second).fields) add(name, type);
    }
    return t;
  }

  std::map<std::string, Json> raw_;
  std::map<std::string, SchemaType> types_;
};

const Schema& schema() {
  static const Schema s;
  return s;
}

const TypeInfo* find_type(const std::string& name) {
  for (const auto& t : all_types())
    if (name == t.name) return &t;
  return nullptr;
}

TEST(ModelRegistry, ListsEveryType) {
  EXPECT_GT(all_types().size(), 100u);
  for (const auto& t : all_types()) EXPECT_NE(schema().find(t.name), nullptr) << t.name;
}

TEST(ModelRegistry, EveryTypeRoundTripsADocumentWithEveryFieldSet) {
  for (const auto& t : all_types()) {
    Json in = schema().sample(t.name);
    Json out;
    Status st = t.round_trip(in, &out);
    ASSERT_TRUE(st.ok()) << t.name << ": " << st.error().message;
    EXPECT_EQ(out, in) << t.area << "/" << t.name << "\nin:  " << dump_json(in)
                       << "\nout: " << dump_json(out);
  }
}

TEST(ModelRegistry, EveryTypeRoundTripsItsZeroValue) {
  for (const auto& t : all_types()) {
    Json zero, again;
    Status st = t.round_trip(Json::object(), &zero);
    if (schema().find(t.name) && schema().find(t.name)->is_enum) {
      EXPECT_FALSE(st.ok()) << t.name;  // an enum is a string
      st = t.round_trip("", &zero);
    }
    ASSERT_TRUE(st.ok()) << t.name << ": " << st.error().message;
    st = t.round_trip(zero, &again);
    ASSERT_TRUE(st.ok()) << t.name << ": " << st.error().message;
    EXPECT_EQ(again, zero) << t.name;
    EXPECT_TRUE(t.round_trip(nullptr, &again).ok()) << t.name;
  }
}

struct Fixture {
  const char* file;
  const char* type;
};

class ModelFixture : public testing::TestWithParam<Fixture> {};

// Captured dockerd (28.x, API 1.50) responses: decoded and encoded again they must be the same
// JSON, and every member must be one the schema names (else it only survived as unknown).
TEST_P(ModelFixture, RoundTripsExactlyWithNoUnknownMembers) {
  auto text = read_file(std::string(BERTH_MODEL_FIXTURES) + "/" + GetParam().file);
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto in = parse_json(*text, GetParam().file);
  ASSERT_TRUE(in.ok()) << in.error().message;
  const TypeInfo* t = find_type(GetParam().type);
  ASSERT_NE(t, nullptr) << GetParam().type;
  Json out;
  Status st = t->round_trip(*in, &out);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(out, *in) << "in:  " << dump_json(*in) << "\nout: " << dump_json(out);
  std::vector<std::string> unknown;
  schema().unknown_members(GetParam().type, *in, GetParam().type, &unknown);
  EXPECT_TRUE(unknown.empty()) << testing::PrintToString(unknown);
}

INSTANTIATE_TEST_SUITE_P(Dockerd, ModelFixture,
                         testing::Values(Fixture{"container_inspect.json",
                                                 "ContainerInspectResponse"},
                                         Fixture{"network_inspect.json", "Network"},
                                         Fixture{"volume_inspect.json", "Volume"},
                                         Fixture{"image_inspect.json", "ImageInspect"},
                                         Fixture{"service_inspect.json", "Service"},
                                         Fixture{"node_inspect.json", "Node"},
                                         Fixture{"container_create.json", "ContainerCreateRequest"},
                                         Fixture{"container_summary.json", "ContainerSummary"},
                                         Fixture{"exec_inspect.json", "ExecInspect"},
                                         Fixture{"version.json", "SystemVersion"},
                                         Fixture{"event.json", "EventMessage"}),
                         [](const testing::TestParamInfo<Fixture>& info) {
                           std::string name = info.param.type;
                           return name;
                         });

}  // namespace
}  // namespace berth::model
