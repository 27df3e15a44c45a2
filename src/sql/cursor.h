// Private to sql/: what each backend implements behind sql::Statement.
#pragma once

#include <vector>

#include "sql/sql.h"

namespace sb::sql::detail {

class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void bind_int64(int i, std::int64_t v) = 0;
  virtual void bind_bool(int i, bool v) = 0;
  virtual void bind_double(int i, double v) = 0;
  virtual void bind_text(int i, std::string_view v) = 0;
  virtual void bind_blob(int i, std::string_view v) = 0;
  virtual void bind_null(int i) = 0;
  virtual bool step() = 0;
  virtual std::int64_t affected() const = 0;
  virtual std::int64_t int64(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual std::string blob(int col) const = 0;
  virtual bool is_null(int col) const = 0;
};

// The backends, for connect().
std::unique_ptr<Connection> open_sqlite(const std::string& path);
std::unique_ptr<Connection> open_postgres(const std::string& url);

// `?` and `?N` as PostgreSQL's $N, numbered as SQLite numbers them (a bare `?`
// is one more than the largest number so far); quoted strings, quoted names and
// comments are left alone (dollar-quoted bodies are not recognised: PL/pgSQL
// goes through exec(), which is not translated). `used` gets one entry per
// number up to the largest, true for those the text names.
std::string postgres_placeholders(std::string_view sql, std::vector<bool>* used = nullptr);

}  // namespace sb::sql::detail
