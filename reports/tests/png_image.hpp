#pragma once
// Test helper: decode the PNGs a headless browser writes (8-bit RGB or RGBA, not interlaced) into RGBA
// pixels, so a screenshot test can look at what was actually rendered.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aoeh::reports::testing {

struct PngImage {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4

  const std::uint8_t* pixel(std::uint32_t x, std::uint32_t y) const { return &rgba[(std::size_t{y} * width + x) * 4]; }
};

// Nullopt + reason for anything that is not a PNG of the supported kind, or is truncated or corrupt.
std::optional<PngImage> decode_png(std::string_view file, std::string* error = nullptr);

// The inverse for tests of the decoder: RGBA rows, row r filtered with filter type filters[r % size].
std::string encode_png(const PngImage& image, const std::vector<std::uint8_t>& filters);

}  // namespace aoeh::reports::testing
