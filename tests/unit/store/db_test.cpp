#include "store/db.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/file.h"

namespace berth::store {
namespace {

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-db-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { (void)remove_all(dir_); }
  std::string dir_;
};

TEST_F(DbTest, PutGetListRemoveSurviveReopen) {
  {
    auto db = Db::open(dir_ + "/berth.db");
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_TRUE((*db)->put(Table::kContainers, "a", "{\"x\":1}").ok());
    ASSERT_TRUE((*db)->put(Table::kContainers, "b", "{}").ok());
    ASSERT_TRUE((*db)->remove(Table::kContainers, "b").ok());
  }
  auto db = Db::open(dir_ + "/berth.db");
  ASSERT_TRUE(db.ok());
  auto v = (*db)->get(Table::kContainers, "a");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "{\"x\":1}");
  auto missing = (*db)->get(Table::kContainers, "b");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  auto all = (*db)->list(Table::kContainers);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(DbTest, FailedTransactionRollsBack) {
  auto db = Db::open(dir_ + "/berth.db");
  ASSERT_TRUE(db.ok());
  Status st = (*db)->transaction([&]() -> Status {
    BERTH_TRY((*db)->put(Table::kImages, "x", "1"));
    return make_error(Code::kInternal, "boom");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE((*db)->get(Table::kImages, "x").ok());
}

}  // namespace
}  // namespace berth::store
