// NatsBus: a NATS client on Boost.Asio with one I/O thread of its own. All
// connection state lives on that thread; the public calls post to it. The
// subscriptions (Registry) are shared with the callers' threads under a mutex.
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "bus/bus.h"
#include "bus/nats_parser.h"
#include "bus/registry.h"

namespace sb::bus {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr std::size_t kReadChunk = 64 << 10;
constexpr std::size_t kWriteBatch = 256 << 10;
constexpr int kMaxMissedPongs = 2;
constexpr std::size_t kDefaultMaxPayload = 1 << 20;  // until the server's INFO says

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

class NatsCore {
 public:
  NatsCore(NatsOptions options, NatsUrl url)
      : options_(std::move(options)),
        url_(std::move(url)),
        resolver_(io_),
        connect_timer_(io_),
        ping_timer_(io_),
        reconnect_timer_(io_),
        parser_(options_.max_control_line, options_.max_payload_cap),
        rng_(std::random_device{}()),
        max_payload_(std::min(kDefaultMaxPayload, options_.max_payload_cap)) {}

  ~NatsCore() { stop(); }

  void start() {
    work_.emplace(io_.get_executor());
    asio::post(io_, [this] { connect(); });
    thread_ = std::thread([this] { io_.run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] {
      stopping_ = true;
      close_socket();
      reconnect_timer_.cancel();
      work_.reset();
      io_.stop();
    });
    thread_.join();
  }

  void publish(std::string_view subject, std::string_view payload) {
    if (!valid_subject(subject)) throw BusError("invalid subject: '" + std::string(subject) + "'");
    auto limit = max_payload_.load();
    if (payload.size() > limit)
      throw BusError("payload of " + std::to_string(payload.size()) +
                     " bytes exceeds the server's max_payload of " + std::to_string(limit));
    std::string frame = "PUB ";
    frame.append(subject).append(" ").append(std::to_string(payload.size())).append("\r\n");
    frame.append(payload).append("\r\n");
    asio::post(io_, [this, frame = std::move(frame)]() mutable { enqueue_pub(std::move(frame)); });
  }

  std::shared_ptr<Entry> subscribe(std::string_view pattern, Handler handler) {
    if (!valid_pattern(pattern)) throw BusError("invalid pattern: '" + std::string(pattern) + "'");
    auto entry = registry_.add(std::string(pattern), std::move(handler));
    asio::post(io_, [this, id = entry->id, p = entry->pattern] { send_sub(id, p); });
    return entry;
  }

  void unsubscribe(const std::shared_ptr<Entry>& entry) {
    registry_.remove(entry);
    asio::post(io_, [this, id = entry->id] { send_unsub(id); });
  }

  void on_state(StateHandler handler) {
    std::lock_guard lock(state_mutex_);
    state_handler_ = std::move(handler);
    if (state_handler_) state_handler_(connected_.load(), why_);
  }

  bool connected() const { return connected_.load(); }
  std::size_t max_payload() const { return max_payload_.load(); }
  Counters counters() const {
    return {published_.load(), delivered_.load(), dropped_.load(), reconnects_.load()};
  }

 private:
  // --- connecting ---------------------------------------------------------

  void connect() {
    if (stopping_) return;
    auto gen = ++generation_;
    socket_.emplace(io_);
    parser_ = NatsParser(options_.max_control_line, options_.max_payload_cap);
    got_info_ = false;
    awaiting_first_pong_ = false;
    missed_pongs_ = 0;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([this, gen](error_code ec) {
      if (!ec && gen == generation_) fail("timed out connecting to " + url_.host);
    });
    resolver_.async_resolve(
        url_.host, std::to_string(url_.port),
        [this, gen](error_code ec, tcp::resolver::results_type results) {
          if (gen != generation_) return;
          if (ec) return fail("cannot resolve " + url_.host + ": " + ec.message());
          asio::async_connect(*socket_, results, [this, gen](error_code ec, const tcp::endpoint&) {
            if (gen != generation_) return;
            if (ec) return fail("cannot connect: " + ec.message());
            read();
          });
        });
  }

  // After INFO: CONNECT, our live subscriptions, and a PING whose PONG proves
  // the server accepted us (with verbose off, a refusal is an -ERR instead).
  void handshake() {
    json::object c{{"verbose", false},      {"pedantic", false}, {"tls_required", false},
                   {"lang", "cpp"},         {"version", "0.1"},  {"protocol", 1},
                   {"echo", options_.echo}, {"headers", false},  {"no_responders", false}};
    if (!options_.name.empty()) c["name"] = options_.name;
    if (!url_.user.empty()) {
      c["user"] = url_.user;
      c["pass"] = url_.pass;
    }
    if (!url_.token.empty()) c["auth_token"] = url_.token;
    control_.push_back("CONNECT " + json::serialize(c) + "\r\n");
    sent_sids_.clear();
    for (auto& e : registry_.all()) send_sub(e->id, e->pattern);
    control_.push_back("PING\r\n");
    awaiting_first_pong_ = true;
    write();
  }

