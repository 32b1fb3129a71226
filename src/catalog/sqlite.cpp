#include "catalog/sqlite.h"

namespace smelter {

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
SqliteStatement& SqliteStatement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
SqliteStatement& SqliteStatement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
SqliteStatement& SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = Status::IOError(std::string("catalog: ") + sqlite3_errmsg(db_));
  return false;
}

Status SqliteStatement::Run() {
  while (Step()) {
  }
  Status st = status_;
  Reset();
  return st;
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::OK();
}

std::string SqliteStatement::Text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_BLOB) {
    const void* blob = sqlite3_column_blob(stmt_, column);
    if (!blob) return {};
    return std::string(static_cast<const char*>(blob), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::IOError("cannot open catalog " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db));
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError("catalog: " + msg);
  }
  return Status::OK();
}

Result<std::unique_ptr<SqliteStatement>> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return Status::Internal(std::string("catalog: cannot prepare: ") + sqlite3_errmsg(db_));
  }
  return std::make_unique<SqliteStatement>(db_, stmt);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) { begin_status_ = db_.Exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
  if (!done_ && begin_status_.ok()) db_.Exec("ROLLBACK");
}

Status SqliteTransaction::Commit() {
  SMELTER_RETURN_IF_ERROR(begin_status_);
  Status st = db_.Exec("COMMIT");
  if (st.ok()) done_ = true;
  return st;
}

}  // namespace smelter
