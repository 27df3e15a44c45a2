// One customer record in the store (R5): which contact a conversation joins,
// edits that refuse without changing anything, a merge and its exact undo, undo
// refused when what moved has changed, search scoped and paged, workspaces apart,
// and GDPR reaching the records merged into a contact.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

class ContactStoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ =
        std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_.fetch_add(1000); });
    store_ = db_->open();
    ws_ = store_->create_workspace("Acme");
    other_ws_ = store_->create_workspace("Globex");
    inbox_ = inbox(ws_, "k-acme");
    second_inbox_ = inbox(ws_, "k-acme-2");
    other_inbox_ = inbox(other_ws_, "k-globex");
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Id inbox(Id ws, const std::string& key) {
    Inbox i;
    i.workspace_id = ws;
    i.name = key;
    i.public_key = key;
    return store_->create_inbox(i).id;
  }

  struct Who {
    std::string visitor, name, email, phone;
    ConversationKind kind = ConversationKind::kChat;
    Id ws = 0, inbox = 0;
    std::string source;
  };

  Conversation start(const Who& w) {
    NewConversation c;
    c.workspace_id = w.ws ? w.ws : ws_;
    c.inbox_id = w.inbox ? w.inbox : (c.workspace_id == other_ws_ ? other_inbox_ : inbox_);
    c.visitor_id = w.visitor;
    c.client_id = "c-" + std::to_string(++serial_);
    c.kind = w.kind;
    c.name = w.name;
    c.email = w.email;
    c.phone = w.phone;
    c.first_message = "hello " + std::to_string(serial_);
    if (!w.source.empty()) c.meta = {{"source", w.source}};
    return store_->create_conversation(c).first;
  }

  // A customer of their own for each round of a test: "a3" writes from a3@example.com.
  Conversation customer(const std::string& name, const std::string& round) {
    return start({"v" + name + round, name, name + round + "@example.com"});
  }

  ContactProfile profile(Id id, Id ws = 0) {
    auto p = store_->contact_profile(ws ? ws : ws_, id, {});
    EXPECT_TRUE(p.has_value());
    return p.value_or(ContactProfile{});
  }

  static std::vector<std::string> values(const ContactProfile& p, const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& i : p.identities)
      if (i.kind == kind) out.push_back(i.value);
    return out;
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::atomic<Millis> now_{1'700'000'000'000};
  std::unique_ptr<Store> store_;
  Id ws_ = 0, other_ws_ = 0, inbox_ = 0, second_inbox_ = 0, other_inbox_ = 0;
  int serial_ = 0;
};

TEST(NormalizeIdentity, PhonesKeepPlusAndDigitsAndEmailsFoldCase) {
  EXPECT_EQ(normalize_phone("+39 06 1234-5678"), "+390612345678");
  EXPECT_EQ(normalize_phone(" 0039 (06) 1234 5678 "), "+390612345678");
  EXPECT_EQ(normalize_phone("06 1234 5678"), "0612345678");
  EXPECT_EQ(normalize_phone("12345"), "");  // too short to be a number
  EXPECT_EQ(normalize_phone("+39 06 abc"), "");
  EXPECT_EQ(normalize_email("  Laura@Customer.Example "), "laura@customer.example");
}

TEST_P(ContactStoreTest, EveryChannelJoinsTheContactOfItsStrongestIdentity) {
  auto chat = start({"v-laura", "Laura", "Laura@Example.com"});
  auto form = start({"v-office", "", "laura@example.com", "", ConversationKind::kOffline});
  auto call = start({"v-phone", "", "", "+39 06 1234 5678", ConversationKind::kCallback});
  auto call2 =
      start({"v-other", "", "laura@example.com", "0039 06 12345678", ConversationKind::kCallback});
  auto help = start({"help-1234", "L.", "LAURA@example.com", "", ConversationKind::kOffline, 0, 0,
                     "help_center"});
  EXPECT_EQ(form.contact.id, chat.contact.id);
  EXPECT_EQ(help.contact.id, chat.contact.id);
  EXPECT_EQ(call2.contact.id, chat.contact.id);
  // The first call-back came before anyone tied the number to Laura: its own contact.
  EXPECT_NE(call.contact.id, chat.contact.id);
  auto p = profile(chat.contact.id);
  EXPECT_EQ(p.contact.name, "Laura");
  EXPECT_EQ(values(p, "email"), std::vector<std::string>{"laura@example.com"});
  EXPECT_EQ(values(p, "visitor"), (std::vector<std::string>{"v-laura", "v-office", "v-other"}))
      << "a help-center form's made-up visitor id is nobody's browser";
  EXPECT_EQ(p.conversations, 4);
  ASSERT_EQ(p.channels.size(), 4u);
  EXPECT_EQ(values(profile(call.contact.id), "phone"), std::vector<std::string>{"+390612345678"});
  // The same number with another address: someone else in the household, not Laura's
  // record (her replies would go to the address typed by someone else).
  auto family = start({"v-fam", "Marta", "marta@example.com"});
  ContactChanges give;
  give.add = {{"phone", "+3902777888"}};
  ASSERT_TRUE(store_->update_contact(ws_, family.contact.id, give));
  auto son =
      start({"v-son", "Luca", "luca@example.com", "+39 02 777 888", ConversationKind::kCallback});
  EXPECT_NE(son.contact.id, family.contact.id);
  auto by_number = start({"v-x", "", "", "+39 02 777 888", ConversationKind::kCallback});
  EXPECT_EQ(by_number.contact.id, family.contact.id) << "no address typed: the number decides";
}

