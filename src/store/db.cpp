// The only file that includes sqlite3.h.
#include "store/db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>

#include "base/unique_fd.h"

namespace berth::store {

namespace {
const char* table_name(Table t) {
  switch (t) {
    case Table::kContainers:
      return "containers";
    case Table::kImages:
      return "images";
    case Table::kTags:
      return "tags";
    case Table::kLayers:
      return "layers";
    case Table::kVolumes:
      return "volumes";
    case Table::kNetworks:
      return "networks";
    case Table::kMeta:
      return "meta";
  }
  return "meta";
}
constexpr Table kAllTables[] = {Table::kContainers, Table::kImages,   Table::kTags, Table::kLayers,
                                Table::kVolumes,    Table::kNetworks, Table::kMeta};

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  int n = sqlite3_column_bytes(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : "";
}
}  // namespace

struct Db::Impl {
  sqlite3* db = nullptr;
  std::recursive_mutex mu;
  ~Impl() {
    if (db) sqlite3_close(db);
  }
  Error sql_error(const std::string& what) {
    return make_error(Code::kInternal, what + ": " + sqlite3_errmsg(db));
  }
  Status exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "unknown error";
      sqlite3_free(msg);
      return make_error(Code::kInternal, "sqlite: " + sql.substr(0, 40) + ": " + m);
    }
    return ok_status();
  }
};

Db::Db(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Db::~Db() = default;

Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  // Containers' environments (secrets) are in it: 0600, made so before SQLite creates it with
  // 0644, and fixed on a database an earlier version left readable.
  UniqueFd made(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!made) return sys_error("open database " + path);
  if (::fchmod(made.get(), 0600) != 0) return sys_error("chmod " + path);
  made.reset();
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return make_error(Code::kInternal, "open database " + path + ": " +
                                           (impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, 5000);
  BERTH_TRY_CTX(impl->exec("PRAGMA journal_mode=WAL"), "open database " + path);
  // SQLite gives -wal and -shm the database's mode when it creates them; older ones may not.
  for (const char* suffix : {"-wal", "-shm"}) {
    std::string side = path + suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT) return sys_error("chmod " + side);
  }
  BERTH_TRY_CTX(impl->exec("PRAGMA synchronous=NORMAL"), "open database " + path);
  for (Table t : kAllTables) {
    BERTH_TRY_CTX(impl->exec(std::string("CREATE TABLE IF NOT EXISTS ") + table_name(t) +
                             " (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
                  "migrate database " + path);
  }
  return std::unique_ptr<Db>(new Db(std::move(impl)));
}

Status Db::put(Table table, const std::string& key, const std::string& value) {
  std::lock_guard lock(impl_->mu);
  Statement st(impl_->db, std::string("INSERT OR REPLACE INTO ") + table_name(table) +
                              " (key, value) VALUES (?, ?)");
  if (!st.ok()) return impl_->sql_error("prepare put");
  st.bind(1, key);
  st.bind(2, value);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return impl_->sql_error(std::string("put ") + table_name(table) + " " + key);
  return ok_status();
}

Result<std::string> Db::get(Table table, const std::string& key) {
  std::lock_guard lock(impl_->mu);
  Statement st(impl_->db, std::string("SELECT value FROM ") + table_name(table) + " WHERE key = ?");
  if (!st.ok()) return impl_->sql_error("prepare get");
  st.bind(1, key);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_ROW) return column_text(st.get(), 0);
  if (rc == SQLITE_DONE)
    return make_error(Code::kNotFound, std::string(table_name(table)) + " " + key + " not found");
  return impl_->sql_error(std::string("get ") + table_name(table) + " " + key);
}

Result<std::vector<std::pair<std::string, std::string>>> Db::list(Table table) {
  std::lock_guard lock(impl_->mu);
  Statement st(impl_->db, std::string("SELECT key, value FROM ") + table_name(table));
  if (!st.ok()) return impl_->sql_error("prepare list");
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    out.emplace_back(column_text(st.get(), 0), column_text(st.get(), 1));
  if (rc != SQLITE_DONE) return impl_->sql_error(std::string("list ") + table_name(table));
  return out;
}

Status Db::remove(Table table, const std::string& key) {
  std::lock_guard lock(impl_->mu);
  Statement st(impl_->db, std::string("DELETE FROM ") + table_name(table) + " WHERE key = ?");
  if (!st.ok()) return impl_->sql_error("prepare remove");
  st.bind(1, key);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return impl_->sql_error(std::string("remove ") + table_name(table) + " " + key);
  return ok_status();
}

Status Db::transaction(const std::function<Status()>& fn) {
  std::lock_guard lock(impl_->mu);
  BERTH_TRY(impl_->exec("BEGIN IMMEDIATE"));
  Status st = fn();
  if (!st) {
    (void)impl_->exec("ROLLBACK");
    return st;
  }
  return impl_->exec("COMMIT");
}

}  // namespace berth::store
