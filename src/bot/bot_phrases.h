// Private to bot/: the bot's own sentences in en/it/ru/hu/pl (English for
// anything else).
#pragma once

#include <string>
#include <string_view>

namespace sb {

enum class BotPhrase { kGreeting, kHandoff, kUnsure, kUpset, kClosed, kArticle };

// {name} becomes `name`, {when} becomes `when`.
std::string bot_phrase(BotPhrase which, std::string_view language, std::string_view name,
                       std::string_view when = "");
// 0 = Sunday; the form that follows "from" in that language.
std::string weekday_name(int day, std::string_view language);

}  // namespace sb
