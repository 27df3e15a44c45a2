// One WebSocket client (agent or visitor). Reads frames in order, answers each;
// frames from the hub arrive via deliver() from any thread and are queued on
// the session's strand. The queue is bounded: a client too slow to keep up is
// disconnected and resumes by seq, so memory never grows without limit. When
// the server drains, the session finishes the frame it is handling, sends what
// is queued (acks first of all) and closes with 1012 "service restart": the
// client reconnects, to another node or to this one restarted, and resumes.
#include <deque>
#include <unordered_map>

#include "asio/asio.h"
#include "http/http.h"
#include "protocol/protocol.h"
#include "server/transport.h"

namespace sb {
namespace {

namespace json = boost::json;
namespace websocket = beast::websocket;
using asio::as_tuple;
using asio::use_awaitable;

constexpr std::size_t kMaxQueuedFrames = 4096;
constexpr int kBacklogPage = 500;

std::shared_ptr<const std::string> frame(const json::object& o) {
  return std::make_shared<const std::string>(json::serialize(o));
}

class WsSession : public RealtimeClient, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::tcp_stream stream, Shared& sh, Actor actor)
      : ws_(std::move(stream)), sh_(sh), actor_(std::move(actor)), signal_(ws_.get_executor()) {
    workspace_id = actor_.workspace_id;
    is_agent = actor_.is_agent();
    agent_id = actor_.agent_id;
    if (is_agent && !actor_.at_least(Role::kAdmin) && !actor_.scope.unrestricted())
      scope = actor_.scope;
    visitor_id = actor_.visitor_id;
    name = actor_.name;
    signal_.expires_at(asio::steady_timer::time_point::max());
  }

  // Registered before the handshake: a drain that starts meanwhile still counts it.
  void watch_drain() {
    drain_watch_ = sh_.drain.watch(Drain::Kind::kWebSocket,
                                   [weak = weak_from_this(), ex = ws_.get_executor()] {
                                     asio::post(ex, [weak] {
                                       if (auto self = weak.lock()) self->restart();
                                     });
                                   });
  }

