#include "reports/run_directory.hpp"

#include <ctime>
#include <fmt/format.h>
#include <system_error>

#include "reports/html_report.hpp"
#include "reports/junit_xml.hpp"
#include "reports/results_json.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace fs = std::filesystem;
namespace {
bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// mkdir -p that explains itself, including the cases std::filesystem reports poorly
// (a path component that is a file).
bool make_directories(const fs::path& dir, std::string* error) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return true;
  if (fs::exists(fs::symlink_status(dir, ec)) && !fs::is_directory(dir, ec))
    return fail(error, "cannot create output directory " + dir.string() + ": a file with that name exists");
  fs::create_directories(dir, ec);
  if (ec) return fail(error, "cannot create output directory " + dir.string() + ": " + ec.message());
  return true;
}

// Creating and removing a probe file proves the directory is writable before any test runs, so a bad
// --out fails in the first second instead of after the whole suite.
bool check_writable(const fs::path& dir, std::string* error) {
  const fs::path probe = dir / ".aoeh-write-probe";
  std::string why;
  if (!write_text_file(probe, "", &why)) return fail(error, "output directory " + dir.string() + " is not writable: " + why);
  std::error_code ec;
  fs::remove(probe, ec);
  return true;
}

// Points <root>/latest at `target` (a relative link) by renaming a fresh link over it, so readers never
// see a missing or half-made link.
bool update_latest(const fs::path& root, const std::string& target, std::string* error) {
  const fs::path latest = root / "latest";
  std::error_code ec;
  const auto st = fs::symlink_status(latest, ec);
  if (fs::exists(st) && !fs::is_symlink(st))
    return fail(error, "cannot update " + latest.string() + ": it exists and is not a symbolic link");
  const fs::path temp = root / (".latest-" + target);
  fs::remove(temp, ec);
  fs::create_directory_symlink(target, temp, ec);
  if (ec) return fail(error, "cannot create link " + temp.string() + ": " + ec.message());
  fs::rename(temp, latest, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fail(error, "cannot update " + latest.string() + ": " + ec.message());
  }
  return true;
}
}  // namespace

std::string make_run_id(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                     utc.tm_min, utc.tm_sec);
}

std::optional<RunDirectory> RunDirectory::open_out(const fs::path& dir, std::string* error) {
  if (dir.empty()) {
    fail(error, "output directory: empty path");
    return std::nullopt;
  }
  if (!make_directories(dir, error) || !check_writable(dir, error)) return std::nullopt;
  return RunDirectory(dir);
}

std::optional<RunDirectory> RunDirectory::create_default(const std::string& run_id, const fs::path& runs_root,
                                                         std::string* error) {
  if (run_id.empty() || run_id == "latest" || run_id.find('/') != std::string::npos || run_id[0] == '.') {
    fail(error, "invalid run id '" + run_id + "'");
    return std::nullopt;
  }
  if (!make_directories(runs_root, error)) return std::nullopt;
  // create_directory reports whether it made the directory, which makes the "-N" search race-free
  // against a concurrent run.
  for (int n = 1; n < 1000; ++n) {
    const std::string id = n == 1 ? run_id : fmt::format("{}-{}", run_id, n);
    const fs::path dir = runs_root / id;
    std::error_code ec;
    if (fs::create_directory(dir, ec)) {
      if (!check_writable(dir, error) || !update_latest(runs_root, id, error)) return std::nullopt;
      return RunDirectory(dir);
    }
    if (ec) {
      fail(error, "cannot create run directory " + dir.string() + ": " + ec.message());
      return std::nullopt;
    }
  }
  fail(error, "cannot create a run directory for id '" + run_id + "' under " + runs_root.string() + ": 999 taken");
  return std::nullopt;
}

std::optional<RunDirectory> RunDirectory::create(const std::optional<fs::path>& out, const std::string& run_id,
                                                 std::string* error) {
  return out ? open_out(*out, error) : create_default(run_id, kDefaultRunsRoot, error);
}

bool RunDirectory::write_report(const Report& report, std::string* error) const {
  return write_results_json(report, results_json(), error) && write_junit_xml(report, junit_xml(), error) &&
         write_report_html(report, report_html(), error);
}

}  // namespace aoeh::reports
