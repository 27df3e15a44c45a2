// Mail ingest at scale, through the real path (MIME parse, threading, files, one
// SQLite write per mail, acknowledgements) into a fresh store in a temporary
// directory. Mail arrives in rounds of a few hundred; several threads ingest a
// round at once, so their writes share group commits. A reply is only ever
// written to mail of an earlier round (its parent had arrived before it was sent).
//
// The mix: new mails sized like real mail (see Generator; --heavy for bodies of
// 1-200 KB), as text, text+HTML, some with attachments, some
// without a Message-ID; ~40% replies (In-Reply-To and References; Outlook with
// In-Reply-To only; Outlook with neither and "RE: [#n]" in the subject), and
// re-deliveries of mail already fetched. Prints one JSON line at the end:
// {"mails","mails_per_s","tickets","threaded","duplicates_created"} where
// duplicates_created counts replies and re-deliveries that opened a wrong ticket;
// also cpu_ms_per_mail, the CPU the ingest used per mail in all threads (on a
// shared machine, wall-clock throughput says more about the neighbours) and
// writer_cpu_ms_per_mail, the part of it on the store's single writer thread.
//
// Usage: switchboard-email-ingest-bench [--mails N] [--threads T] [--seed S] [--no-fsync] [--heavy]
//                                      [--dir PARENT_OF_THE_TEMPORARY_STORE]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "email/email.h"
#include "env/env.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using sb::Id;

constexpr int kRound = 400;
constexpr int kMaxMails = 20000;

const char* const kWords[] = {
    "order",   "kettle",  "delivery", "refund", "invoice",  "the",     "is",      "not",
    "working", "please",  "help",     "my",     "parcel",   "arrived", "broken",  "since",
    "monday",  "thank",   "you",      "could",  "we",       "return",  "address", "payment",
    "card",    "account", "password", "reset",  "warranty", "repair",  "still",   "waiting"};

struct Thread {
  std::string customer, subject;
  std::vector<std::string> ids;  // Message-IDs of the customer's mails, oldest first
  std::size_t arrived = 0;       // how many of them were ingested before this round
  Id ticket = 0;
};

struct Mail {
  std::string raw;
  int thread = -1;  // the thread it belongs to
  bool reply = false, redelivery = false;
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  std::string words(std::size_t bytes) {
    std::string out;
    std::uniform_int_distribution<std::size_t> w(0, std::size(kWords) - 1);
    int n = 0;
    while (out.size() < bytes) {
      out += kWords[w(rng_)];
      out += (++n % 14 == 0) ? ".\r\n" : " ";
    }
    return out;
  }

