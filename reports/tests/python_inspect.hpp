#pragma once
// Test helper: write a report with one writer and read it back the way an independent consumer
// would, through a small Python inspector (strict XML parsers) that prints what it saw as JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "reports/model.hpp"
#include "reports/tests/run_process.hpp"
#include "reports/tests/temp_dir.hpp"

#ifndef AOEH_REPORTS_TEST_DIR
#error "AOEH_REPORTS_TEST_DIR must name reports/tests"
#endif

namespace aoeh::reports::testing {

// `write(report, path, &error)` is one of the report writers; `script` is a file in reports/tests.
// Returns null (after a test failure) when writing or parsing fails.
template <class Writer>
nlohmann::json inspect_with_python(const Report& report, Writer write, const std::string& file_name,
                                   const std::string& script) {
  TempDir dir;
  const auto path = dir.path() / file_name;
  std::string error;
  EXPECT_TRUE(write(report, path, &error)) << error;
  const auto run = run_process({"/usr/bin/python3", std::string(AOEH_REPORTS_TEST_DIR "/") + script, path.string()});
  EXPECT_EQ(run.exit_code, 0) << script << " could not parse " << file_name;
  if (run.exit_code != 0) return nullptr;
  return nlohmann::json::parse(run.out);
}

}  // namespace aoeh::reports::testing