TEST_P(ContactStoreTest, ASharedBrowserWithAnotherAddressIsSomeoneElse) {
  auto first = start({"v-shared", "Anna", "anna@example.com"});
  auto again = start({"v-shared", "", ""});
  auto sister = start({"v-shared", "Eva", "eva@example.com"});
  EXPECT_EQ(again.contact.id, first.contact.id);
  EXPECT_NE(sister.contact.id, first.contact.id);
  EXPECT_EQ(values(profile(sister.contact.id), "email"),
            std::vector<std::string>{"eva@example.com"});
  // An anonymous visitor who then gives an address: the same contact learns it.
  auto anon = start({"v-anon", "", ""});
  auto named = start({"v-anon", "Piotr", "piotr@example.com"});
  EXPECT_EQ(named.contact.id, anon.contact.id);
  EXPECT_EQ(profile(anon.contact.id).contact.name, "Piotr");
}

TEST_P(ContactStoreTest, AnEditRefusedForATakenIdentityChangesNothing) {
  auto a = start({"v-a", "Marco", "marco@example.com"});
  auto b = start({"v-b", "Bea", "bea@example.com"});
  ContactChanges ch;
  ch.name = "Renamed";
  ch.add = {{"phone", "+3902555"}, {"email", "bea@example.com"}};
  auto r = store_->update_contact(ws_, a.contact.id, ch);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.refused().why, Refusal::kIdentityTaken);
  EXPECT_NE(r.refused().reason.find("contact " + std::to_string(b.contact.id)), std::string::npos);
  auto p = profile(a.contact.id);
  EXPECT_EQ(p.contact.name, "Marco");
  EXPECT_TRUE(values(p, "phone").empty());

  ContactChanges ok;
  ok.add = {{"email", "marco@work.example"}};
  ok.remove = {{"email", "marco@example.com"}};
  auto done = store_->update_contact(ws_, a.contact.id, ok);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->contact.email, "marco@work.example")
      << "the shown address follows the identities";
  EXPECT_THROW((void)store_->update_contact(ws_, 999999, ok), StoreError);
  EXPECT_THROW((void)store_->update_contact(other_ws_, a.contact.id, ok), StoreError);
}

TEST_P(ContactStoreTest, MergeThenUndoRestoresExactly) {
  auto a = start({"v-a", "Marco", "marco@example.com"});
  auto b = start({"v-b", "", "", "+39 333 1234567", ConversationKind::kCallback});
  ContactChanges notes;
  notes.notes = "prefers mornings";
  ASSERT_TRUE(store_->update_contact(ws_, b.contact.id, notes));
  auto before_a = profile(a.contact.id), before_b = profile(b.contact.id);

  auto m = store_->merge_contacts(ws_, a.contact.id, b.contact.id, 7);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->conversations, std::vector<Id>{b.id});
  auto merged = profile(a.contact.id);
  EXPECT_EQ(merged.conversations, 2);
  EXPECT_EQ(merged.contact.phone, "+393331234567");
  EXPECT_EQ(merged.contact.notes, "prefers mornings");
  EXPECT_EQ(profile(b.contact.id).merged_into, a.contact.id);
  EXPECT_EQ(store_->get_conversation(ws_, b.id)->contact.id, a.contact.id);
  EXPECT_GT(store_->get_conversation(ws_, b.id)->version, b.version);
  // Merged away: neither merged again nor taking anything.
  EXPECT_EQ(store_->merge_contacts(ws_, b.contact.id, a.contact.id, 7).refused().why,
            Refusal::kMerged);

  auto u = store_->undo_merge(ws_, m->id);
  ASSERT_TRUE(u);
  auto after_a = profile(a.contact.id), after_b = profile(b.contact.id);
  for (auto [x, y] : {std::pair{&before_a, &after_a}, std::pair{&before_b, &after_b}}) {
    EXPECT_EQ(y->contact.name, x->contact.name);
    EXPECT_EQ(y->contact.email, x->contact.email);
    EXPECT_EQ(y->contact.phone, x->contact.phone);
    EXPECT_EQ(y->contact.notes, x->contact.notes);
    EXPECT_EQ(values(*y, "email"), values(*x, "email"));
    EXPECT_EQ(values(*y, "phone"), values(*x, "phone"));
    EXPECT_EQ(values(*y, "visitor"), values(*x, "visitor"));
    EXPECT_EQ(y->conversations, x->conversations);
    EXPECT_EQ(y->merged_into, x->merged_into);
  }
  EXPECT_EQ(store_->get_conversation(ws_, b.id)->contact.id, b.contact.id);
  EXPECT_EQ(store_->undo_merge(ws_, m->id).refused().why, Refusal::kMerged) << "undone once";
}