  void became_connected() {
    connect_timer_.cancel();
    awaiting_first_pong_ = false;
    attempt_ = 0;
    if (ever_connected_) ++reconnects_;
    ever_connected_ = true;
    set_state(true, "");
    schedule_ping();
    write();  // what queued while we were away
  }

  // Closes the connection (if any) and, unless stopping, tries again later.
  void fail(const std::string& why) {
    close_socket();
    set_state(false, why);
    if (stopping_) return;
    auto base = std::min<std::int64_t>(options_.reconnect_max.count(),
                                       options_.reconnect_min.count() << std::min(attempt_, 20u));
    ++attempt_;
    // Jitter: nodes that lost the server together do not return in lockstep.
    std::uniform_int_distribution<std::int64_t> half(0, base / 2);
    reconnect_timer_.expires_after(std::chrono::milliseconds(base - base / 2 + half(rng_)));
    reconnect_timer_.async_wait([this](error_code ec) {
      if (!ec) connect();
    });
  }

  void close_socket() {
    ++generation_;  // every handler of the old connection is now stale
    resolver_.cancel();
    connect_timer_.cancel();
    ping_timer_.cancel();
    if (socket_) {
      error_code ignored;
      socket_->close(ignored);
      socket_.reset();
    }
    writing_ = false;
    control_.clear();
    sent_sids_.clear();
  }

  void set_state(bool up, const std::string& why) {
    // Under the lock, so on_state() never sees a state whose change is still to come.
    std::lock_guard lock(state_mutex_);
    bool was = connected_.exchange(up);
    bool news = was != up || (!up && why != why_);  // a new reason to be down is news too
    why_ = why;
    if (news && state_handler_) state_handler_(up, why);
  }

  // --- reading ------------------------------------------------------------

  void read() {
    auto gen = generation_;
    socket_->async_read_some(asio::buffer(read_buffer_), [this, gen](error_code ec, std::size_t n) {
      if (gen != generation_) return;
      if (ec)
        return fail(ec == asio::error::eof ? "the server closed the connection"
                                           : "read failed: " + ec.message());
      ops_.clear();
      bool ok = parser_.feed(std::string_view(read_buffer_.data(), n), ops_);
      for (auto& op : ops_) {
        handle(op);
        if (gen != generation_) return;  // the operation ended the connection
      }
      if (!ok) return fail("protocol error from the server: " + parser_.error());
      read();
    });
  }

  void handle(ServerOp& op) {
    using K = ServerOp::Kind;
    if (!got_info_ && op.kind != K::info) return fail("the server did not start with INFO");
    switch (op.kind) {
      case K::info:
        return handle_info(op.body);
      case K::msg:
        return deliver(op);
      case K::ping:
        control_.push_back("PONG\r\n");
        return write();
      case K::pong:
        if (awaiting_first_pong_) return became_connected();
        missed_pongs_ = 0;
        return;
      case K::ok:
        return;
      case K::err:
        return handle_err(op.body);
    }
  }

  void handle_info(const std::string& text) {
    error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return fail("INFO is not a JSON object");
    auto& o = v.as_object();
    if (auto* tls = o.if_contains("tls_required"); tls && tls->is_bool() && tls->as_bool())
      return fail("the server requires TLS, which this client does not speak");
    if (auto* mp = o.if_contains("max_payload"); mp && mp->is_int64() && mp->as_int64() > 0) {
      auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(mp->as_int64()),
                                       options_.max_payload_cap);
      max_payload_ = static_cast<std::size_t>(n);
      parser_.set_max_payload(static_cast<std::size_t>(n));
    }
    if (!got_info_) {
      got_info_ = true;
      handshake();
    }
  }

  void handle_err(const std::string& text) {
    // These two leave the connection open; every other -ERR is followed by
    // the server closing it, so we close first and reconnect.
    if (starts_with_nocase(text, "permissions violation") ||
        starts_with_nocase(text, "invalid subject"))
      return;
    fail("the server said: " + text);
  }

  void deliver(const ServerOp& op) {
    auto entry = registry_.find(op.sid);
    if (!entry) return;  // unsubscribed while the message was on its way
    try {
      if (Registry::deliver(*entry, op.subject, op.body)) ++delivered_;
    } catch (const std::exception&) {
      // A handler's failure is its own; the bus thread must go on.
      ++delivered_;
    }
  }