  std::string base64_block(std::size_t bytes) {
    static const char* kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::uniform_int_distribution<int> c(0, 63);
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
      out += kAlphabet[c(rng_)];
      if (i % 76 == 75) out += "\r\n";
    }
    return out;
  }

  // Sizes. The default mix follows real mail: the Linux kernel list sample in
  // ../shared/data/email/notmuch/lkml has text of 0.9 KB median, 3 KB at p90 and
  // 27 KB at most; here text is log-normal around 1.2 KB (p90 ~4 KB, p99 ~12 KB,
  // at most 60 KB), PDFs around 60 KB (up to 1 MB). --heavy keeps the earlier
  // mix: bodies of 1-200 KB, 41 KB on average (13 KB median), 25 KB of text per
  // mail, 15 times the real sample.
  std::size_t text_size() {
    if (heavy_) return std::min<std::size_t>(heavy_size(), 60000);
    return log_normal(1200, 60000);
  }
  std::size_t html_text_size(std::size_t text) {
    return heavy_ ? std::min<std::size_t>(heavy_size(), 20000) : text;
  }
  std::size_t attachment_size() { return heavy_ ? heavy_size() : log_normal(60000, 1u << 20); }
  void set_heavy(bool heavy) { heavy_ = heavy; }

  std::size_t heavy_size() {
    double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return static_cast<std::size_t>(1000 + 199000 * u * u * u * u);
  }
  std::size_t log_normal(double median, std::size_t most) {
    double x = std::lognormal_distribution<double>(std::log(median), 1.0)(rng_);
    return std::clamp<std::size_t>(static_cast<std::size_t>(x), 200, most);
  }

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  Mail new_mail(std::vector<Thread>& threads, int serial) {
    Thread t;
    t.customer = "customer" + std::to_string(pick(2000)) + "@example.org";
    t.subject = "Question about order " + std::to_string(10000 + serial);
    std::string id = "m" + std::to_string(serial) + "@example.org";
    bool has_id = !chance(0.05);
    if (has_id) t.ids.push_back(id);
    threads.push_back(t);
    return {compose(t, has_id ? id : "", "", {}, t.subject), static_cast<int>(threads.size()) - 1,
            false, false};
  }

  Mail reply(std::vector<Thread>& threads, int thread, int serial) {
    auto& t = threads[static_cast<std::size_t>(thread)];
    std::string id = "m" + std::to_string(serial) + "@example.org";
    double style = std::uniform_real_distribution<double>(0, 1)(rng_);
    std::string subject = "Re: " + t.subject, in_reply_to;
    std::vector<std::string> refs, arrived(t.ids.begin(), t.ids.begin() + t.arrived);
    if (arrived.empty() || style < 0.15) {
      // Outlook without either header: only the number in the subject.
      subject = "RE: [#" + std::to_string(t.ticket) + "] " + t.subject;
    } else if (style < 0.35) {
      in_reply_to = arrived.back();  // Outlook: In-Reply-To only
    } else {
      in_reply_to = arrived.back();
      refs = arrived;
      if (chance(0.2)) subject = "Different subject " + std::to_string(serial);
    }
    t.ids.push_back(id);
    return {compose(t, id, in_reply_to, refs, subject), thread, true, false};
  }

  std::string compose(const Thread& t, const std::string& id, const std::string& in_reply_to,
                      const std::vector<std::string>& refs, const std::string& subject) {
    std::string h =
        "Received: from mx.example.org by mx.shop.example; Mon, 2 Dec 2024 10:00:00 +0000\r\n"
        "From: Customer <" +
        t.customer +
        ">\r\nTo: Support <support@shop.example>\r\n"
        "Subject: " +
        subject + "\r\nDate: Mon, 2 Dec 2024 10:00:00 +0000\r\n";
    if (!id.empty()) h += "Message-ID: <" + id + ">\r\n";
    if (!in_reply_to.empty()) h += "In-Reply-To: <" + in_reply_to + ">\r\n";
    if (!refs.empty()) {
      h += "References:";
      for (const auto& r : refs) h += " <" + r + ">";
      h += "\r\n";
    }
    h += "MIME-Version: 1.0\r\n";
    bool attachment = chance(0.15);
    bool html = chance(0.5);
    auto text_bytes = text_size();
    std::string text = words(attachment && heavy_ ? 1500 : text_bytes);
    if (!in_reply_to.empty()) text += "\r\nOn Mon, Support wrote:\r\n> " + words(400) + "\r\n";
    if (!attachment && !html) return h + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text;
    std::string b = "b" + std::to_string(pick(1u << 30));
    std::string out = h + "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b +
                      "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    if (html)
      out += "--" + b + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>" +
             words(html_text_size(text_bytes)) + "</p></body></html>\r\n";
    if (attachment)
      out += "--" + b +
             "\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\nContent-Transfer-Encoding: "
             "base64\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\n\r\n" +
             base64_block(attachment_size()) + "\r\n";
    return out + "--" + b + "--\r\n";
  }

 private:
  std::mt19937 rng_;
  bool heavy_ = false;
};

// --no-fsync: files written without waiting for the disk, to see what the fsync
// of every attachment and .eml costs.
class NoSyncEnv : public sb::PosixEnv {
 public:
  void write_file(const std::string& path, std::string_view bytes) override {
    fs::create_directories(fs::path(path).parent_path());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + path);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
};

bool flag(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == name) return true;
  return false;
}

// Every thread's CPU time (ingest threads, the store's writer and checkpointer):
// on a box shared with other work, what the ingest itself costs.
double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds of this process's threads with the given name (the store's
// single writer is the ceiling of the ingest rate: it is reported on its own).
double threads_cpu_s(const std::string& name) {
  double total = 0;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string got;
    if (!std::getline(comm, got) || got != name) continue;
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
    long utime = 0, stime = 0;
    fields >> utime >> stime;
    total += static_cast<double>(utime + stime) / tick;
  }
  return total;
}

