// The web root must never serve a file outside itself, whatever the path says.
#include "api/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace sb {
namespace {

namespace fs = std::filesystem;

class StaticPath : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sb-static-XXXXXX";
    base_ = fs::path(mkdtemp(tmpl));
    root_ = base_ / "web";
    data_ = base_ / "data";
    fs::create_directories(root_ / "console");
    fs::create_directories(root_ / "demo");
    fs::create_directories(data_);
    write(root_ / "widget.js", "js");
    write(root_ / "console" / "index.html", "console");
    write(root_ / "a b.txt", "space");
    write(root_ / ".secret", "hidden");
    write(base_ / "outside.txt", "outside");
    write(data_ / "secret.key", "key");
    fs::create_symlink(base_ / "outside.txt", root_ / "escape.txt");
    fs::create_symlink(base_, root_ / "up");
    fs::create_symlink("/etc", root_ / "etc");
    fs::create_symlink(root_ / "widget.js", root_ / "alias.js");  // inside: allowed
    root_ = fs::canonical(root_);
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, std::string_view s) { std::ofstream(p) << s; }
  std::optional<fs::path> resolve(std::string_view url, bool forbid_data = false) {
    return resolve_static_path(root_, url, forbid_data ? fs::canonical(data_) : fs::path{});
  }

  fs::path base_, root_, data_;
};

TEST_F(StaticPath, ServesFilesInsideTheRoot) {
  EXPECT_EQ(resolve("/widget.js"), root_ / "widget.js");
  EXPECT_EQ(resolve("/console/index.html"), root_ / "console" / "index.html");
  EXPECT_EQ(resolve("/a%20b.txt"), root_ / "a b.txt");
  EXPECT_EQ(resolve("/console/"), root_ / "console");
  EXPECT_EQ(resolve("/alias.js"), root_ / "widget.js");
}

TEST_F(StaticPath, DoubledAndMixedSlashesStayInTheRoot) {
  // "//etc/passwd" joined naively is the absolute /etc/passwd.
  EXPECT_EQ(resolve("//etc/passwd"), std::nullopt);
  EXPECT_EQ(resolve("///etc/passwd"), std::nullopt);
  EXPECT_EQ(resolve("//proc/self/cwd/data/secret.key"), std::nullopt);
  EXPECT_EQ(resolve("/console//index.html"), root_ / "console" / "index.html");
  EXPECT_EQ(resolve("/./console/./index.html"), root_ / "console" / "index.html");
}

TEST_F(StaticPath, DotDotInAnyEncodingIsRefused) {
  for (std::string_view url :
       {"/../outside.txt", "/console/../../outside.txt", "/%2e%2e/outside.txt",
        "/%2E%2E/outside.txt", "/.%2e/outside.txt", "/%2e./outside.txt", "/..%2foutside.txt",
        "/%2e%2e%2foutside.txt", "/console%2f..%2f..%2foutside.txt", "/..\\outside.txt",
        "/..%5coutside.txt"})
    EXPECT_EQ(resolve(url), std::nullopt) << url;
  // Decoded once only: "%252e" is the literal name "%2e", looked up inside the root.
  fs::create_directories(root_ / "%2e%2e");
  write(root_ / "%2e%2e" / "outside.txt", "literal");
  EXPECT_EQ(resolve("/%252e%252e/outside.txt"), root_ / "%2e%2e" / "outside.txt");
}

TEST_F(StaticPath, EncodedSlashCannotMakeAnAbsolutePath) {
  EXPECT_EQ(resolve("/%2fetc%2fpasswd"), std::nullopt);
  EXPECT_EQ(resolve("/%2F%2Fetc/passwd"), std::nullopt);
}

TEST_F(StaticPath, SymlinksOutOfTheRootAreRefused) {
  EXPECT_EQ(resolve("/escape.txt"), std::nullopt);
  EXPECT_EQ(resolve("/up/outside.txt"), std::nullopt);
  EXPECT_EQ(resolve("/up/data/secret.key"), std::nullopt);
  EXPECT_EQ(resolve("/etc/passwd"), std::nullopt);
}

