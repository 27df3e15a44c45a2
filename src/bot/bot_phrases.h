// Private to bot/: the bot's own sentences in en/it/ru/hu/pl (English for
// anything else).
#pragma once

#include <string>
#include <string_view>

namespace sb {

enum class BotPhrase {
  kGreeting,
  kHandoff,
  kUnsure,
  kUpset,
  kClosed,
  kArticle,
  kGreetBack,  // to a customer who only greeted
  kWelcome     // to one who only thanked
};

// {name} becomes `name`, {when} becomes `when`.
std::string bot_phrase(BotPhrase which, std::string_view language, std::string_view name,
                       std::string_view when = "");
// A message that only greets ("ciao", "good morning") or thanks ("grazie mille"):
// the bot answers in kind instead of handing off. The language is the phrase's
// (the chat's when it lists the phrase too).
struct SmallTalk {
  enum class Kind { kNone, kGreeting, kThanks } kind = Kind::kNone;
  std::string language;
};
SmallTalk small_talk(std::string_view text, std::string_view chat_language);

// 0 = Sunday; the form that follows "from" in that language.
std::string weekday_name(int day, std::string_view language);

}  // namespace sb
