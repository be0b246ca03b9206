#pragma once
// Where a run's files go: `--out DIR`, or by default <runs_root>/<run id>/ with <runs_root>/latest
// pointing at the newest run. Layout in reports/README.md.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "reports/model.hpp"

namespace aoeh::reports {

inline constexpr const char* kDefaultRunsRoot = "reports/runs";

// "20250314T093015Z": a UTC timestamp that sorts in time order and is safe in a file name.
std::string make_run_id(std::chrono::system_clock::time_point when);

class RunDirectory {
 public:
  // --out DIR: creates DIR (and parents) if needed; an existing directory is reused. Does not touch
  // any `latest` link.
  static std::optional<RunDirectory> open_out(const std::filesystem::path& dir, std::string* error = nullptr);

  // Default location: creates <runs_root>/<run_id>/ (a "-2", "-3", ... suffix when that id is taken,
  // so two runs in one second never share a directory) and points <runs_root>/latest at it.
  static std::optional<RunDirectory> create_default(const std::string& run_id,
                                                    const std::filesystem::path& runs_root = kDefaultRunsRoot,
                                                    std::string* error = nullptr);

  // `aoeh certify` entry: open_out(*out) when --out was given, else create_default(run_id).
  static std::optional<RunDirectory> create(const std::optional<std::filesystem::path>& out, const std::string& run_id,
                                            std::string* error = nullptr);

  const std::filesystem::path& path() const { return path_; }
  // The directory's last component: the run id actually used (with any "-N" suffix).
  std::string id() const { return path_.filename().string(); }
  std::filesystem::path results_json() const { return path_ / "results.json"; }
  std::filesystem::path junit_xml() const { return path_ / "junit.xml"; }
  std::filesystem::path report_html() const { return path_ / "report.html"; }
  std::filesystem::path capture_pcap() const { return path_ / "capture.pcap"; }

  // Writes results.json, junit.xml and report.html (capture.pcap is written by the test runner).
  bool write_report(const Report& report, std::string* error = nullptr) const;

 private:
  explicit RunDirectory(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace aoeh::reports
