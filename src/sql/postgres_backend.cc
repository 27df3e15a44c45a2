// The PostgreSQL backend on libpq: statements prepared once per connection, SQL
// text and parameter types; values travel as text (bytea as binary), rows are
// read as text and converted the way SQLite converts its values.
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "sql/cursor.h"

namespace sb::sql::detail {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; 0 lets the server infer the type.
constexpr Oid kUnknownOid = 0;
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat8Oid = 701;

ErrorKind kind_of(std::string_view state) {
  if (state == "23505") return ErrorKind::kUniqueViolation;
  if (state.starts_with("23")) return ErrorKind::kConstraint;
  // serialization_failure, deadlock_detected, lock_not_available
  if (state == "40001" || state == "40P01" || state == "55P03") return ErrorKind::kRetry;
  // connection_exception, admin/crash shutdown, cannot_connect_now
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return ErrorKind::kConnectionLost;
  return ErrorKind::kOther;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Owns one PGresult.
struct Result {
  PGresult* r = nullptr;
  Result() = default;
  explicit Result(PGresult* p) : r(p) {}
  Result(Result&& o) noexcept : r(std::exchange(o.r, nullptr)) {}
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      PQclear(r);
      r = std::exchange(o.r, nullptr);
    }
    return *this;
  }
  ~Result() { PQclear(r); }
};

class PgConnection;

class PgCursor final : public Cursor {
 public:
  PgCursor(PgConnection& c, std::string sql, const std::vector<bool>& used)
      : c_(c),
        sql_(std::move(sql)),
        values_(used.size()),
        set_(used.size()),
        types_(used.size(), kUnknownOid),
        formats_(used.size(), 0),
        lengths_(used.size(), 0),
        used_(used) {
    // PostgreSQL must know every parameter's type, and cannot infer one the text
    // never names ("SELECT ?3" has $1 and $2 too): those are text, and NULL.
    for (std::size_t k = 0; k < used.size(); ++k)
      if (!used[k]) types_[k] = kTextOid;
  }

  void bind_int64(int i, std::int64_t v) override { put(i, std::to_string(v), kInt8Oid); }
  void bind_bool(int i, bool v) override { put(i, v ? "t" : "f", kBoolOid); }
  void bind_double(int i, double v) override {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    put(i, std::string(buf, end), kFloat8Oid);
  }
  void bind_text(int i, std::string_view v) override {
    // Text cannot hold NUL: PostgreSQL would refuse it; say which parameter.
    if (v.find('\0') != std::string_view::npos)
      throw Error(ErrorKind::kOther, "22021",
                  "text parameter " + std::to_string(i) + " holds a NUL byte");
    put(i, std::string(v), kUnknownOid);
  }
  void bind_blob(int i, std::string_view v) override {
    put(i, std::string(v), kByteaOid);
    formats_[static_cast<std::size_t>(i - 1)] = 1;  // binary: the bytes as they are
  }
  void bind_null(int i) override {
    reset_if_ran(i);
    auto k = static_cast<std::size_t>(i - 1);
    set_[k] = false;
    types_[k] = used_[k] ? kUnknownOid : kTextOid;
    formats_[k] = 0;
  }

  bool step() override;
  std::int64_t affected() const override { return affected_; }
  std::int64_t int64(int col) const override;
  double real(int col) const override;
  std::string text(int col) const override;
  std::string blob(int col) const override { return text(col); }
  bool is_null(int col) const override { return !res_.r || PQgetisnull(res_.r, row_, col) == 1; }

 private:
  void reset_if_ran(int i) {
    if (i < 1 || i > static_cast<int>(values_.size()))
      throw Error(ErrorKind::kOther, "", "no parameter " + std::to_string(i) + " in the statement");
    if (ran_) {
      ran_ = false;
      res_ = Result();
      row_ = -1;
      affected_ = 0;
    }
  }
  void put(int i, std::string v, Oid type) {
    reset_if_ran(i);
    auto k = static_cast<std::size_t>(i - 1);
    if (!used_[k]) return;  // the text never reads it
    values_[k] = std::move(v);
    set_[k] = true;
    types_[k] = type;
    formats_[k] = 0;
    lengths_[k] = static_cast<int>(values_[k].size());
  }
  const char* value(int col) const { return PQgetvalue(res_.r, row_, col); }
  void execute();

