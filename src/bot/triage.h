// Part of bot/, exported by bot/bot.h: triage of what customers send, run after the commit.
// Language detection, the emotional-peak check and the FAQ bot react to
// committed changes like the hub and the dispatcher do, so a customer's send
// returns as soon as their message is stored and never waits for the bot.
#pragma once

#include <memory>

#include "store/store.h"

namespace sb {

class Bot;
class Metrics;

class Triage {
 public:
  Triage(Bot& bot, Metrics& metrics, int threads = 4);
  ~Triage();  // finishes what was queued
  Triage(const Triage&) = delete;
  Triage& operator=(const Triage&) = delete;

  // Called on the store's writer thread for each committed batch: only queues.
  // One conversation's changes are triaged one at a time, in commit order.
  void on_changes(const ChangeBatch& batch);
  void stop();  // waits for queued work; later changes are ignored

 private:
  void triage(const Change& change);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
