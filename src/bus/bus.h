// The public header of bus/: the doorbell between cluster nodes. A node rings
// it after a commit ("conversation X has events up to seq N", "routing
// changed"); the others wake up and read the database, which stays the truth.
// So the bus may lose messages (a node that missed some catches up from the
// database) and never carries data that matters on its own.
//
// Two implementations of one interface: LocalBus, in-process, for the
// single-node default; NatsBus, a small NATS client on Boost.Asio (Debian ships
// nats-server but no C client library). Both follow NATS subject rules:
// tokens separated by '.', a pattern's '*' matches one token and a final '>'
// one or more.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sb::bus {

// Bad input from the caller: an invalid subject or pattern, a payload over the
// limit, an unusable URL. Never thrown for network trouble, which the bus
// survives by reconnecting.
class BusError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A subject to publish on: non-empty tokens of printable ASCII without
// spaces, no wildcards, at most kMaxSubject bytes.
inline constexpr std::size_t kMaxSubject = 256;
bool valid_subject(std::string_view subject);
// A subscription pattern: a subject whose tokens may be '*', and whose last may be '>'.
bool valid_pattern(std::string_view pattern);
// Whether `subject` (valid) matches `pattern` (valid).
bool subject_matches(std::string_view pattern, std::string_view subject);

// Monotonic totals since the bus was made, for /metrics.
struct Counters {
  std::uint64_t published = 0;   // messages handed to the transport
  std::uint64_t delivered = 0;   // handler calls
  std::uint64_t dropped = 0;     // outgoing messages discarded (buffer full while disconnected)
  std::uint64_t reconnects = 0;  // connections made after the first
};

using Handler = std::function<void(std::string_view subject, std::string_view payload)>;
// Connected or not, and why not (empty when connected).
using StateHandler = std::function<void(bool connected, std::string_view why)>;

// A live subscription; destroying (or reset()) it unsubscribes. Once reset()
// returns, its handler is not running on another thread and is not called
// again. A handler may reset its own subscription; it must not reset another
// one (that could wait on a handler that waits on it).
class Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  Subscription(Subscription&& other) noexcept : cancel_(std::move(other.cancel_)) {
    other.cancel_ = nullptr;
  }
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }

  void reset() noexcept;
  explicit operator bool() const { return static_cast<bool>(cancel_); }

 private:
  std::function<void()> cancel_;
};

class Bus {
 public:
  virtual ~Bus() = default;

  // Sends `payload` to every subscription matching `subject`. Throws BusError
  // for an invalid subject or a payload over max_payload(); otherwise never
  // blocks on the network (NatsBus queues, and drops the oldest when full).
  virtual void publish(std::string_view subject, std::string_view payload) = 0;
  // Throws BusError for an invalid pattern.
  virtual Subscription subscribe(std::string_view pattern, Handler handler) = 0;
  // Replaces the state handler; it is called at once with the current state,
  // then on each change, and while down whenever the reason changes (a
  // refused sign-in, say, rather than a refused connection).
  virtual void on_state(StateHandler handler) = 0;
  virtual bool connected() const = 0;
  // NatsBus: the server's INFO max_payload (capped by ours); 1 MiB until one came.
  virtual std::size_t max_payload() const = 0;
  virtual Counters counters() const = 0;
};

// In-process: handlers run on the publisher's thread, inside publish().
std::unique_ptr<Bus> make_local_bus(std::size_t max_payload = 1 << 20);

// nats://[user:pass@]host[:port] (port 4222 by default); a user without a
// password is a token. No percent-decoding: credentials are taken as written.
struct NatsUrl {
  std::string host;
  std::uint16_t port = 4222;
  std::string user;
  std::string pass;
  std::string token;
};
NatsUrl parse_nats_url(std::string_view url);  // throws BusError

struct NatsOptions {
  std::string url = "nats://127.0.0.1:4222";
  std::string name;  // the node id, shown by the server's monitoring
  bool echo = true;  // deliver our own messages to our subscriptions, as LocalBus does
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds ping_interval{30000};  // a connection missing 2 PONGs is dead
  std::chrono::milliseconds reconnect_min{100};    // backoff doubles from here...
  std::chrono::milliseconds reconnect_max{5000};   // ...up to here, with jitter
  // Outgoing messages kept while disconnected (or not yet written); beyond
  // either bound the oldest are dropped.
  std::size_t max_pending_messages = 4096;
  std::size_t max_pending_bytes = 8 << 20;
  // Our own ceiling on what we accept from the server, whatever its INFO says.
  std::size_t max_payload_cap = 8 << 20;
  std::size_t max_control_line = 16 << 10;
};

// A NATS client with one I/O thread of its own: the bus's pings, timers and
// reconnects must go on whatever the HTTP threads are doing, and its handlers
// run there, one at a time, in arrival order (they should hand work off
// quickly, e.g. post to the hub's executor). It connects in the background:
// publish() before the first connection queues. Destroying it closes the
// connection, drops what is still queued and joins the thread, so it must not
// be destroyed from one of its own handlers. Throws BusError for a bad URL.
std::unique_ptr<Bus> make_nats_bus(NatsOptions options);

}  // namespace sb::bus
