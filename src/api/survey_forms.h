// What api_surveys.cc (settings) and api_survey_forms.cc (surveys) share: the
// widget's NPS question after a chat, asked of each contact at most every
// `every_days`, and a survey as the customer reads it, in their language.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/problems.h"
#include "store/store.h"

namespace sb {

struct WidgetNps {
  bool enabled = false;
  std::optional<Id> survey_id;
  std::int64_t every_days = 90;
  boost::json::object json() const;
};
WidgetNps widget_nps(SurveyStore& store, Id workspace);
// `v` as PUT /settings/survey's widget_nps; problems under "widget_nps.<field>".
void read_widget_nps(SurveyStore& store, Id workspace, const boost::json::value& v, WidgetNps& out,
                     Problems& bad);

// A settings part's {enabled?, survey_id?} (an existing survey; with
// `needs_nps`, one with an NPS question); problems under "<part>.<field>".
void read_survey_choice(SurveyStore& store, Id workspace, const boost::json::object& o,
                        const std::string& part, bool& enabled, std::optional<Id>& survey_id,
                        bool needs_nps, Problems& bad);

// {name, language, questions}: labels (and choice labels, as option_labels beside
// the options answers are given in) in `language` where translated.
boost::json::object localized_survey(const Survey& s, const std::string& language);

}  // namespace sb
