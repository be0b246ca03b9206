#pragma once
// Whole-file read/write with readable errors ("cannot write X: Permission denied").
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace aoeh::reports {

bool write_text_file(const std::filesystem::path& path, std::string_view content, std::string* error = nullptr);
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string* error = nullptr);

}  // namespace aoeh::reports