  PgConnection& c_;
  std::string sql_;  // already in PostgreSQL's $N form
  std::vector<std::string> values_;
  std::vector<bool> set_;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  std::vector<int> lengths_;
  std::vector<bool> used_;  // false: a parameter the text never names
  bool ran_ = false;
  Result res_;
  int row_ = -1;
  int rows_ = 0;
  std::int64_t affected_ = 0;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {
    // Notices ("there is no transaction in progress") are not errors; keep them off stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgConnection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::kPostgres; }
  bool in_transaction() const override {
    auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
  }
  bool usable() const override { return PQstatus(conn_) == CONNECTION_OK; }

  void exec(std::string_view sql) override {
    std::string s(sql);
    Result r(PQexec(conn_, s.c_str()));
    check(r.r, "exec");
  }

  // Throws the Error for a failed result (or for none at all: out of memory or
  // the connection gone).
  void check(const PGresult* r, std::string_view what) const {
    auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    if (message.empty()) message = trimmed(PQerrorMessage(conn_));
    auto kind = state ? kind_of(state) : ErrorKind::kOther;
    if (!usable()) kind = ErrorKind::kConnectionLost;
    throw Error(kind, state ? state : "", std::string(what) + ": " + message);
  }

  // The name of the statement prepared for this text and these parameter types.
  const std::string& prepared(const std::string& sql, const std::vector<Oid>& types) {
    std::string key = sql;
    key += '\0';
    for (Oid t : types) key += std::to_string(t) + ",";
    auto it = names_.find(key);
    if (it != names_.end()) return it->second;
    std::string name = "sb" + std::to_string(++prepared_count_);
    Result r(
        PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data()));
    check(r.r, "prepare");
    return names_.emplace(std::move(key), std::move(name)).first->second;
  }
  void forget(const std::string& name) {
    std::erase_if(names_, [&](const auto& entry) { return entry.second == name; });
  }
  PGconn* get() const { return conn_; }

 private:
  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    std::vector<bool> used;
    auto text = postgres_placeholders(sql, &used);
    return std::make_unique<PgCursor>(*this, std::move(text), used);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> names_;
  std::uint64_t prepared_count_ = 0;  // names are never reused
};

void PgCursor::execute() {
  std::vector<const char*> values(values_.size());
  for (std::size_t k = 0; k < values_.size(); ++k)
    values[k] = set_[k] ? values_[k].data() : nullptr;
  auto run = [&] {
    std::string name = c_.prepared(sql_, types_);
    res_ = Result(PQexecPrepared(c_.get(), name.c_str(), static_cast<int>(values.size()),
                                 values.data(), lengths_.data(), formats_.data(), 0));
    return name;
  };
  auto name = run();
  try {
    c_.check(res_.r, "execute");
  } catch (const Error& e) {
    // Someone ran DEALLOCATE (or DISCARD ALL) on this session: prepare it again.
    if (e.code() != "26000") throw;
    c_.forget(name);
    run();
    c_.check(res_.r, "execute");
  }
  ran_ = true;
  rows_ = PQntuples(res_.r);
  row_ = -1;
  const char* tuples = PQcmdTuples(res_.r);
  affected_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
}

bool PgCursor::step() {
  if (!ran_) execute();
  if (row_ + 1 >= rows_) {
    row_ = rows_;
    return false;
  }
  ++row_;
  return true;
}

std::int64_t PgCursor::int64(int col) const {
  if (is_null(col)) return 0;
  std::string_view v = value(col);
  if (v == "t") return 1;
  if (v == "f") return 0;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec == std::errc() && end == v.data() + v.size()) return n;
  return static_cast<std::int64_t>(real(col));  // numeric, float: truncated as SQLite does
}

double PgCursor::real(int col) const {
  if (is_null(col)) return 0;
  std::string_view v = value(col);
  if (v == "t") return 1;
  if (v == "f") return 0;
  return std::strtod(v.data(), nullptr);
}

std::string PgCursor::text(int col) const {
  if (is_null(col)) return "";
  auto len = static_cast<std::size_t>(PQgetlength(res_.r, row_, col));
  if (PQftype(res_.r, col) != kByteaOid) return std::string(value(col), len);
  std::size_t n = 0;
  auto* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value(col)), &n);
  if (!bytes) throw Error(ErrorKind::kOther, "", "bytea column " + std::to_string(col));
  std::string out(reinterpret_cast<const char*>(bytes), n);
  PQfreemem(bytes);
  return out;
}

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
    PQfinish(conn);
    throw Error(ErrorKind::kConnectionLost, "08001", "connect: " + msg);
  }
  return std::make_unique<PgConnection>(conn);
}

}  // namespace sb::sql::detail
