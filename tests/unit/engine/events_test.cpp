#include "engine/events.h"

#include <gtest/gtest.h>

namespace berth::engine {
namespace {

Event make(const std::string& type, const std::string& action, const std::string& id,
           std::map<std::string, std::string> attrs) {
  Event e;
  e.type = type;
  e.action = action;
  e.id = id;
  e.attributes = std::move(attrs);
  return e;
}

Json filters(const std::string& text) { return *parse_json(text, "filters"); }

TEST(EventFilters, NetworkByIdPrefixOrName) {
  Event e = make("network", "connect", "abcdef0123", {{"name", "web"}, {"container", "c1"}});
  EXPECT_TRUE(event_matches(e, filters(R"({"network":{"abc":true}})")));
  EXPECT_TRUE(event_matches(e, filters(R"({"network":["web"]})")));
  EXPECT_FALSE(event_matches(e, filters(R"({"network":["db"]})")));
  EXPECT_TRUE(event_matches(e, filters(R"({"type":["network"],"event":["connect"]})")));
  EXPECT_FALSE(event_matches(e, filters(R"({"type":["network"],"event":["disconnect"]})")));
}

TEST(EventFilters, ImageByIdNameOrNameWithoutTag) {
  Event pull = make("image", "pull", "host:5000/a/b:1", {{"name", "host:5000/a/b"}});
  EXPECT_TRUE(event_matches(pull, filters(R"({"image":["host:5000/a/b"]})")));
  EXPECT_TRUE(event_matches(pull, filters(R"({"image":["host:5000/a/b:1"]})")));
  EXPECT_FALSE(event_matches(pull, filters(R"({"image":["host:5000/a"]})")));
  Event run = make("container", "start", "c1", {{"image", "busybox:latest"}, {"name", "x"}});
  EXPECT_TRUE(event_matches(run, filters(R"({"image":["busybox"]})")));
  Event del = make("image", "delete", "sha256:abc", {{"name", "sha256:abc"}});
  EXPECT_TRUE(event_matches(del, filters(R"({"image":["sha256:abc"]})")));
}

TEST(EventFilters, VolumeAndLabel) {
  Event v = make("volume", "mount", "data", {{"driver", "local"}, {"destination", "/d"}});
  EXPECT_TRUE(event_matches(v, filters(R"({"volume":["data"],"type":["volume"]})")));
  EXPECT_TRUE(event_matches(v, filters(R"({"label":["driver=local"]})")));
  EXPECT_FALSE(event_matches(v, filters(R"({"label":["driver=nfs"]})")));
  // Several labels are ANDed, as moby's MatchKVList.
  EXPECT_TRUE(event_matches(v, filters(R"({"label":["driver=local","destination=/d"]})")));
  EXPECT_FALSE(event_matches(v, filters(R"({"label":["driver=local","destination=/x"]})")));
}

}  // namespace
}  // namespace berth::engine
