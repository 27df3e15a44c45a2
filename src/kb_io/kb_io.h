// The knowledge base's import/export formats (JSON, CSV) and its JSON views.
// Parsing throws std::invalid_argument naming the first bad field.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "store/store.h"

namespace sb {

KbCategory category_from_json(const boost::json::value& v, const std::string& where);
KbArticle article_from_json(const boost::json::value& v, const std::string& where);
FaqIntent intent_from_json(const boost::json::value& v, const std::string& where);
KbContent kb_from_json(const boost::json::value& document);  // {categories, articles, intents}
// `table`: "articles" or "intents"; the header row names the columns.
KbContent kb_from_csv(std::string_view text, std::string_view table);

boost::json::object to_json(const KbCategory& c);
boost::json::object to_json(const KbArticle& a);
boost::json::object to_json(const FaqIntent& i);
boost::json::object kb_to_json(const KbContent& c);
std::string articles_to_csv(const std::vector<KbArticle>& articles);
std::string intents_to_csv(const std::vector<FaqIntent>& intents);

}  // namespace sb
