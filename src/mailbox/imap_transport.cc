// The session's bytes: DNS, TCP, TLS, and reads and writes that each run the
// connection's own io_context for at most their timeout.
#include <boost/asio/ssl/host_name_verification.hpp>

#include "mailbox/imap_connection.h"
#include "mailbox/imap_text.h"

namespace sb::mailbox {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kMaxLineBytes = 1024 * 1024;
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

}  // namespace

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
    error_code bad_file;
    if (!settings_.ca_file.empty()) tls_context_.load_verify_file(settings_.ca_file, bad_file);
    if (bad_file) throw MailError(Stage::tls, "cannot load CA file " + settings_.ca_file);
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
  // TLS may hold bytes already taken off the socket: decrypted, or still in
  // Asio's network BIO (a record that came with the previous one).
  if (tls_) {
    auto* h = tls_->native_handle();
    if (SSL_pending(h) > 0 || BIO_ctrl_pending(SSL_get_rbio(h)) > 0) return true;
  }
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
      if (numbered_untagged_kind(line) == "EXISTS") mail_announced_ = true;
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
