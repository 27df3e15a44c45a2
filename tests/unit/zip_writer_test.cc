// GDPR export: names from customers must never steer where an unzip tool writes.
#include "api/zip_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>

#include "core/core.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

void expect_safe(const std::string& name) {
  EXPECT_EQ(name.find('/'), std::string::npos) << name;
  EXPECT_EQ(name.find('\\'), std::string::npos) << name;
  EXPECT_EQ(name.find(".."), std::string::npos) << name;
  EXPECT_TRUE(is_valid_utf8(name)) << name;
  for (unsigned char c : name) EXPECT_GE(c, 0x20) << name;
  EXPECT_LE(name.size(), 140u) << name;
}

TEST(ZipName, KeepsOrdinaryNames) {
  EXPECT_EQ(safe_zip_name("ab12", "scontrino è.png"), "ab12-scontrino è.png");
  EXPECT_EQ(safe_zip_name("ab12", "invoice.final.pdf"), "ab12-invoice.final.pdf");
}

TEST(ZipName, NoDirectoriesNoDotDot) {
  for (std::string hostile :
       {"../../etc/passwd", "..\\..\\win.ini", "/abs/path.png", "a/../b", "....", "..", ".",
        ".bashrc", "C:\\x.exe", "a\x01\x1f\x7f.txt", "\xff\xfe.bin", "", "x\u202Efdp.exe"}) {
    auto name = safe_zip_name("id", hostile);
    expect_safe(name);
    EXPECT_EQ(name.rfind("id-", 0), 0u) << name;
  }
  EXPECT_EQ(safe_zip_name("id", "../../etc/passwd"), "id-__.__etc_passwd");
  EXPECT_EQ(safe_zip_name("id", ""), "id-file");
  EXPECT_EQ(safe_zip_name("id", "x\u202Efdp.exe"), "id-xfdp.exe");
}

TEST(ZipName, HostileIdsAndLongNamesAreCut) {
  expect_safe(safe_zip_name("../..", "a.png"));
  EXPECT_EQ(safe_zip_name("../..", "a.png"), "x-a.png");
  std::string long_name;
  for (int i = 0; i < 80; ++i) long_name += "è";  // 2 bytes each: the cut must not split one
  auto name = safe_zip_name("id", long_name);
  expect_safe(name);
  EXPECT_LE(name.size(), 103u);
}

TEST(ZipWriterTest, WritesTextAndFilesThatReadBack) {
  char tmpl[] = "/tmp/sb-zip-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  { std::ofstream(dir / "in.bin", std::ios::binary) << std::string("\x89PNG\0bytes", 10); }
  ZipWriter zip((dir / "out.zip").string());
  zip.add_text("contact.json", R"({"a":1})");
  zip.add_text("b", "x");  // short strings (SSO) must stay where libzip was told
  zip.add_file("attachments/id-in.bin", (dir / "in.bin").string());
  zip.close();

  int error = 0;
  zip_t* z = zip_open((dir / "out.zip").c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(z, nullptr);
  auto read = [&](const char* name) {
    zip_stat_t st;
    EXPECT_EQ(zip_stat(z, name, 0, &st), 0) << name;
    std::string out(st.size, '\0');
    zip_file_t* f = zip_fopen(z, name, 0);
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(zip_fread(f, out.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    return out;
  };
  EXPECT_EQ(read("contact.json"), R"({"a":1})");
  EXPECT_EQ(read("b"), "x");
  EXPECT_EQ(read("attachments/id-in.bin"), std::string("\x89PNG\0bytes", 10));
  zip_discard(z);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sb
