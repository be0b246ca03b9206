#include "reports/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace aoeh::reports {
namespace {
struct Closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, Closer>;

bool fail(std::string* error, const std::string& what, const std::filesystem::path& path) {
  if (error) *error = "cannot " + what + " " + path.string() + ": " + std::strerror(errno);
  return false;
}
}  // namespace

bool write_text_file(const std::filesystem::path& path, std::string_view content, std::string* error) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return fail(error, "create", path);
  if (!content.empty() && std::fwrite(content.data(), 1, content.size(), f.get()) != content.size())
    return fail(error, "write", path);
  // fclose flushes: a full disk shows up here, not as a silently short file.
  if (std::fclose(f.release()) != 0) return fail(error, "write", path);
  return true;
}

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string* error) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    fail(error, "open", path);
    return std::nullopt;
  }
  std::string content;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) content.append(buf, n);
  if (std::ferror(f.get())) {
    fail(error, "read", path);
    return std::nullopt;
  }
  return content;
}

}  // namespace aoeh::reports