TEST_P(ContactStoreTest, UndoRefusesWhenWhatMovedHasChanged) {
  auto a = start({"v-a", "Marco", "marco@example.com"});
  auto b = start({"v-b", "Bea", "bea@example.com"});
  auto m = store_->merge_contacts(ws_, a.contact.id, b.contact.id, 7);
  ASSERT_TRUE(m);
  ContactChanges drop;
  drop.remove = {{"email", "bea@example.com"}};
  ASSERT_TRUE(store_->update_contact(ws_, a.contact.id, drop));
  auto refused = store_->undo_merge(ws_, m->id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.refused().why, Refusal::kUndoUnsafe);
  EXPECT_NE(refused.refused().reason.find("bea@example.com was removed"), std::string::npos)
      << refused.refused().reason;
  EXPECT_EQ(profile(b.contact.id).merged_into, a.contact.id) << "nothing undone";

  // A later merge moved the conversations on: undo the later one first.
  auto c = start({"v-c", "Carl", "carl@example.com"});
  auto d = start({"v-d", "Dora", "dora@example.com"});
  auto m1 = store_->merge_contacts(ws_, c.contact.id, d.contact.id, 7);
  auto m2 = store_->merge_contacts(ws_, a.contact.id, c.contact.id, 7);
  ASSERT_TRUE(m1 && m2);
  EXPECT_EQ(store_->undo_merge(ws_, m1->id).refused().why, Refusal::kUndoUnsafe);
  ASSERT_TRUE(store_->undo_merge(ws_, m2->id));
  EXPECT_TRUE(store_->undo_merge(ws_, m1->id));
}

TEST_P(ContactStoreTest, WorkspacesStayApart) {
  auto a = start({"v-a", "Marco", "marco@example.com"});
  auto x = start({"v-x", "Xena", "marco@example.com", "", ConversationKind::kChat, other_ws_});
  EXPECT_NE(x.contact.id, a.contact.id)
      << "the same address in another workspace is another person";
  EXPECT_THROW((void)store_->merge_contacts(ws_, a.contact.id, x.contact.id, 7), StoreError);
  EXPECT_FALSE(store_->contact_profile(other_ws_, a.contact.id, {}).has_value());
  EXPECT_TRUE(store_->contact_timeline(other_ws_, a.contact.id, {}).empty());
  auto m =
      store_->merge_contacts(ws_, a.contact.id, start({"v-b", "B", "b@example.com"}).contact.id, 7);
  ASSERT_TRUE(m);
  EXPECT_THROW((void)store_->undo_merge(other_ws_, m->id), StoreError);
}

TEST_P(ContactStoreTest, SearchIsScopedAndPaged) {
  for (int i = 1; i <= 5; ++i)
    start({"v-" + std::to_string(i), "Pagina " + std::to_string(i),
           "p" + std::to_string(i) + "@example.com", "+48 600 100 20" + std::to_string(i)});
  auto scoped_conv =
      start({"v-w", "Wholesale", "w@example.com", "", ConversationKind::kChat, 0, second_inbox_});
  ContactQuery q;
  q.text = "PAGINA";
  q.limit = 2;
  auto page1 = store_->search_contacts(ws_, q);
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].contact.name, "Pagina 5");
  q.before_id = page1[1].contact.id;
  auto page2 = store_->search_contacts(ws_, q);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].contact.name, "Pagina 3");
  q = {};
  q.text = "600 100 203";
  auto by_phone = store_->search_contacts(ws_, q);
  ASSERT_EQ(by_phone.size(), 1u);
  EXPECT_EQ(by_phone[0].contact.name, "Pagina 3");
  q.text = "p4@";
  EXPECT_EQ(store_->search_contacts(ws_, q).at(0).contact.name, "Pagina 4");

  ContactQuery scoped;
  scoped.scope.inboxes = {second_inbox_};
  scoped.agent_id = 42;
  auto seen = store_->search_contacts(ws_, scoped);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].contact.id, scoped_conv.contact.id);
  auto p1 = store_->search_contacts(ws_, {}).back();
  EXPECT_EQ(store_->contact_profile(ws_, p1.contact.id, scoped)->conversations, 0);
  EXPECT_TRUE(store_->contact_timeline(ws_, p1.contact.id, scoped).empty());
}

