#include "server/server.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "acd/acd.h"
#include "api/api.h"
#include "asio/asio.h"
#include "bot/bot.h"
#include "helpcenter/helpcenter.h"
#include "http/http.h"
#include "server/transport.h"

namespace sb {
namespace {

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::io_context& io, Shared& sh) {
  for (;;) {
    tcp::socket socket(asio::make_strand(io));
    auto [ec] = co_await acceptor.async_accept(socket, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {  // e.g. out of file descriptors: keep serving the others, but do not spin on the
               // still-pending connection (EMFILE left two cores busy in epoll_wait/accept)
      asio::steady_timer pause(io, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, run_http_session(std::move(socket), sh), asio::detached);
  }
}

// Housekeeping every few minutes, on the worker pool.
asio::awaitable<void> janitor(Shared& sh) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await offload(sh, [&sh] {
      try {
        sweep_uploads(sh.ctx, sh.ctx.clock());
      } catch (const std::exception& e) {
        log_json({{"level", "error"}, {"msg", "upload sweep failed"}, {"error", e.what()}});
      }
      return 0;
    });
    timer.expires_after(std::chrono::minutes(10));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

// Retention (GDPR): once at start, then hourly; each pass is bounded, so a large
// backlog drains over several passes without holding the writer for long.
asio::awaitable<void> retention_janitor(Shared& sh) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await offload(sh, [&sh] {
      try {
        purge_expired_conversations(sh.ctx, sh.ctx.clock());
      } catch (const std::exception& e) {
        log_json({{"level", "error"}, {"msg", "retention sweep failed"}, {"error", e.what()}});
      }
      return 0;
    });
    timer.expires_after(std::chrono::hours(1));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace

struct Server::Impl {
  Impl(Store& store, Env& env, ServerOptions o)
      : options(std::move(o)),
        io(options.io_threads),
        visitor_keys(env, options.data_dir, options.visitor_token_lifetime_ms, env.now_ms()),
        abuse(options.limits),
        ctx{store, hub, metrics, options.data_dir, options.web_root, visitor_keys, abuse, env},
        shared{ctx, Router(ctx),
               asio::thread_pool(static_cast<std::size_t>(options.worker_threads))},
        fanout(asio::make_strand(shared.workers)),
        dispatcher(store, store, store, hub, env,
                   {options.routing.tick_ms, options.routing.reconcile_ms, options.routing.grace_ms,
                    options.routing.default_handle_ms}),
        triage(ctx.bot, metrics),
        acceptor(io) {
    ctx.dispatcher = &dispatcher;
    add_help_center_routes(shared.router);
    std::error_code ec;
    ctx.web_root_real = std::filesystem::weakly_canonical(options.web_root, ec);
    ctx.data_dir_real = std::filesystem::weakly_canonical(options.data_dir, ec);
    hub.on_presence = [this](Id ws, Id agent, int sockets) {
      dispatcher.on_presence(ws, agent, sockets);
    };
    // Frames are built off the writer thread (it only queues), in commit order (one strand).
    // One hand-off per committed batch to each consumer: the writer's time is commit latency.
    store.set_change_listener([this](const ChangeBatch& batch) {
      asio::post(fanout, [this, batch] {
        for (const auto& c : *batch) hub.on_change(c);
      });
      dispatcher.on_changes(batch);
      triage.on_changes(batch);
    });
    tcp::endpoint ep(asio::ip::make_address(options.address), options.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    ctx.public_url = options.public_url;
    while (!ctx.public_url.empty() && ctx.public_url.back() == '/') ctx.public_url.pop_back();
    if (ctx.public_url.empty())
      ctx.public_url =
          "http://" + options.address + ":" + std::to_string(acceptor.local_endpoint().port());
    ctx.metrics_token = options.metrics_token;
    ctx.trusted_proxies = options.trusted_proxies;
  }

  ServerOptions options;
  // Declared before the hub: the hub holds the WebSocket sessions, whose sockets
  // and timers must be destroyed while their io_context still exists.
  asio::io_context io;
  Hub hub;
  Metrics metrics;
  VisitorKeys visitor_keys;
  Abuse abuse;
  Context ctx;
  Shared shared;
  asio::strand<asio::thread_pool::executor_type> fanout;
  Dispatcher dispatcher;
  Triage triage;
  tcp::acceptor acceptor;
};

Server::Server(Store& store, Env& env, ServerOptions options) {
  security::init();
  impl_ = std::make_unique<Impl>(store, env, std::move(options));
}

Server::~Server() {
  stop();
  impl_->triage.stop();  // its last writes still reach the hub and the dispatcher
  impl_->ctx.store.set_change_listener(nullptr);
  impl_->dispatcher.stop();
  impl_->shared.workers.join();
}

unsigned short Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  asio::co_spawn(impl_->io, accept_loop(impl_->acceptor, impl_->io, impl_->shared), asio::detached);
  asio::co_spawn(impl_->io, janitor(impl_->shared), asio::detached);
  asio::co_spawn(impl_->io, retention_janitor(impl_->shared), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  impl_->io.stop();
}

}  // namespace sb