  // `self` keeps the session alive while this coroutine runs.
  asio::awaitable<void> run([[maybe_unused]] std::shared_ptr<WsSession> self,
                            beast::http::request<beast::http::string_body> req) {
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(60);
    // Bounds our 101 and, when draining, the wait for the client's close frame.
    timeouts.handshake_timeout = std::chrono::seconds(5);
    ws_.set_option(timeouts);
    ws_.read_message_max(kMaxClientFrameBytes);
    // Frames go out whole, straight from our buffer (servers do not mask), so
    // the stream's own write buffer is never needed: keep it small per socket.
    ws_.auto_fragment(false);
    ws_.write_buffer_bytes(256);
    {
      auto handshake = std::move(req);  // the upgrade request is not kept for the socket's life
      auto [ec] = co_await ws_.async_accept(handshake, as_tuple(use_awaitable));
      if (ec) {
        drain_watch_.reset();
        co_return;
      }
    }
    sh_.sockets.metrics.ws_connections.fetch_add(1);
    sh_.sockets.hub.add(shared_from_this());
    asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), asio::detached);
    push({frame({{"type", "hello"}, {"role", is_agent ? "agent" : "visitor"}})});
    beast::flat_buffer buffer;
    for (;;) {
      auto [rec, n] = co_await ws_.async_read(buffer, as_tuple(use_awaitable));
      if (rec) break;
      auto text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      handling_ = true;
      co_await handle(text);
      handling_ = false;
      if (restarting_) signal_.cancel();  // the write loop may close now
    }
    close();
  }

  std::shared_ptr<void> slot;  // the per-IP connection count, given back with the session
  auto executor() { return ws_.get_executor(); }

  void disconnect() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

  void deliver(Outgoing out) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), out = std::move(out)]() mutable {
      self->route(std::move(out));
    });
  }

 private:
  struct Subscription {
    bool catching_up = true;
    std::int64_t last_sent = 0;
    std::vector<Outgoing> held;
    int generation = 0;  // a new subscribe ends the catch-up of the one before
  };

  // On the strand: event frames pass through their subscription (ordering, no repeats).
  void route(Outgoing out) {
    if (out.seq > 0) {
      auto it = subs_.find(out.conversation_id);
      if (it == subs_.end()) return;
      auto& s = it->second;
      if (s.catching_up) {
        s.held.push_back(std::move(out));
        return;
      }
      if (out.seq <= s.last_sent) return;
      if (out.seq > s.last_sent + 1) {
        // A seq skipped: in a cluster, committed by a node that died before
        // ringing the bus (or a note this socket does not get). The database
        // has it: read from the last one sent, then this frame.
        s.catching_up = true;
        s.held.push_back(std::move(out));
        asio::co_spawn(ws_.get_executor(),
                       fill_gap(shared_from_this(), it->first, s.last_sent, s.generation),
                       asio::detached);
        return;
      }
      s.last_sent = out.seq;
    }
    push(std::move(out));
  }

  void push(Outgoing out) {
    if (closed_) return;
    // Draining: only the answer to the frame in hand still goes out; the client
    // gets everything else when it resumes after reconnecting.
    if (restarting_ && !handling_) return;
    if (queue_.size() >= kMaxQueuedFrames) {
      sh_.sockets.metrics.ws_dropped_slow.fetch_add(1);
      log_json({{"level", "warn"},
                {"msg", "websocket dropped: send queue full"},
                {"role", is_agent ? "agent" : "visitor"},
                {"workspace_id", workspace_id}});
      close();
      return;
    }
    if (out.replaces) {
      auto [it, fresh] = queued_state_.try_emplace(out.replaces, popped_ + queue_.size());
      if (!fresh) {  // still queued: the newer state takes its place
        queue_[static_cast<std::size_t>(it->second - popped_)] = std::move(out);
        return;
      }
    }
    queue_.push_back(std::move(out));
    sh_.sockets.metrics.ws_queued_frames.fetch_add(1);
    signal_.cancel();
  }

  // On the strand, once the drain starts.
  void restart() {
    if (closed_ || restarting_) return;
    restarting_ = true;
    signal_.cancel();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    drain_watch_.reset();
    sh_.sockets.metrics.ws_queued_frames.fetch_sub(static_cast<std::int64_t>(queue_.size()));
    queue_.clear();
    queued_state_.clear();
    signal_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    sh_.sockets.hub.remove(shared_from_this());
    sh_.sockets.metrics.ws_connections.fetch_sub(1);
  }

  // `self` keeps the session alive while this coroutine runs.
  asio::awaitable<void> write_loop([[maybe_unused]] std::shared_ptr<WsSession> self) {
    while (!closed_) {
      if (queue_.empty()) {
        if (restarting_ && !handling_) {
          co_await close_for_restart();
          break;
        }
        co_await signal_.async_wait(as_tuple(use_awaitable));
        continue;
      }
      auto out = std::move(queue_.front());
      queue_.pop_front();
      ++popped_;
      if (out.replaces) queued_state_.erase(out.replaces);
      sh_.sockets.metrics.ws_queued_frames.fetch_sub(1);
      ws_.text(true);
      auto [ec, n] = co_await ws_.async_write(asio::buffer(*out.frame), as_tuple(use_awaitable));
      if (ec) {
        close();
        break;
      }
      sh_.sockets.metrics.frames_sent.fetch_add(1, std::memory_order_relaxed);
      if (out.committed_at)
        sh_.sockets.metrics.observe_delivery_ms(
            static_cast<double>(system_now() - out.committed_at));
    }
  }

  // The closing handshake: our close frame, then the client's answer, which the
  // read loop receives (and then closes the socket). A client that never answers
  // is cut when the drain's time is up.
  asio::awaitable<void> close_for_restart() {
    auto [ec] = co_await ws_.async_close(
        websocket::close_reason(websocket::close_code::service_restart, "service restart"),
        as_tuple(use_awaitable));
    if (ec) close();
  }

  void error(std::string_view code, std::string_view message, std::string_view client_id = "") {
    json::object o{{"type", "error"}, {"code", code}, {"message", message}};
    if (!client_id.empty()) o["client_id"] = client_id;
    push({frame(o)});
  }

  asio::awaitable<void> handle(const std::string& text) {
    auto parsed = parse_client_frame(text);
    if (auto* bad = std::get_if<FrameError>(&parsed)) {
      error(bad->code, bad->message, bad->client_id);
      co_return;
    }
    const auto& f = std::get<ClientFrame>(parsed);
    const auto& client_id = f.client_id;
    using T = ClientFrame::Type;
    try {
      switch (f.type) {
        case T::kPing:
          push({frame({{"type", "pong"}})});
          break;
        case T::kSubscribe:
          co_await subscribe(f);
          break;
        case T::kSend:
          co_await send(f);
          break;
        case T::kTyping:
          typing(f);
          break;
        case T::kReceipt:
          co_await receipt(f);
          break;
      }
    } catch (const HttpError& e) {
      error(e.code, e.what(), client_id);
    } catch (const StoreError& e) {
      error(e.code() == StoreError::Code::kNotFound ? "not_found" : "conflict", e.what(),
            client_id);
    } catch (const std::exception& e) {
      error("internal", "internal error", client_id);
    }
  }

  asio::awaitable<void> subscribe(const ClientFrame& f) {
    Id conv = f.conversation_id;
    auto& svc = sh_.sockets;
    co_await offload(sh_, [&] { return accessible_conversation(svc.conversations, actor_, conv); });
    auto& sub = subs_[conv];
    sub = Subscription{.generation = sub.generation + 1};
    svc.hub.subscribe(shared_from_this(), conv);
    co_await catch_up(conv, f.after_seq, sub.generation);
  }

  // The events after `cursor` from the database, then the frames held meanwhile.
  asio::awaitable<void> catch_up(Id conv, std::int64_t cursor, int generation) {
    auto& svc = sh_.sockets;
    for (;;) {
      auto page = co_await offload(sh_, [&] {
        return svc.conversations.events_after(actor_.workspace_id, conv, cursor, is_agent,
                                              kBacklogPage);
      });
      if (subs_[conv].generation != generation) co_return;  // subscribed again meanwhile
      for (const auto& e : page) {
        push({frame({{"type", "event"}, {"event", views::event(e)}}), conv, e.seq, 0});
        cursor = e.seq;
      }
      if (page.size() < static_cast<std::size_t>(kBacklogPage)) break;
    }
    svc.hub.caught_up(actor_.workspace_id, conv, cursor);
    auto& s = subs_[conv];
    s.catching_up = false;
    s.last_sent = cursor;
    auto held = std::move(s.held);
    for (auto& out : held) route(std::move(out));
  }

  static asio::awaitable<void> fill_gap(std::shared_ptr<WsSession> self, Id conv,
                                        std::int64_t cursor, int generation) {
    try {
      co_await self->catch_up(conv, cursor, generation);
    } catch (const std::exception& e) {
      // The database did not answer: the client resubscribes when it reconnects.
      log_json({{"level", "warn"}, {"msg", "websocket catch-up failed"}, {"error", e.what()}});
      self->close();
    }
  }

  // Most sends are checked here on the I/O thread and go straight to the writer;
  // those whose check reads the database go through a worker.
  asio::awaitable<void> send(const ClientFrame& f) {
    auto& messaging = sh_.sockets.messaging;
    AppendResult result;
    if (message_check_reads_store(actor_, f.message)) {
      result = co_await offload(
          sh_, [&] { return messaging.post(actor_, f.conversation_id, f.message); });
    } else {
      auto event = messaging.prepare(actor_, f.conversation_id, f.message);
      result = co_await async_append(sh_, std::move(event), use_awaitable);
      messaging.count(result);
    }
    push({frame({{"type", "ack"},
                 {"client_id", result.event.client_id},
                 {"event", views::event(result.event)}})});
  }

  void typing(const ClientFrame& f) {
    if (!subs_.contains(f.conversation_id))
      throw HttpError(403, "forbidden", "subscribe to the conversation first");
    sh_.sockets.hub.typing(*this, f.conversation_id, f.typing);
  }

  asio::awaitable<void> receipt(const ClientFrame& f) {
    co_await offload(sh_, [&] {
      return sh_.sockets.messaging.update_receipts(actor_, f.conversation_id, f.delivered_seq,
                                                   f.read_seq);
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  Shared& sh_;
  Actor actor_;
  asio::steady_timer signal_;
  std::deque<Outgoing> queue_;
  std::uint64_t popped_ = 0;                            // frames taken off the queue so far
  std::unordered_map<Id, std::uint64_t> queued_state_;  // replaces key -> position ever pushed
  std::unordered_map<Id, Subscription> subs_;
  std::shared_ptr<void> drain_watch_;  // counts this socket in the drain until it closes
  bool closed_ = false;
  bool restarting_ = false;  // the drain began: flush, then close with 1012
  bool handling_ = false;    // a client frame is being acted on (its ack is still to come)
};

bool same_origin(const beast::http::request<beast::http::string_body>& req) {
  auto origin = req[beast::http::field::origin];
  if (origin.empty()) return true;  // not a browser
  auto host = req[beast::http::field::host];
  auto pos = origin.find("://");
  return pos != std::string_view::npos && origin.substr(pos + 3) == host;
}

}  // namespace

asio::awaitable<void> run_websocket_session(beast::tcp_stream stream,
                                            beast::http::request<beast::http::string_body> req,
                                            Shared& sh, std::shared_ptr<void> slot) {
  std::string_view target = req.target();
  auto q = target.find('?');
  auto query = q == std::string_view::npos ? std::map<std::string, std::string>{}
                                           : http::parse_query(target.substr(q + 1));
  std::optional<Actor> actor;
  if (auto it = query.find("visitor_token"); it != query.end()) {
    actor = sh.sockets.auth.visitor_from_token(it->second);
    beast::error_code ignored;
    if (actor)
      actor->remote =
          http::client_address(stream.socket().remote_endpoint(ignored).address().to_string(),
                               req["X-Forwarded-For"], sh.config.trusted_proxies);
  } else if (same_origin(req)) {
    http::Request r;
    r.headers["cookie"] = std::string(req[beast::http::field::cookie]);
    actor = co_await offload(sh, [&] { return sh.sockets.auth.agent_from_cookie(r); });
    if (actor && actor->restricted) actor.reset();  // two-factor sign-in to set up first
  }
  if (!actor) {
    auto body = json::serialize(
        json::object{{"error", {{"code", "unauthenticated"}, {"message", "log in first"}}}});
    beast::http::response<beast::http::string_body> res{beast::http::status::unauthorized,
                                                        req.version()};
    res.set(beast::http::field::content_type, "application/json");
    res.body() = body;
    res.prepare_payload();
    co_await beast::http::async_write(stream, res, as_tuple(use_awaitable));
    co_return;
  }
  auto session = std::make_shared<WsSession>(std::move(stream), sh, std::move(*actor));
  if (session->is_agent)
    session->session_hash = security::sha256_hex(
        http::Request{.headers = {{"cookie", std::string(req[beast::http::field::cookie])}}}
            .cookie(kSessionCookie)
            .value_or(""));
  session->slot = std::move(slot);
  session->watch_drain();
  auto ex = session->executor();
  asio::co_spawn(ex, session->run(session, std::move(req)), asio::detached);
}

}  // namespace sb
