#include <boost/json.hpp>

#include "mime/mime.h"

namespace sb::mime {

namespace {

boost::json::object address_json(const Address& a) {
  return {{"name", a.name}, {"address", a.address}};
}

boost::json::array addresses_json(const std::vector<Address>& list) {
  boost::json::array out;
  for (const auto& a : list) out.push_back(address_json(a));
  return out;
}

}  // namespace

boost::json::object ParsedMail::to_json() const {
  boost::json::object o;
  o["subject"] = subject;
  o["from"] = address_json(from);
  o["to"] = addresses_json(to);
  o["cc"] = addresses_json(cc);
  o["date"] = date_iso.empty() ? boost::json::value(nullptr) : boost::json::value(date_iso);
  o["message_id"] = message_id;
  o["in_reply_to"] = in_reply_to;
  boost::json::array refs;
  for (const auto& r : references) refs.push_back(boost::json::value(r));
  o["references"] = std::move(refs);
  o["text"] = text;
  o["html"] = html;
  boost::json::array files;
  for (const auto& a : attachments)
    files.push_back(boost::json::object{{"filename", a.filename},
                                        {"content_type", a.content_type},
                                        {"size", a.size},
                                        {"inline", a.inline_part},
                                        {"content_id", a.content_id}});
  o["attachments"] = std::move(files);
  o["auto_reply"] = auto_reply;
  o["bounce"] = bounce.has_value();
  if (bounce)
    o["bounce_info"] = boost::json::object{{"recipient", bounce->recipient},
                                           {"status", bounce->status},
                                           {"diagnostic", bounce->diagnostic},
                                           {"original_message_id", bounce->original_message_id}};
  o["broken"] = broken;
  return o;
}

}  // namespace sb::mime