TEST_F(StaticPath, NulBadEscapesAndHiddenFilesAreRefused) {
  EXPECT_EQ(resolve("/widget.js%00.png"), std::nullopt);
  EXPECT_EQ(resolve("/widget.js%"), std::nullopt);
  EXPECT_EQ(resolve("/widget.js%zz"), std::nullopt);
  EXPECT_EQ(resolve("/.secret"), std::nullopt);
  EXPECT_EQ(resolve("/%2esecret"), std::nullopt);
}

TEST_F(StaticPath, TheDataDirectoryIsNeverServedEvenInsideTheRoot) {
  auto data_in_root = root_ / "data";
  fs::create_directories(data_in_root);
  write(data_in_root / "switchboard.db", "db");
  EXPECT_EQ(resolve_static_path(root_, "/data/switchboard.db", data_in_root), std::nullopt);
  EXPECT_EQ(resolve_static_path(root_, "/data/switchboard.db", {}),
            data_in_root / "switchboard.db");
  EXPECT_EQ(resolve("/missing.js"), std::nullopt);
}

TEST_F(StaticPath, EmptyRootServesNothing) {
  EXPECT_EQ(resolve_static_path({}, "/etc/passwd", {}), std::nullopt);
}

TEST(StaticPathParts, WithinComparesWholeComponents) {
  EXPECT_TRUE(is_within("/srv/web", "/srv/web"));
  EXPECT_TRUE(is_within("/srv/web", "/srv/web/a/b"));
  EXPECT_TRUE(is_within("/srv/web/", "/srv/web/a"));
  EXPECT_FALSE(is_within("/srv/web", "/srv/web2/a"));
  EXPECT_FALSE(is_within("/srv/web", "/srv"));
  EXPECT_FALSE(is_within("/srv/web", "/etc/passwd"));
}

TEST(StaticPathParts, PercentDecodingIsStrict) {
  EXPECT_EQ(percent_decode_path("/a%20b+c"), "/a b+c");
  EXPECT_EQ(percent_decode_path("%2F"), "/");
  EXPECT_EQ(percent_decode_path("%"), std::nullopt);
  EXPECT_EQ(percent_decode_path("%4"), std::nullopt);
  EXPECT_EQ(percent_decode_path("%g0"), std::nullopt);
}

TEST(StaticCache, AcceptEncodingIsReadAsAList) {
  EXPECT_TRUE(accepts_encoding("gzip, deflate, br, zstd", "br"));
  EXPECT_TRUE(accepts_encoding("GZIP;q=0.5", "gzip"));
  EXPECT_FALSE(accepts_encoding("gzip;q=0, br", "gzip"));
  EXPECT_FALSE(accepts_encoding("br; q=0.000", "br"));
  EXPECT_TRUE(accepts_encoding("br;q=0.1", "br"));
  EXPECT_FALSE(accepts_encoding("brotli", "br"));
  EXPECT_FALSE(accepts_encoding("", "gzip"));
  EXPECT_FALSE(accepts_encoding("identity", "gzip"));
}

TEST(StaticCache, ValidatorsMatchWholeTagsOnly) {
  EXPECT_TRUE(etag_matches("\"a1-b2\"", "\"a1-b2\""));
  EXPECT_TRUE(etag_matches("W/\"x\", \"a1-b2\"", "\"a1-b2\""));
  EXPECT_TRUE(etag_matches("W/\"a1-b2\"", "\"a1-b2\""));
  EXPECT_TRUE(etag_matches("*", "\"a\""));
  EXPECT_FALSE(etag_matches("\"a1-b2-br\"", "\"a1-b2\""));
  EXPECT_FALSE(etag_matches("", "\"a\""));
}

TEST(StaticCache, HashedNamesAreKeptForAYearAndPagesRevalidated) {
  EXPECT_EQ(static_cache_control("/w/console/console-EFOAEUGC.js"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(static_cache_control("/w/console/chunks/chartjs-PJVT4EOP.js"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(static_cache_control("/w/console/index.html"), "no-cache");
  EXPECT_EQ(static_cache_control("/w/widget.js"), "public, max-age=300");
  EXPECT_EQ(static_cache_control("/w/demo/shop-logo.js"), "public, max-age=300");
}

}  // namespace
}  // namespace sb
