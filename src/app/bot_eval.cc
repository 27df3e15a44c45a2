#include "app/bot_eval.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "app/percentile.h"
#include "intent/intent.h"

namespace sb {
namespace {

namespace json = boost::json;

// JSON lines {"text": "...", "intent": "..."}; blank lines are skipped, any
// other line that is not such an object is an error naming file and line.
std::vector<bot::Example> read_examples(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("bot-eval: cannot read " + file);
  std::vector<bot::Example> out;
  long line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto fail = [&](const std::string& why) {
      return std::invalid_argument("bot-eval: " + file + ":" + std::to_string(line_no) + ": " +
                                   why);
    };
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) throw fail("not JSON (" + ec.message() + ")");
    const json::object* o = v.if_object();
    const json::value* text = o ? o->if_contains("text") : nullptr;
    const json::value* intent = o ? o->if_contains("intent") : nullptr;
    if (!text || !text->is_string() || !intent || !intent->is_string())
      throw fail(R"(expected {"text": "...", "intent": "..."})");
    if (intent->as_string().empty()) throw fail("empty intent");
    out.push_back({std::string(text->as_string()), std::string(intent->as_string())});
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

json::value share(long part, long whole) {
  if (whole == 0) return nullptr;
  return static_cast<double>(part) / whole;
}

}  // namespace

int bot_eval(const std::string& train_file, const std::string& test_file) {
  auto train = read_examples(train_file);
  auto test = read_examples(test_file);
  std::cerr << "bot-eval: training on " << train.size() << " lines\n";
  auto t0 = std::chrono::steady_clock::now();
  auto model = bot::IntentModel::train(train);
  double train_s = seconds_since(t0);
  std::cerr << "bot-eval: " << model.intents() << " intents in " << train_s << " s; classifying "
            << test.size() << " lines\n";

  long in_scope = 0, right = 0, oos = 0, oos_found = 0, said_oos = 0;
  std::vector<double> ms;
  ms.reserve(test.size());
  for (const auto& e : test) {
    auto q0 = std::chrono::steady_clock::now();
    auto p = model.classify(e.text);
    ms.push_back(seconds_since(q0) * 1000);
    bool truly_oos = e.intent == bot::kOutOfScope;
    oos += truly_oos;
    in_scope += !truly_oos;
    said_oos += p.out_of_scope;
    oos_found += truly_oos && p.out_of_scope;
    right += !truly_oos && !p.out_of_scope && p.intent == e.intent;
  }
  std::cout << json::serialize(json::object{
                   {"n", static_cast<long>(test.size())},
                   {"accuracy", in_scope ? static_cast<double>(right) / in_scope : 0.0},
                   {"oos_recall", share(oos_found, oos)},
                   {"oos_precision", oos ? share(oos_found, said_oos) : json::value(nullptr)},
                   {"train_s", train_s},
                   {"p50_ms", percentile(ms, 0.5)},
                   {"p99_ms", percentile(ms, 0.99)}})
            << std::endl;
  return 0;
}

}  // namespace sb