  // --- writing ------------------------------------------------------------

  void send_sub(std::uint64_t id, const std::string& pattern) {
    if (!got_info_ || !socket_ || sent_sids_.count(id) || !registry_.find(id)) return;
    sent_sids_.insert(id);
    control_.push_back("SUB " + pattern + " " + std::to_string(id) + "\r\n");
    write();
  }

  void send_unsub(std::uint64_t id) {
    if (!sent_sids_.erase(id)) return;
    control_.push_back("UNSUB " + std::to_string(id) + "\r\n");
    write();
  }

  void enqueue_pub(std::string frame) {
    pending_bytes_ += frame.size();
    pending_.push_back(std::move(frame));
    while (pending_.size() > options_.max_pending_messages ||
           pending_bytes_ > options_.max_pending_bytes) {
      pending_bytes_ -= pending_.front().size();
      pending_.pop_front();
      ++dropped_;
    }
    write();
  }

  // One write at a time: protocol lines first, then messages once connected.
  void write() {
    if (writing_ || !socket_ || !got_info_) return;
    out_.clear();
    while (!control_.empty()) {
      out_ += control_.front();
      control_.pop_front();
    }
    while (connected_ && !pending_.empty() && out_.size() < kWriteBatch) {
      out_ += pending_.front();
      pending_bytes_ -= pending_.front().size();
      pending_.pop_front();
      ++published_;
    }
    if (out_.empty()) return;
    writing_ = true;
    auto gen = generation_;
    asio::async_write(*socket_, asio::buffer(out_), [this, gen](error_code ec, std::size_t) {
      if (gen != generation_) return;
      writing_ = false;
      if (ec) return fail("write failed: " + ec.message());
      write();
    });
  }

  void schedule_ping() {
    auto gen = generation_;
    ping_timer_.expires_after(options_.ping_interval);
    ping_timer_.async_wait([this, gen](error_code ec) {
      if (ec || gen != generation_) return;
      if (missed_pongs_ >= kMaxMissedPongs) return fail("no PONG to 2 PINGs: connection dead");
      ++missed_pongs_;
      control_.push_back("PING\r\n");
      write();
      schedule_ping();
    });
  }

  NatsOptions options_;
  NatsUrl url_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  Registry registry_;

  // I/O thread only.
  tcp::resolver resolver_;
  std::optional<tcp::socket> socket_;
  asio::steady_timer connect_timer_, ping_timer_, reconnect_timer_;
  NatsParser parser_;
  std::array<char, kReadChunk> read_buffer_{};
  std::vector<ServerOp> ops_;
  std::deque<std::string> control_;  // protocol lines of this connection
  std::deque<std::string> pending_;  // PUB frames, bounded
  std::size_t pending_bytes_ = 0;
  std::string out_;
  std::set<std::uint64_t> sent_sids_;  // SUBs sent on this connection
  std::uint64_t generation_ = 0;
  unsigned attempt_ = 0;
  int missed_pongs_ = 0;
  bool writing_ = false, got_info_ = false, awaiting_first_pong_ = false;
  bool ever_connected_ = false, stopping_ = false;
  std::mt19937_64 rng_;

  // Any thread.
  std::atomic<bool> connected_{false};
  std::atomic<std::size_t> max_payload_;
  std::atomic<std::uint64_t> published_{0}, delivered_{0}, dropped_{0}, reconnects_{0};
  std::mutex state_mutex_;
  StateHandler state_handler_;
  std::string why_ = "not connected yet";
};

class NatsBus : public Bus {
 public:
  NatsBus(NatsOptions options, NatsUrl url)
      : core_(std::make_shared<NatsCore>(std::move(options), std::move(url))) {
    core_->start();
  }
  ~NatsBus() override { core_->stop(); }

  void publish(std::string_view subject, std::string_view payload) override {
    core_->publish(subject, payload);
  }
  Subscription subscribe(std::string_view pattern, Handler handler) override {
    auto entry = core_->subscribe(pattern, std::move(handler));
    std::weak_ptr<NatsCore> weak = core_;
    return Subscription([weak, entry] {
      if (auto core = weak.lock()) core->unsubscribe(entry);
    });
  }
  void on_state(StateHandler handler) override { core_->on_state(std::move(handler)); }
  bool connected() const override { return core_->connected(); }
  std::size_t max_payload() const override { return core_->max_payload(); }
  Counters counters() const override { return core_->counters(); }

 private:
  std::shared_ptr<NatsCore> core_;
};

}  // namespace

std::unique_ptr<Bus> make_nats_bus(NatsOptions options) {
  auto url = parse_nats_url(options.url);
  return std::make_unique<NatsBus>(std::move(options), std::move(url));
}

}  // namespace sb::bus
