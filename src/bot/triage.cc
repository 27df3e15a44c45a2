#include "bot/triage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <vector>

#include "api/api.h"
#include "asio/asio.h"
#include "bot/bot.h"
#include "http/http.h"

namespace sb {
namespace {

namespace asio = boost::asio;

// Conversations are spread over this many strands: one conversation's work is
// ordered, different conversations' work runs in parallel (each waits for its
// own commits, so more in flight means fuller group commits).
constexpr std::size_t kLanes = 32;

bool is_customer_message(const Change& c) {
  return c.event && c.event->kind == "message" && c.event->author.type == AuthorType::kVisitor &&
         !c.event->body.empty();
}

}  // namespace

// Triage threads run at a lower CPU priority than the I/O threads: under load
// the bot may answer a little later, but nobody's delivery waits for it.
constexpr int kTriageNice = 10;

struct Triage::Impl {
  Bot& bot;
  Metrics& metrics;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::vector<asio::strand<asio::io_context::executor_type>> lanes;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};

  Impl(Bot& b, Metrics& m, int n) : bot(b), metrics(m) {
    for (std::size_t i = 0; i < kLanes; ++i) lanes.push_back(asio::make_strand(io));
    for (int i = 0; i < n; ++i)
      threads.emplace_back([this] {
        // Linux: a thread's nice value is its own (tid); failing leaves it at normal priority.
        [[maybe_unused]] int ignored =
            setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kTriageNice);
        io.run();
      });
  }
};

Triage::Triage(Bot& bot, Metrics& metrics, int threads)
    : impl_(std::make_unique<Impl>(bot, metrics, threads)) {}

Triage::~Triage() {
  stop();
}

void Triage::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->work.reset();  // run() returns once the queued work is done
  for (auto& t : impl_->threads) t.join();
}

void Triage::on_changes(const ChangeBatch& batch) {
  if (impl_->stopped.load(std::memory_order_relaxed)) return;
  // One hand-off per lane that has work in this batch, carrying its changes in order.
  std::array<std::vector<const Change*>, kLanes> work;
  std::int64_t queued = 0;
  for (const auto& c : *batch)
    if (c.created || is_customer_message(c)) {
      work[static_cast<std::size_t>(c.conversation.id) % kLanes].push_back(&c);
      ++queued;
    }
  if (queued == 0) return;
  impl_->metrics.triage_queued.fetch_add(queued, std::memory_order_relaxed);
  for (std::size_t lane = 0; lane < kLanes; ++lane) {
    if (work[lane].empty()) continue;
    asio::post(impl_->lanes[lane], [this, batch, changes = std::move(work[lane])] {
      for (const auto* c : changes) triage(*c);
    });
  }
}

void Triage::triage(const Change& change) {
  try {
    if (change.created)
      impl_->bot.after_new_conversation(change.conversation);
    else
      impl_->bot.after_customer_message(change.conversation, *change.event);
  } catch (const std::exception& e) {  // the customer's message is stored either way
    log_json({{"level", "error"},
              {"msg", "triage failed"},
              {"conversation", change.conversation.id},
              {"error", e.what()}});
  }
  impl_->metrics.triage_done.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace sb
