#include "mailbox/imap_connection.h"

#include <sodium.h>

#include <algorithm>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <charconv>
#include <optional>

namespace sb::mailbox {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kMaxLineBytes = 1024 * 1024;
constexpr std::size_t kMaxUntaggedLines = 100'000;  // per command, besides fetched messages
constexpr std::size_t kReadChunk = 64 * 1024;

// What an Asio operation finished with, whatever its handler's signature.
struct Completion {
  std::optional<std::pair<error_code, std::size_t>>* done;
  void operator()(error_code ec) const { done->emplace(ec, 0); }
  void operator()(error_code ec, std::size_t n) const { done->emplace(ec, n); }
  template <class T>
  void operator()(error_code ec, const T&) const {
    done->emplace(ec, 0);
  }
};

// Runs `start(handler)` on `io` for at most `timeout`; on expiry calls
// `cancel`, lets the handler run, and reports timed_out.
template <class Start, class Cancel>
std::pair<error_code, std::size_t> run_with_deadline(asio::io_context& io, milliseconds timeout,
                                                     Start start, Cancel cancel) {
  std::optional<std::pair<error_code, std::size_t>> done;
  start(Completion{&done});
  io.restart();
  io.run_for(timeout);
  if (done) return *done;
  cancel();
  io.restart();
  io.run();
  return {asio::error::timed_out, 0};
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "* 12 EXISTS" -> "EXISTS"; empty when the line is not "* <number> <word>".
std::string numbered_untagged_kind(std::string_view line) {
  if (!line.starts_with("* ")) return {};
  auto rest = line.substr(2);
  auto sp = rest.find(' ');
  if (sp == std::string_view::npos || sp == 0) return {};
  if (!std::all_of(rest.begin(), rest.begin() + sp, [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  auto word = rest.substr(sp + 1);
  return upper(std::string(word.substr(0, word.find(' '))));
}

std::string clip(std::string s) {
  if (s.size() > 300) s.resize(300);
  return s;
}

}  // namespace

std::optional<std::uint64_t> number_after(std::string_view line, std::string_view key) {
  auto up = upper(std::string(line));
  std::string k = upper(std::string(key)) + " ";
  for (std::size_t at = up.find(k); at != std::string::npos; at = up.find(k, at + 1)) {
    if (at > 0 && up[at - 1] != ' ' && up[at - 1] != '(' && up[at - 1] != '[') continue;
    std::uint64_t n = 0;
    auto begin = line.data() + at + k.size();
    auto [end, ec] = std::from_chars(begin, line.data() + line.size(), n);
    if (ec == std::errc() && end != begin) return n;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> literal_size(std::string_view line) {
  if (!line.ends_with('}')) return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto digits = line.substr(open + 1, line.size() - open - 2);
  if (digits.ends_with('+')) digits.remove_suffix(1);  // LITERAL+
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return n;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  error_code ec;
  auto a = asio::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

ImapConnection::ImapConnection(const MailboxSettings& settings, const Timeouts& timeouts)
    : settings_(settings),
      timeouts_(timeouts),
      tls_context_(ssl::context::tls_client),
      socket_(io_) {}

ImapConnection::~ImapConnection() {
  error_code ignored;
  socket_.close(ignored);
}

void ImapConnection::tcp_connect() {
  const auto& server = settings_.imap;
  if (server.security == Security::none && !is_loopback_host(server.host))
    throw MailError(Stage::settings, "plain IMAP is allowed only to a loopback host");
  tcp::resolver resolver(io_);
  std::optional<tcp::resolver::results_type> found;
  auto [ec, n] = run_with_deadline(
      io_, timeouts_.connect,
      [&](auto handler) {
        resolver.async_resolve(server.host, std::to_string(server.port),
                               [&, handler](error_code e, tcp::resolver::results_type r) {
                                 if (!e) found = std::move(r);
                                 handler(e);
                               });
      },
      [&] { resolver.cancel(); });
  if (ec || !found || found->empty())
    throw MailError(Stage::dns, "cannot resolve " + server.host + ": " + ec.message());
  auto [cec, _] = run_with_deadline(
      io_, timeouts_.connect, [&](auto handler) { asio::async_connect(socket_, *found, handler); },
      [&] { cancel_socket(); });
  if (cec == asio::error::timed_out)
    throw MailError(Stage::connect, "connecting to " + server.host + ":" +
                                        std::to_string(server.port) + " timed out");
  if (cec)
    throw MailError(Stage::connect, "cannot connect to " + server.host + ":" +
                                        std::to_string(server.port) + ": " + cec.message());
}

void ImapConnection::tls_handshake() {
  const auto& host = settings_.imap.host;
  if (settings_.allow_self_signed) {
    tls_context_.set_verify_mode(ssl::verify_none);
  } else {
    tls_context_.set_default_verify_paths();
    if (!settings_.ca_file.empty()) tls_context_.load_verify_file(settings_.ca_file);
    tls_context_.set_verify_mode(ssl::verify_peer);
  }
  tls_ = std::make_unique<ssl::stream<tcp::socket&>>(socket_, tls_context_);
  if (!settings_.allow_self_signed) tls_->set_verify_callback(ssl::host_name_verification(host));
  error_code ignored;
  asio::ip::make_address(host, ignored);
  if (ignored) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
  auto [ec, _] = run_with_deadline(
      io_, timeouts_.connect,
      [&](auto handler) { tls_->async_handshake(ssl::stream_base::client, handler); },
      [&] { cancel_socket(); });
  if (ec) {
    tls_.reset();
    throw MailError(Stage::tls, "TLS handshake with " + host + " failed: " + ec.message());
  }
}

void ImapConnection::connect() {
  tcp_connect();
  if (settings_.imap.security == Security::tls) tls_handshake();
  std::string greeting;
  try {
    greeting = read_line();
  } catch (const MailError& e) {
    throw MailError(Stage::connect, std::string("no IMAP greeting: ") + e.what());
  }
  if (starts_with_ci(greeting, "* BYE"))
    throw MailError(Stage::connect, "server refused the connection: " + clip(greeting));
  if (!starts_with_ci(greeting, "* OK") && !starts_with_ci(greeting, "* PREAUTH"))
    throw MailError(Stage::protocol, "not an IMAP server: " + clip(greeting));
  note_capabilities(greeting);
  if (settings_.imap.security == Security::starttls) {
    if (capabilities_.empty()) command("CAPABILITY");
    if (!has_capability("STARTTLS"))
      throw MailError(Stage::tls, "the server does not offer STARTTLS");
    auto r = command("STARTTLS");
    if (r.status != "OK") throw MailError(Stage::tls, "STARTTLS refused: " + clip(r.text));
    buffer_.clear();  // nothing sent before TLS may be trusted after it
    tls_handshake();
    capabilities_.clear();
  }
  if (capabilities_.empty()) command("CAPABILITY");
}

void ImapConnection::note_capabilities(const std::string& line) {
  auto up = upper(line);
  std::string_view list;
  if (auto at = up.find("[CAPABILITY "); at != std::string::npos) {
    auto end = up.find(']', at);
    list = std::string_view(up).substr(
        at + 12, end == std::string::npos ? std::string::npos : end - at - 12);
  } else if (up.starts_with("* CAPABILITY ")) {
    list = std::string_view(up).substr(13);
  } else {
    return;
  }
  capabilities_.clear();
  while (!list.empty()) {
    auto sp = list.find(' ');
    if (sp != 0) capabilities_.emplace(list.substr(0, sp));
    if (sp == std::string_view::npos) break;
    list.remove_prefix(sp + 1);
  }
}

bool ImapConnection::has_capability(const std::string& name) const {
  return capabilities_.contains(upper(name));
}

void ImapConnection::login() {
  const auto& s = settings_.imap;
  Reply r;
  if (has_capability("AUTH=PLAIN")) {
    auto token = base64(std::string(1, '\0') + s.user + std::string(1, '\0') + s.password);
    if (has_capability("SASL-IR")) {
      r = command("AUTHENTICATE PLAIN " + token);
    } else {
      auto tag = send_command("AUTHENTICATE PLAIN");
      auto line = read_line();
      if (!line.starts_with("+")) throw MailError(Stage::auth, "AUTHENTICATE refused");
      write_all(token + "\r\n");
      r = read_until_tagged(tag);
    }
  } else if (!has_capability("LOGINDISABLED")) {
    r = command("LOGIN " + quoted(s.user) + " " + quoted(s.password));
  } else {
    throw MailError(Stage::auth, "the server allows no login on this connection (LOGINDISABLED)");
  }
  if (r.status != "OK")
    throw MailError(Stage::auth, "login as " + s.user + " refused: " + clip(r.text));
  capabilities_.clear();
  note_capabilities(r.text);
  if (capabilities_.empty()) command("CAPABILITY");
}

SelectedFolder ImapConnection::select(const std::string& folder) {
  SelectedFolder f;
  auto r = command("SELECT " + quoted(folder), [&](const std::string& line) {
    if (auto v = number_after(line, "[UIDVALIDITY")) f.uidvalidity = static_cast<std::uint32_t>(*v);
    if (auto v = number_after(line, "[UIDNEXT")) f.uidnext = static_cast<std::uint32_t>(*v);
    if (numbered_untagged_kind(line) == "EXISTS")
      f.exists = static_cast<std::uint32_t>(number_after(line, "*").value_or(0));
  });
  if (r.status != "OK")
    throw MailError(Stage::mailbox, "cannot open folder " + folder + ": " + clip(r.text));
  if (f.uidvalidity == 0) throw MailError(Stage::protocol, "the server sent no UIDVALIDITY");
  return f;
}

void ImapConnection::noop() {
  expect_ok(command("NOOP"), Stage::protocol, "NOOP");
}

void ImapConnection::fetch_from(
    std::uint32_t first, std::size_t max_bytes,
    const std::function<void(std::uint32_t, std::string, bool)>& on_message) {
  auto tag =
      send_command("UID FETCH " + std::to_string(first) + ":* (UID RFC822.SIZE BODY.PEEK[])");
  for (std::size_t other_lines = 0;;) {
    auto line = read_line();
    if (line.starts_with(tag + " ")) {
      Reply r{upper(line.substr(tag.size() + 1, 3)), line};
      if (r.status.starts_with("OK")) return;
      throw MailError(Stage::protocol, "UID FETCH failed: " + clip(line));
    }
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
    auto size = literal_size(line);
    if (numbered_untagged_kind(line) != "FETCH" || !size) {  // flags, EXISTS...
      if (++other_lines > kMaxUntaggedLines)
        throw MailError(Stage::protocol, "the server sent too many lines for one command");
      if (size && *size > kMaxLineBytes)
        throw MailError(Stage::protocol, "unexpected large literal");
      if (size) read_exact(static_cast<std::size_t>(*size), nullptr);
      continue;
    }
    auto uid = number_after(line, "UID");
    bool oversized = *size > max_bytes;
    std::string raw;
    if (!oversized) read_exact(static_cast<std::size_t>(*size), &raw);
    if (oversized) {
      if (uid) on_message(static_cast<std::uint32_t>(*uid), {}, true);
      throw MailError(Stage::protocol, "a message of " + std::to_string(*size) +
                                           " bytes is over the limit; skipped");
    }
    auto rest = read_line();  // ")" or more items, maybe the UID
    if (!uid) uid = number_after(rest, "UID");
    if (!uid) throw MailError(Stage::protocol, "FETCH response without a UID");
    if (*uid >= first) on_message(static_cast<std::uint32_t>(*uid), std::move(raw), false);
  }
}

void ImapConnection::mark_seen(std::uint32_t uid) {
  expect_ok(command("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)"),
            Stage::protocol, "UID STORE");
}

void ImapConnection::move(std::uint32_t uid, const std::string& folder) {
  auto id = std::to_string(uid);
  if (has_capability("MOVE")) {
    expect_ok(command("UID MOVE " + id + " " + quoted(folder)), Stage::mailbox, "UID MOVE");
    return;
  }
  expect_ok(command("UID COPY " + id + " " + quoted(folder)), Stage::mailbox, "UID COPY");
  expect_ok(command("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)"), Stage::protocol,
            "UID STORE");
  expect_ok(command(has_capability("UIDPLUS") ? "UID EXPUNGE " + id : std::string("EXPUNGE")),
            Stage::protocol, "EXPUNGE");
}

IdleOutcome ImapConnection::idle(milliseconds renewal, const std::atomic<bool>& stopping) {
  auto tag = send_command("IDLE");
  for (;;) {  // untagged lines may come before the continuation
    auto line = read_line();
    if (line.starts_with("+")) break;
    if (line.starts_with(tag + " "))
      throw MailError(Stage::protocol, "IDLE refused: " + clip(line));
  }
  auto deadline = std::chrono::steady_clock::now() + renewal;
  auto outcome = IdleOutcome::renewal_due;
  while (outcome == IdleOutcome::renewal_due) {
    if (stopping) {
      outcome = IdleOutcome::stopping;
      break;
    }
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= milliseconds(0)) break;
    if (!wait_readable_for(std::min(left, milliseconds(200)))) continue;
    auto line = read_line();
    auto kind = numbered_untagged_kind(line);
    if (kind == "EXISTS") outcome = IdleOutcome::new_mail;
    if (kind == "EXPUNGE") outcome = IdleOutcome::expunged;
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
  }
  write_all("DONE\r\n");
  expect_ok(read_until_tagged(tag), Stage::protocol, "IDLE");
  return outcome;
}

void ImapConnection::logout() {
  try {
    auto tag = send_command("LOGOUT");
    read_until_tagged(tag);
  } catch (const std::exception&) {
    // The server may close first; either way the session is over.
  }
}

std::string ImapConnection::send_command(const std::string& text) {
  auto tag = "a" + std::to_string(next_tag_++);
  write_all(tag + " " + text + "\r\n");
  return tag;
}

ImapConnection::Reply ImapConnection::read_until_tagged(
    const std::string& tag, const std::function<void(const std::string&)>& on_untagged) {
  for (std::size_t lines = 0;; ++lines) {
    if (lines > kMaxUntaggedLines)
      throw MailError(Stage::protocol, "the server sent too many lines for one command");
    auto line = read_line();
    if (line.starts_with(tag + " ")) {
      auto rest = line.substr(tag.size() + 1);
      auto sp = rest.find(' ');
      Reply r{upper(rest.substr(0, sp)), sp == std::string::npos ? "" : rest.substr(sp + 1)};
      return r;
    }
    if (auto size = literal_size(line)) {  // unasked-for data: skipped, within reason
      if (*size > kMaxLineBytes) throw MailError(Stage::protocol, "unexpected large literal");
      read_exact(static_cast<std::size_t>(*size), nullptr);
    }
    note_capabilities(line);
    if (starts_with_ci(line, "* BYE"))
      throw MailError(Stage::protocol, "server closed: " + clip(line));
    if (on_untagged) on_untagged(line);
  }
}

ImapConnection::Reply ImapConnection::command(
    const std::string& text, const std::function<void(const std::string&)>& on_untagged) {
  auto tag = send_command(text);
  return read_until_tagged(tag, on_untagged);
}

void ImapConnection::expect_ok(const Reply& r, Stage stage, const std::string& what) {
  if (r.status != "OK") throw MailError(stage, what + " failed: " + clip(r.text));
}

std::size_t ImapConnection::read_some(char* data, std::size_t size, milliseconds timeout) {
  auto [ec, n] = run_with_deadline(
      io_, timeout,
      [&](auto handler) {
        if (tls_)
          tls_->async_read_some(asio::buffer(data, size), handler);
        else
          socket_.async_read_some(asio::buffer(data, size), handler);
      },
      [&] { cancel_socket(); });
  if (ec == asio::error::timed_out)
    throw MailError(Stage::protocol, "the server did not answer in time");
  if (ec) throw MailError(Stage::protocol, "connection lost: " + ec.message());
  return n;
}

bool ImapConnection::wait_readable_for(milliseconds slice) {
  if (!buffer_.empty()) return true;
  if (tls_ && SSL_pending(tls_->native_handle()) > 0) return true;
  bool ready = false;
  run_with_deadline(
      io_, slice,
      [&](auto handler) {
        socket_.async_wait(tcp::socket::wait_read, [&, handler](error_code e) {
          ready = !e;
          handler(e);
        });
      },
      [&] {
        error_code ignored;
        socket_.cancel(ignored);  // only the wait: the session goes on
      });
  return ready;
}

// A timed-out read or write leaves TLS in an unknown state: the session ends.
void ImapConnection::cancel_socket() {
  error_code ignored;
  socket_.cancel(ignored);
  socket_.close(ignored);
}

std::string ImapConnection::read_line() {
  std::size_t scanned = 0;
  for (;;) {
    auto end = buffer_.find("\r\n", scanned);
    if (end != std::string::npos) {
      auto line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    scanned = buffer_.empty() ? 0 : buffer_.size() - 1;
    if (buffer_.size() > kMaxLineBytes)
      throw MailError(Stage::protocol, "a line from the server is too long");
    char chunk[16 * 1024];
    auto n = read_some(chunk, sizeof chunk, timeouts_.command);
    buffer_.append(chunk, n);
  }
}

void ImapConnection::read_exact(std::size_t n, std::string* out) {
  if (out) out->reserve(n);
  auto take = std::min(n, buffer_.size());
  if (out) out->append(buffer_, 0, take);
  buffer_.erase(0, take);
  n -= take;
  std::string chunk(kReadChunk, '\0');
  while (n > 0) {
    auto got = read_some(chunk.data(), std::min(n, chunk.size()), timeouts_.command);
    if (out) out->append(chunk, 0, got);
    n -= got;
  }
}

void ImapConnection::write_all(const std::string& bytes) {
  auto [ec, _] = run_with_deadline(
      io_, timeouts_.command,
      [&](auto handler) {
        if (tls_)
          asio::async_write(*tls_, asio::buffer(bytes), handler);
        else
          asio::async_write(socket_, asio::buffer(bytes), handler);
      },
      [&] { cancel_socket(); });
  if (ec == asio::error::timed_out)
    throw MailError(Stage::protocol, "writing to the server timed out");
  if (ec) throw MailError(Stage::protocol, "connection lost: " + ec.message());
}

}  // namespace sb::mailbox