int arg(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::stoi(argv[i + 1]);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  int total = std::clamp(arg(argc, argv, "--mails", 10000), 1, kMaxMails);
  int workers = std::clamp(arg(argc, argv, "--threads", 4), 1, 32);
  Generator gen(static_cast<unsigned>(arg(argc, argv, "--seed", 1)));
  bool heavy = flag(argc, argv, "--heavy");
  gen.set_heavy(heavy);

  fs::path base = fs::temp_directory_path();
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == std::string("--dir")) base = argv[i + 1];
  auto dir = base / ("sb-email-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  sb::SqliteOptions o;
  o.path = (dir / "switchboard.db").string();
  auto store = sb::open_sqlite_store(o);
  sb::Inbox in;
  in.name = "Mail";
  in.public_key = "bench";
  in.workspace_id = store->create_workspace("Shop");
  auto inbox_row = store->create_inbox(in);
  sb::email::MailInbox inbox;
  inbox.workspace_id = inbox_row.workspace_id;
  inbox.inbox_id = inbox_row.id;
  inbox.address = "support@shop.example";
  inbox.display_name = "Shop support";
  inbox.token_key = "bench key";
  inbox.answer_promise = "We answer within one business day.";
  NoSyncEnv no_sync;
  bool fsync = !flag(argc, argv, "--no-fsync");
  sb::Env& env = fsync ? sb::real_env() : no_sync;
  sb::email::MailIngest ingest(*store, *store, env, dir / "files");

  std::vector<Thread> threads;
  std::vector<Mail> delivered;  // for re-deliveries
  long tickets = 0, threaded = 0, dropped = 0, wrong = 0;
  double busy_s = 0, cpu_s = 0;
  for (int done = 0; done < total;) {
    // This round's mail: replies only to threads whose tickets exist already.
    std::size_t known = threads.size();
    for (auto& t : threads) t.arrived = t.ids.size();
    std::vector<Mail> round;
    for (int i = 0; i < kRound && done + i < total; ++i) {
      int serial = done + i;
      if (known > 0 && gen.chance(0.03) && !delivered.empty()) {
        Mail again = delivered[gen.pick(delivered.size())];
        again.redelivery = true;
        round.push_back(std::move(again));
      } else if (known > 0 && gen.chance(0.4)) {
        round.push_back(gen.reply(threads, static_cast<int>(gen.pick(known)), serial));
      } else {
        round.push_back(gen.new_mail(threads, serial));
      }
    }
    std::vector<sb::email::IngestResult> results(round.size());
    std::atomic<std::size_t> next{0};
    auto t0 = std::chrono::steady_clock::now();
    auto cpu0 = process_cpu_s();
    std::vector<std::thread> pool;
    for (int w = 0; w < workers; ++w)
      pool.emplace_back([&] {
        for (std::size_t i; (i = next++) < round.size();)
          results[i] = ingest.ingest(round[i].raw, inbox);
      });
    for (auto& t : pool) t.join();
    busy_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu_s += process_cpu_s() - cpu0;

    for (std::size_t i = 0; i < round.size(); ++i) {
      const auto& m = round[i];
      const auto& r = results[i];
      auto& t = threads[static_cast<std::size_t>(m.thread)];
      Id got = r.conversation ? r.conversation->id : 0;
      if (r.created) ++tickets;
      if (m.redelivery) {
        r.duplicate&& got == t.ticket ? ++dropped : ++wrong;
      } else if (!m.reply) {
        if (!t.ticket) t.ticket = got;  // a new thread's ticket
      } else {
        got == t.ticket && !r.created ? ++threaded : ++wrong;
      }
      if (!m.redelivery) delivered.push_back(m);
    }
    if (delivered.size() > 2000) delivered.erase(delivered.begin(), delivered.begin() + 1000);
    done += static_cast<int>(round.size());
  }
  double writer_s = threads_cpu_s("sb-writer");
  store.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
  std::cout << boost::json::serialize(boost::json::object{
                   {"mails", total},
                   {"mails_per_s", static_cast<std::int64_t>(total / busy_s)},
                   {"tickets", tickets},
                   {"threaded", threaded},
                   {"duplicates_created", wrong},
                   {"redeliveries_dropped", dropped},
                   {"cpu_ms_per_mail", std::round(cpu_s * 1e5 / total) / 100},
                   {"writer_cpu_ms_per_mail", std::round(writer_s * 1e5 / total) / 100},
                   {"threads", workers},
                   {"mix", heavy ? "heavy" : "real"},
                   {"fsync", fsync}})
            << "\n";
  return wrong == 0 ? 0 : 1;
}