TEST_P(ContactStoreTest, ErasureReachesTheRecordsMergedIn) {
  auto a = start({"v-a", "Marco", "marco@example.com"});
  auto b = start({"v-b", "Marco Private", "private@example.com"});
  auto m = store_->merge_contacts(ws_, a.contact.id, b.contact.id, 7);
  ASSERT_TRUE(m);
  auto data = store_->contact_data(ws_, a.contact.id);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->conversations.size(), 2u);
  ASSERT_EQ(data->merged.size(), 1u);
  EXPECT_EQ(data->merged[0].name, "Marco Private");

  auto erased = store_->erase_contact(ws_, a.contact.id);
  ASSERT_TRUE(erased);
  EXPECT_EQ(erased->conversations, 2);
  auto shell = profile(b.contact.id);
  EXPECT_EQ(shell.contact.name, "");
  EXPECT_EQ(shell.contact.email, "");
  EXPECT_THROW((void)store_->undo_merge(ws_, m->id), StoreError) << "the merge record is gone";
  auto fresh = start({"v-new", "", "private@example.com"});
  EXPECT_NE(fresh.contact.id, a.contact.id);
  EXPECT_NE(fresh.contact.id, b.contact.id);
}

// Two nodes at once (two stores on one database): what one merges or undoes,
// the other sees before it acts, so a record is merged once and a merge undone once.
TEST_P(ContactStoreTest, TwoNodesMergingOneRecordAtOnceMergeItOnce) {
  auto second = db_->open();
  for (int round = 0; round < 8; ++round) {
    auto tag = std::to_string(round);
    auto a = customer("a", tag), b = customer("b", tag), c = customer("c", tag);
    std::optional<Outcome<ContactMerge>> into_a, into_c;
    std::thread t1([&] { into_a = store_->merge_contacts(ws_, a.contact.id, b.contact.id, 1); });
    std::thread t2([&] { into_c = second->merge_contacts(ws_, c.contact.id, b.contact.id, 1); });
    t1.join();
    t2.join();
    ASSERT_NE(bool(*into_a), bool(*into_c)) << "round " << round << ": exactly one merge";
    Id winner = *into_a ? a.contact.id : c.contact.id;
    EXPECT_EQ((*into_a ? *into_c : *into_a).refused().why, Refusal::kMerged);
    EXPECT_EQ(profile(b.contact.id).merged_into, winner);
    EXPECT_EQ(store_->get_conversation(ws_, b.id)->contact.id, winner);
    EXPECT_EQ(profile(winner).conversations, 2);

    auto merge = *into_a ? **into_a : **into_c;
    std::optional<Outcome<ContactMerge>> undo1, undo2;
    std::thread u1([&] { undo1 = store_->undo_merge(ws_, merge.id); });
    std::thread u2([&] { undo2 = second->undo_merge(ws_, merge.id); });
    u1.join();
    u2.join();
    ASSERT_NE(bool(*undo1), bool(*undo2)) << "round " << round << ": undone once";
    EXPECT_EQ(profile(b.contact.id).merged_into, std::nullopt);
    EXPECT_EQ(store_->get_conversation(ws_, b.id)->contact.id, b.contact.id);
  }
}

TEST_P(ContactStoreTest, AConversationStartedDuringAMergeJoinsTheSurvivingRecord) {
  auto second = db_->open();
  for (int round = 0; round < 8; ++round) {
    auto tag = std::to_string(round);
    auto a = customer("a", tag), b = customer("b", tag);
    NewConversation again;
    again.workspace_id = ws_;
    again.inbox_id = inbox_;
    again.visitor_id = "vb" + tag + "-phone";
    again.client_id = "again-" + tag;
    again.email = "b" + tag + "@example.com";
    again.first_message = "it's me again";
    std::optional<Conversation> started;
    std::thread t1(
        [&] { ASSERT_TRUE(store_->merge_contacts(ws_, a.contact.id, b.contact.id, 1)); });
    std::thread t2([&] { started = second->create_conversation(again).first; });
    t1.join();
    t2.join();
    EXPECT_EQ(store_->get_conversation(ws_, started->id)->contact.id, a.contact.id)
        << "round " << round;
    EXPECT_EQ(profile(a.contact.id).conversations, 3);
  }
}

SB_STORE_BACKENDS(ContactStoreTest);

}  // namespace
}  // namespace sb
