// Private to api/: writing a zip archive to a file (libzip), for the GDPR
// export of a contact.
#pragma once

#include <deque>
#include <string>
#include <string_view>

// libzip's handles (zip_t, zip_source_t), declared here so users need not include zip.h.
struct zip;
struct zip_source;

namespace sb {

// A name safe inside a zip for one attachment: "<id>-<name>" with no directory
// part, no "..", no control or bidi characters, valid UTF-8, at most ~120 bytes.
// Unzip tools write entries where their names say; a name from a customer must
// never say "../../.bashrc".
std::string safe_zip_name(std::string_view id, std::string_view name);

class ZipWriter {
 public:
  explicit ZipWriter(const std::string& path);  // throws std::runtime_error
  ~ZipWriter();                                 // discards unless closed
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Compressed; the text is copied.
  void add_text(const std::string& name, std::string text);
  // Stored as is (attachments are mostly compressed already); read at close().
  void add_file(const std::string& name, const std::string& path);
  void close();  // writes the archive; throws std::runtime_error

 private:
  void add(const std::string& name, ::zip_source* source, bool compress);
  ::zip* zip_ = nullptr;
  std::deque<std::string> texts_;  // libzip reads them at close(); a deque never moves them
};

}  // namespace sb
