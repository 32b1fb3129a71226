// A thin RAII layer over the SQLite C API: a connection and prepared
// statements, with errors returned as Status. Not thread-safe: one
// connection per thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace smelter {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& BindNull(int index);
  SqliteStatement& BindBlob(int index, std::string_view bytes);

  // Steps once: true when a row is available, false when done. On error,
  // returns false and sets *status (when given) or remembers it in status().
  bool Step();
  // Runs to completion (for statements without rows).
  Status Run();
  const Status& status() const { return status_; }
  void Reset();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) const;  // also reads BLOB columns, byte for byte
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

class SqliteDb {
 public:
  ~SqliteDb();
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  Status Exec(const std::string& sql);
  Result<std::unique_ptr<SqliteStatement>> Prepare(std::string_view sql);
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Begins a transaction; rolls back on destruction unless Commit() succeeded.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  Status Commit();
  const Status& begin_status() const { return begin_status_; }

 private:
  SqliteDb& db_;
  Status begin_status_;
  bool done_ = false;
};

}  // namespace smelter
