#pragma once
// A unique directory under $TMPDIR (or /tmp), removed with everything in it when the object dies,
// including when a test fails part-way.
#include <filesystem>
#include <string>

namespace aoeh::proto::testing {

class TempDir {
 public:
  TempDir();  // throws std::runtime_error when the directory cannot be made
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace aoeh::proto::testing
