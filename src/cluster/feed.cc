#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "cluster/cluster.h"
#include "http/http.h"

namespace sb::cluster {
namespace {

namespace json = boost::json;

constexpr int kPage = 500;

Millis wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// "sb.<ws>.<kind>..." -> ws; 0 when it is not one of ours.
Id workspace_of(std::string_view subject) {
  if (!subject.starts_with("sb.")) return 0;
  subject.remove_prefix(3);
  Id ws = 0;
  for (char c : subject) {
    if (c == '.') return ws;
    if (c < '0' || c > '9') return 0;
    ws = ws * 10 + (c - '0');
  }
  return 0;
}

Id last_token_id(std::string_view subject) {
  auto dot = subject.rfind('.');
  Id id = 0;
  for (char c : subject.substr(dot + 1)) {
    if (c < '0' || c > '9') return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::optional<json::object> parse_object(std::string_view payload) {
  boost::system::error_code ec;
  auto v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace

std::string conversation_subject(Id ws, Id conversation) {
  return "sb." + std::to_string(ws) + ".conv." + std::to_string(conversation);
}
std::string hub_subject(Id ws) {
  return "sb." + std::to_string(ws) + ".hub";
}
std::string routing_subject(Id ws) {
  return "sb." + std::to_string(ws) + ".routing";
}
std::string ask_subject(Id ws) {
  return "sb." + std::to_string(ws) + ".ask";
}
std::string reply_subject(std::string_view node) {
  return "sb.reply." + node_token(node);
}

std::string node_token(std::string_view node) {
  std::string out;
  for (char c : node) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? "node" : out;
}

struct Feed::Impl {
  // A doorbell waiting for the feed's thread; several for one conversation merge.
  struct Ring {
    Id workspace = 0;
    std::int64_t seq = 0;  // -1: a catch-up, read from our cursor whatever was rung
    bool receipts = false;
    Millis committed_at = 0;  // 0: unknown (no lag measured)
  };

  bus::Bus& bus;
  ConversationStore& store;
  Hub& hub;
  std::string node;
  FeedHooks hooks;

  mutable std::mutex mu;  // everything below
  std::condition_variable wake;
  std::map<Id, Ring> rings;  // by conversation
  std::deque<std::function<void()>> jobs;
  // Per conversation with clients here: the last seq handed to the hub.
  std::map<Id, std::int64_t> cursors;
  std::map<std::uint64_t, std::promise<json::object>> asks;
  std::uint64_t next_ask = 1;
  FeedStats figures;
  bool stopping = false;
  bool was_connected = false;
  std::atomic<bool> started{false};  // alone (never started), nothing is rung
  std::vector<bus::Subscription> subscriptions;
  std::thread thread;

  Impl(bus::Bus& b, ConversationStore& s, Hub& h, std::string n, FeedHooks k)
      : bus(b), store(s), hub(h), node(std::move(n)), hooks(std::move(k)) {}

  // Bus errors (a payload over the limit) must not fail the commit that rang.
  void publish(const std::string& subject, json::object payload) {
    if (!started) return;
    payload["node"] = node;
    try {
      bus.publish(subject, json::serialize(payload));
    } catch (const std::exception& e) {
      log_json({{"level", "warn"}, {"msg", "bus publish failed"}, {"error", e.what()}});
    }
  }

  bool own(const json::object& o) const { return json_string(o, "node").value_or("") == node; }

  void post(std::function<void()> job) {
    {
      std::lock_guard lock(mu);
      jobs.push_back(std::move(job));
    }
    wake.notify_one();
  }

  void ring(Id conv, const Ring& r) {
    {
      std::lock_guard lock(mu);
      auto [it, fresh] = rings.try_emplace(conv, r);
      if (!fresh) {
        auto& m = it->second;
        m.seq = (m.seq < 0 || r.seq < 0) ? -1 : std::max(m.seq, r.seq);
        m.receipts = m.receipts || r.receipts;
        if (r.committed_at && (!m.committed_at || r.committed_at < m.committed_at))
          m.committed_at = r.committed_at;
      }
    }
    wake.notify_one();
  }

  // ------------------------------------------------------------ local commits

  void committed(const ChangeBatch& batch) {
    {
      std::lock_guard lock(mu);
      for (const auto& c : *batch) deliver_local(c);
    }
    if (!started) return;
    for (const auto& c : *batch)
      ring_others(c.conversation, c.receipts, c.event ? c.event->created_at : wall_ms());
  }

  void ring_others(const Conversation& c, bool receipts, Millis committed_at) {
    publish(conversation_subject(c.workspace_id, c.id),
            {{"seq", c.last_seq}, {"receipts", receipts}, {"committed_at", committed_at}});
  }

  // Lock held. An event that is not the next one here waits for the feed's
  // thread, which reads the gap (and it) from the database.
  void deliver_local(const Change& c) {
    Id conv = c.conversation.id;
    auto it = cursors.find(conv);
    if (!c.event || it == cursors.end()) {
      hub.on_change(c);
      return;
    }
    auto seq = c.event->seq;
    if (seq <= it->second) return;  // read from the database already
    if (seq == it->second + 1) {
      it->second = seq;
      hub.on_change(c);
      return;
    }
    Ring r{c.conversation.workspace_id, seq, c.receipts, c.event->created_at};
    auto [pending, fresh] = rings.try_emplace(conv, r);
    if (!fresh && pending->second.seq >= 0)
      pending->second.seq = std::max(pending->second.seq, seq);
    wake.notify_one();
  }

  // ------------------------------------------------------------ the thread

  void loop() {
    for (;;) {
      std::map<Id, Ring> todo;
      std::deque<std::function<void()>> work;
      {
        std::unique_lock lock(mu);
        wake.wait(lock, [&] { return stopping || !rings.empty() || !jobs.empty(); });
        if (stopping) return;
        todo.swap(rings);
        work.swap(jobs);
      }
      for (auto& job : work) run(job);
      for (const auto& [conv, r] : todo) run([&, conv = conv] { answer_ring(conv, r); });
    }
  }

  static void run(const std::function<void()>& job) {
    try {
      job();
    } catch (const std::exception& e) {
      log_json({{"level", "error"}, {"msg", "cluster feed failed"}, {"error", e.what()}});
    }
  }

  // Reads what the ring announced and hands it to the hub, then the dispatcher.
  void answer_ring(Id conv_id, const Ring& r) {
    auto conv = store.get_conversation(r.workspace, conv_id);
    if (!conv) return;
    std::optional<std::int64_t> from;
    {
      std::lock_guard lock(mu);
      auto it = cursors.find(conv_id);
      if (it != cursors.end())
        from = it->second;
      else if (r.seq > 0 && hub.has_subscribers(conv_id))
        from = r.seq - 1;  // clients here, not yet caught up: they read their backlog
    }
    std::vector<Event> events;
    if (from && *from < conv->last_seq) {
      for (auto after = *from;;) {
        auto page = store.events_after(r.workspace, conv_id, after, true, kPage);
        for (auto& e : page) events.push_back(std::move(e));
        if (page.size() < static_cast<std::size_t>(kPage)) break;
        after = events.back().seq;
      }
    }
    {
      std::lock_guard lock(mu);
      figures.events_read += events.size();
      if (r.seq < 0) ++figures.catch_ups;
      auto it = cursors.find(conv_id);
      // Nobody here follows it any more: its cursor goes (a client that comes
      // back reads its backlog and sets it again).
      bool track = (it != cursors.end() || from) && hub.has_subscribers(conv_id);
      if (!track && it != cursors.end()) {
        cursors.erase(it);
        it = cursors.end();
      }
      std::int64_t cursor = it != cursors.end() ? it->second : from.value_or(0);
      bool any = false;
      for (const auto& e : events) {
        if (e.seq <= cursor) continue;
        cursor = e.seq;
        any = true;
        hub.on_change({*conv, e, false, false});
      }
      if (!any || r.receipts) hub.on_change({*conv, std::nullopt, r.receipts, false});
      if (track) cursors[conv_id] = cursor;
      if (r.committed_at) {
        figures.lag_ms = static_cast<double>(std::max<Millis>(0, wall_ms() - r.committed_at));
        figures.lag_ms_max = std::max(figures.lag_ms_max, figures.lag_ms);
      }
    }
    if (hooks.remote_changes)
      hooks.remote_changes(std::make_shared<const std::vector<Change>>(
          std::vector<Change>{{*conv, std::nullopt, false, false}}));
  }

  // After a reconnect: every conversation with clients here is read again from
  // its cursor; cursors of conversations nobody here follows any more go.
  void catch_up() {
    auto followed = hub.subscribed();
    {
      std::lock_guard lock(mu);
      std::map<Id, std::int64_t> kept;
      for (const auto& [ws, conv] : followed)
        if (auto it = cursors.find(conv); it != cursors.end()) kept.insert(*it);
      cursors.swap(kept);
    }
    for (const auto& [ws, conv] : followed) ring(conv, {ws, -1, true, 0});
    if (hooks.reconnected) hooks.reconnected();
  }

  // ------------------------------------------------------------ the bus

  void on_doorbell(std::string_view subject, std::string_view payload) {
    auto o = parse_object(payload);
    Id ws = workspace_of(subject), conv = last_token_id(subject);
    if (!o || own(*o) || !ws || !conv) return;
    {
      std::lock_guard lock(mu);
      ++figures.doorbells;
    }
    ring(conv,
         {ws, json_int(*o, "seq").value_or(0),
          o->contains("receipts") && o->at("receipts").is_bool() && o->at("receipts").as_bool(),
          json_int(*o, "committed_at").value_or(0)});
  }

  void on_hub(std::string_view subject, std::string_view payload) {
    auto o = parse_object(payload);
    Id ws = workspace_of(subject);
    if (o && !own(*o) && ws) hub.apply_remote(ws, *o);
  }

  void on_routing(std::string_view subject, std::string_view payload) {
    auto o = parse_object(payload);
    Id ws = workspace_of(subject);
    if (!o || own(*o) || !ws) return;
    auto op = json_string(*o, "op").value_or("");
    auto agent = json_int(*o, "agent");
    if (op == "changed" && hooks.routing_changed) hooks.routing_changed(ws, agent);
    if (op == "connected" && agent && hooks.agent_connected) hooks.agent_connected(ws, *agent);
    if (op == "sla" && hooks.sla_changed) hooks.sla_changed(ws);
    auto inbox = json_int(*o, "inbox");
    if (op == "mail" && inbox && hooks.mail_changed) hooks.mail_changed(ws, *inbox);  // queues it
  }

  void on_ask(std::string_view subject, std::string_view payload) {
    auto o = parse_object(payload);
    Id ws = workspace_of(subject);
    if (!o || own(*o) || !ws || !hooks.answer) return;
    post([this, ws, msg = std::move(*o)] {
      const auto* request = msg.if_contains("request");
      auto reply = json_string(msg, "reply");
      if (!request || !request->is_object() || !reply || !bus::valid_subject(*reply)) return;
      auto answer = hooks.answer(ws, request->as_object());
      if (answer) publish(*reply, {{"id", json_int(msg, "id").value_or(0)}, {"answer", *answer}});
    });
  }

  void on_reply(std::string_view payload) {
    auto o = parse_object(payload);
    if (!o) return;
    auto id = static_cast<std::uint64_t>(json_int(*o, "id").value_or(0));
    const auto* answer = o->if_contains("answer");
    std::lock_guard lock(mu);
    auto it = asks.find(id);
    if (it == asks.end() || !answer || !answer->is_object()) return;
    it->second.set_value(answer->as_object());
    asks.erase(it);
  }

  void on_state(bool connected) {
    bool back;
    {
      std::lock_guard lock(mu);
      back = connected && !was_connected;
      was_connected = connected;
    }
    if (back) post([this] { catch_up(); });
  }

  void start() {
    started = true;
    thread = std::thread([this] { loop(); });
    auto sub = [this](std::string pattern, void (Impl::*fn)(std::string_view, std::string_view)) {
      subscriptions.push_back(bus.subscribe(
          pattern, [this, fn](auto subject, auto payload) { (this->*fn)(subject, payload); }));
    };
    sub("sb.*.conv.*", &Impl::on_doorbell);
    sub("sb.*.hub", &Impl::on_hub);
    sub("sb.*.routing", &Impl::on_routing);
    sub("sb.*.ask", &Impl::on_ask);
    subscriptions.push_back(
        bus.subscribe(reply_subject(node), [this](auto, auto payload) { on_reply(payload); }));
    bus.on_state([this](bool connected, std::string_view) { on_state(connected); });
  }

  void stop() {
    bus.on_state([](bool, std::string_view) {});
    subscriptions.clear();  // no handler runs once this returns
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    wake.notify_all();
    if (thread.joinable()) thread.join();
  }

  std::optional<json::object> ask(Id ws, const json::object& request,
                                  std::chrono::milliseconds timeout) {
    std::future<json::object> answer;
    std::uint64_t id;
    {
      std::lock_guard lock(mu);
      id = next_ask++;
      ++figures.asks;
      answer = asks[id].get_future();
    }
    publish(ask_subject(ws), {{"id", id}, {"reply", reply_subject(node)}, {"request", request}});
    if (answer.wait_for(timeout) == std::future_status::ready) return answer.get();
    std::lock_guard lock(mu);
    asks.erase(id);
    ++figures.ask_timeouts;
    return std::nullopt;
  }
};

Feed::Feed(bus::Bus& bus, ConversationStore& store, Hub& hub, std::string node, FeedHooks hooks)
    : impl_(std::make_unique<Impl>(bus, store, hub, std::move(node), std::move(hooks))) {}

Feed::~Feed() {
  stop();
}

void Feed::start() {
  impl_->start();
}

void Feed::stop() {
  impl_->stop();
}

void Feed::committed(const ChangeBatch& batch) {
  impl_->committed(batch);
}

void Feed::ring(const Conversation& c) {
  if (!impl_->started) return;
  impl_->ring(c.id, {c.workspace_id, c.last_seq, false, 0});  // this node's sockets too
  impl_->ring_others(c, false, wall_ms());
}

void Feed::broadcast(Id ws, const json::object& message) {
  impl_->publish(hub_subject(ws), message);
}

void Feed::caught_up(Id, Id conversation, std::int64_t seq) {
  std::lock_guard lock(impl_->mu);
  auto& cursor = impl_->cursors[conversation];
  cursor = std::max(cursor, seq);
}

void Feed::routing_changed(Id ws, std::optional<Id> agent) {
  json::object o{{"op", "changed"}};
  if (agent) o["agent"] = *agent;
  impl_->publish(routing_subject(ws), std::move(o));
}

void Feed::agent_connected(Id ws, Id agent) {
  impl_->publish(routing_subject(ws), {{"op", "connected"}, {"agent", agent}});
}

void Feed::sla_changed(Id ws) {
  impl_->publish(routing_subject(ws), {{"op", "sla"}});
}

void Feed::mail_changed(Id ws, Id inbox) {
  impl_->publish(routing_subject(ws), {{"op", "mail"}, {"inbox", inbox}});
}

std::optional<json::object> Feed::ask_leader(Id ws, const json::object& request,
                                             std::chrono::milliseconds timeout) {
  return impl_->ask(ws, request, timeout);
}

const std::string& Feed::node() const {
  return impl_->node;
}

FeedStats Feed::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->figures;
}

}  // namespace sb::cluster
